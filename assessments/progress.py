"""Progress: how many of an assessment's activities are complete, by process area and overall.

One rule says when an activity counts as complete (`is_complete` for a row already read, `complete_q`
for the database), one set of counts says how they are tallied (`progress_counts`), and one function
turns tallies into the figures every page shows (`progress_from`): the force's home page, the task
list, the overviews and the regional and national reports all read their progress from here.

Complete means saved with every answer its status needs (ActivityReturn.is_complete, set by
services.activity_return_save through rules.return_problems) and not a carried-forward answer
still waiting to be confirmed in this round. Opening a round never sets is_complete on the answers
it carries forward, so the second condition only makes the rule hold whatever wrote the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from django.db.models import Count, Q

from assessments.status import TOP_OF_SCALE


class ReturnState(Protocol):
    """What decides an activity's progress and task-list tag: a return, or a row read from one."""

    @property
    def implementation_status(self) -> str: ...
    @property
    def is_complete(self) -> bool: ...
    @property
    def carried_forward(self) -> bool: ...
    @property
    def confirmed(self) -> bool: ...
    @property
    def reopened_for_changes(self) -> bool: ...


def is_complete(activity_return: ReturnState) -> bool:
    """Whether one activity counts as complete (the rule in this module's docstring)."""
    return activity_return.is_complete and not awaiting_confirmation(
        carried_forward=activity_return.carried_forward, confirmed=activity_return.confirmed
    )


def awaiting_confirmation(*, carried_forward: bool, confirmed: bool) -> bool:
    """Carried forward from the last sign-off and not yet confirmed (or changed) in this round."""
    return carried_forward and not confirmed


def complete_q(relation: str = "") -> Q:
    """The same rule as is_complete, as a filter on returns (`relation` leads to them, e.g. "returns")."""
    prefix = f"{relation}__" if relation else ""
    return Q(**{f"{prefix}is_complete": True}) & (
        Q(**{f"{prefix}carried_forward": False}) | Q(**{f"{prefix}confirmed": True})
    )


def progress_counts(relation: str = "") -> dict[str, Count]:
    """Annotations counting returns: total, complete, awaiting confirmation, reopened for changes.

    On ActivityReturn rows (relation "") or through a relation to them from another model.
    """
    prefix = f"{relation}__" if relation else ""
    counted = relation or "pk"
    return {
        "total": Count(counted),
        "complete": Count(counted, filter=complete_q(relation)),
        "unconfirmed": Count(
            counted, filter=Q(**{f"{prefix}carried_forward": True, f"{prefix}confirmed": False})
        ),
        "reopened": Count(counted, filter=Q(**{f"{prefix}reopened_for_changes": True})),
    }


class ProgressTally(NamedTuple):
    """Counts for the returns of one process area at one implementation status ("" not answered)."""

    area_number: int
    area_title: str
    status: str
    total: int
    complete: int
    unconfirmed: int
    reopened: int


def tally_of(area_number: int, area_title: str, activity_return: ReturnState) -> ProgressTally:
    """One return's own tally, for pages that already hold the rows (the task list)."""
    return ProgressTally(
        area_number=area_number,
        area_title=area_title,
        status=activity_return.implementation_status or "",
        total=1,
        complete=int(is_complete(activity_return)),
        unconfirmed=int(
            awaiting_confirmation(
                carried_forward=activity_return.carried_forward, confirmed=activity_return.confirmed
            )
        ),
        reopened=int(activity_return.reopened_for_changes),
    )


@dataclass(frozen=True)
class AreaProgress:
    """Implementation status counts for one process area."""

    number: int
    title: str
    counts: dict[str, int]
    total: int
    complete: int

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale."""
        return sum(self.counts.get(status, 0) for status in TOP_OF_SCALE)

    @property
    def implemented_share(self) -> int:
        """Whole percentage implemented or embedded, rounded to the nearest 5 for the bar classes."""
        return round(100 * self.implemented_or_embedded / self.total / 5) * 5 if self.total else 0


@dataclass(frozen=True)
class AssessmentProgress:
    """The progress figures shown everywhere, by area in area order and overall."""

    total: int
    complete: int
    carried_forward_unconfirmed: int
    changes_requested: int
    areas: list[AreaProgress]


def progress_from(tallies: Iterable[ProgressTally]) -> AssessmentProgress:
    """An assessment's progress from its tallies, whether counted by the database or from rows."""
    areas: dict[int, tuple[str, dict[str, int], list[int]]] = {}
    total = complete = unconfirmed = reopened = 0
    for tally in tallies:
        _title, counts, area_totals = areas.setdefault(tally.area_number, (tally.area_title, {}, [0, 0]))
        counts[tally.status] = counts.get(tally.status, 0) + tally.total
        area_totals[0] += tally.total
        area_totals[1] += tally.complete
        total += tally.total
        complete += tally.complete
        unconfirmed += tally.unconfirmed
        reopened += tally.reopened
    return AssessmentProgress(
        total=total,
        complete=complete,
        carried_forward_unconfirmed=unconfirmed,
        changes_requested=reopened,
        areas=[
            AreaProgress(number=number, title=title, counts=counts, total=area_total, complete=area_complete)
            for number, (title, counts, (area_total, area_complete)) in sorted(areas.items())
        ],
    )
