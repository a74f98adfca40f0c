"""Key messages: at most six plain-English sentences for chief officers, computed from the figures.

Each rule below reads the report's figures and returns one sentence, with the figures it rests on, or
None when it has nothing to say (nothing moved, nothing overdue, no benchmark). The rules run in a fixed
order, one sentence each, so there are never more than six and the same figures always give the same
words. Nothing here is free text typed by a person, and nothing reads the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assessments.benchmarks import BOTTOM_QUARTER, TOP_QUARTER, AreaBenchmark, ForceBenchmark, percent
from assessments.reports.data.briefing import AreaStatus
from assessments.reports.data.force_values import ActionDue, AreaSection, ChangeSummary

MAXIMUM_MESSAGES = 6


@dataclass(frozen=True)
class MessageFigures:
    """What the rules read: the report's figures, the status table and the benchmark."""

    implemented_or_embedded: int
    total: int
    share: int
    areas: Sequence[AreaSection]
    changes: ChangeSummary | None
    overdue: Sequence[ActionDue]
    area_status: Sequence[AreaStatus]
    previous_share: int | None  # the overall share in the last signed-off round
    benchmark: ForceBenchmark | None


def overall_share(figures: MessageFigures) -> str | None:
    """The overall share, against the last signed-off round: "18 of 50 activities (36%) ..., up from 30%…"."""
    if not figures.total:
        return None
    sentence = (
        f"{figures.implemented_or_embedded} of {figures.total} activities ({figures.share}%) "
        "are implemented or embedded"
    )
    if figures.previous_share is None or figures.changes is None:
        return sentence + "."
    then = figures.changes.previous_round_name
    if figures.share == figures.previous_share:
        return f"{sentence}, the same share as in {then}."
    direction = "up" if figures.share > figures.previous_share else "down"
    return f"{sentence}, {direction} from {figures.previous_share}% in {then}."


def most_improved(figures: MessageFigures) -> str | None:
    """The area where most moved up: "Victim safeguarding improved most: 6 activities moved up…"."""
    if figures.changes is None:
        return None
    best = max(figures.area_status, key=lambda row: row.moved_up, default=None)  # first wins a tie
    if best is None or best.moved_up == 0:
        return None
    count = best.moved_up
    activities = "activity" if count == 1 else "activities"
    return (
        f"{best.title} improved most: {count} {activities} moved up since "
        f"{figures.changes.previous_round_name}."
    )


def moved_down(figures: MessageFigures) -> str | None:
    """What moved down, and where most: "3 activities moved down since …, 2 of them in …"."""
    if figures.changes is None or not figures.changes.regressed:
        return None
    count = len(figures.changes.regressed)
    worst = max(figures.area_status, key=lambda row: row.moved_down)
    head = (
        f"{count} {'activity' if count == 1 else 'activities'} moved down since "
        f"{figures.changes.previous_round_name}"
    )
    return f"{head}, {_how_many_in(worst.moved_down, count, worst.title)}."


def overdue_actions(figures: MessageFigures) -> str | None:
    """Overdue actions, and the area with most: "4 actions are overdue, 3 of them in Investigation"."""
    count = len(figures.overdue)
    if count == 0:
        return None
    title_of = {row.code: area.title for area in figures.areas for row in area.rows}
    by_area = Counter(title_of.get(action.code, "") for action in figures.overdue)
    # The area with most overdue actions, ties to the first in plan order.
    order = [area.title for area in figures.areas]
    worst = max(order, key=lambda title: by_area.get(title, 0))
    head = f"{count} action{' is' if count == 1 else 's are'} overdue"
    return f"{head}, {_how_many_in(by_area.get(worst, 0), count, worst)}."


def _how_many_in(part: int, whole: int, title: str) -> str:
    if whole == 1:
        return f"in {title}"
    if part == whole:
        return f"all of them in {title}"
    return f"{part} of them in {title}"


def top_quarter(figures: MessageFigures) -> str | None:
    """Areas above the upper quartile: "The force is in the top quarter of its region for Investigation…".

    The region comes first, as the closer comparison; the nation only for areas whose region is withheld.
    """
    return _quarter_sentence(figures.benchmark, TOP_QUARTER)


def bottom_quarter(figures: MessageFigures) -> str | None:
    """Areas below the lower quartile: "The force is in the bottom quarter nationally for Investigation…".

    As for the top quarter: the region first, the nation for areas whose region is withheld.
    """
    return _quarter_sentence(figures.benchmark, BOTTOM_QUARTER)


def _quarter_sentence(benchmark: ForceBenchmark | None, quarter: str) -> str | None:
    if benchmark is None or not benchmark.has_figures:
        return None
    regional = [area for area in benchmark.areas if area.region.position == quarter]
    if regional:
        listed = _areas_with_figures(regional, quarter, regional=True)
        return f"The force is in the {quarter} of its region for {listed}."
    national = [area for area in benchmark.areas if not area.region.shown and area.nation.position == quarter]
    if national:
        listed = _areas_with_figures(national, quarter, regional=False)
        return f"The force is in the {quarter} nationally for {listed}."
    return None


def _areas_with_figures(areas: Sequence[AreaBenchmark], quarter: str, *, regional: bool) -> str:
    parts = []
    for area in areas:
        group = area.region if regional else area.nation
        if group.distribution is None or area.force_share is None:
            continue  # never: a force is placed only in a group that is shown
        if quarter == TOP_QUARTER:
            bound = f"upper quartile {percent(group.distribution.upper_quartile)}"
        else:
            bound = f"lower quartile {percent(group.distribution.lower_quartile)}"
        parts.append(f"{area.title} ({area.force_share}%; {bound})")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


RULES: tuple[Callable[[MessageFigures], str | None], ...] = (
    overall_share,
    most_improved,
    moved_down,
    overdue_actions,
    top_quarter,
    bottom_quarter,
)


def key_messages(figures: MessageFigures) -> tuple[str, ...]:
    """Every rule's sentence, in order, leaving out the rules with nothing to say; six at most."""
    sentences = (rule(figures) for rule in RULES)
    return tuple(sentence for sentence in sentences if sentence)[:MAXIMUM_MESSAGES]
