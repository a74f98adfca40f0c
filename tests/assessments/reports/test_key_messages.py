"""Key messages: each rule's sentence from given figures, and its silence when it has nothing to say."""

from __future__ import annotations

import datetime

from assessments.benchmarks import AreaBenchmark, ForceBenchmark, group_benchmark
from assessments.reports.data.briefing import AreaStatus
from assessments.reports.data.common import status_counts
from assessments.reports.data.force_values import (
    ActionDue,
    ActivityChange,
    ActivityRow,
    AreaSection,
    ChangeSummary,
)
from assessments.reports.key_messages import (
    MAXIMUM_MESSAGES,
    MessageFigures,
    bottom_quarter,
    key_messages,
    most_improved,
    moved_down,
    overall_share,
    overdue_actions,
    top_quarter,
)

AREAS = [(1, "Leadership and governance"), (3, "Victim safeguarding"), (4, "Investigation")]


def row(code: str) -> ActivityRow:
    return ActivityRow(
        code=code,
        title=f"Activity {code}",
        status="in_progress",
        status_label="In progress",
        not_applicable_reason="",
        evidence_summary="",
        evidence_references=(),
        next_steps="",
        action_owner="",
        target_date=None,
        carried_forward_unconfirmed=False,
        coordinator_comment="",
    )


def sections() -> list[AreaSection]:
    return [
        AreaSection(
            number=number,
            prefix=f"A{number}",
            title=title,
            rows=tuple(row(f"A{number}.{n}") for n in range(1, 5)),
            counts=status_counts([]),
        )
        for number, title in AREAS
    ]


def change(code: str) -> ActivityChange:
    return ActivityChange(code=code, title="", previous_label="", current_label="")


def summary(improved=(), regressed=()) -> ChangeSummary:
    return ChangeSummary(
        previous_round_name="2026 spring review",
        previous_version=1,
        improved=tuple(change(c) for c in improved),
        regressed=tuple(change(c) for c in regressed),
        unchanged=0,
        other=0,
        new_evidence=(),
    )


def status_rows(up: dict[int, int], down: dict[int, int]) -> list[AreaStatus]:
    return [
        AreaStatus(
            number=number,
            title=title,
            implemented_or_embedded=1,
            total=4,
            share=25,
            previous_share=25,
            moved_up=up.get(number, 0),
            moved_down=down.get(number, 0),
        )
        for number, title in AREAS
    ]


def overdue(*codes: str) -> list[ActionDue]:
    return [
        ActionDue(
            code=code,
            title="",
            status_label="",
            next_steps="",
            owner="",
            target_date=datetime.date(2026, 1, 1),
            days=3,
        )
        for code in codes
    ]


def figures(**overrides) -> MessageFigures:
    values = {
        "implemented_or_embedded": 18,
        "total": 50,
        "share": 36,
        "areas": sections(),
        "changes": None,
        "overdue": [],
        "area_status": status_rows({}, {}),
        "previous_share": None,
        "benchmark": None,
    }
    values.update(overrides)
    return MessageFigures(**values)


def benchmark(shares: dict[int, int], *, region_size: int = 6) -> ForceBenchmark:
    """Region and nation of the same five other forces at 20, 40, 50, 60, 80%, plus the force."""
    others = [20, 40, 50, 60, 80]
    return ForceBenchmark(
        force_name="Cleveland Police",
        region_name="North East",
        figures_round_name="2026 spring review",
        areas=tuple(
            AreaBenchmark(
                number=number,
                title=title,
                force_share=shares[number],
                region=group_benchmark(
                    group_name="North East",
                    values=[*others, shares[number]],
                    force_value=shares[number],
                    forces_in_group=region_size,
                ),
                nation=group_benchmark(
                    group_name="England and Wales",
                    values=[*others, shares[number]],
                    force_value=shares[number],
                ),
            )
            for number, title in AREAS
        ),
    )


def test_overall_share_alone_without_an_earlier_round():
    assert overall_share(figures()) == "18 of 50 activities (36%) are implemented or embedded."


def test_overall_share_up_down_or_level_since_the_last_sign_off():
    base = {"changes": summary()}
    assert overall_share(figures(previous_share=30, **base)) == (
        "18 of 50 activities (36%) are implemented or embedded, up from 30% in 2026 spring review."
    )
    assert overall_share(figures(previous_share=40, **base)).endswith("down from 40% in 2026 spring review.")
    assert overall_share(figures(previous_share=36, **base)).endswith(
        "the same share as in 2026 spring review."
    )


def test_overall_share_says_nothing_with_no_activities():
    assert overall_share(figures(total=0, implemented_or_embedded=0, share=0)) is None


def test_most_improved_names_the_area_and_the_count():
    result = most_improved(figures(changes=summary(), area_status=status_rows({3: 6, 4: 2}, {})))
    assert result == "Victim safeguarding improved most: 6 activities moved up since 2026 spring review."


def test_most_improved_says_one_activity_in_the_singular():
    result = most_improved(figures(changes=summary(), area_status=status_rows({4: 1}, {})))
    assert result == "Investigation improved most: 1 activity moved up since 2026 spring review."


def test_most_improved_is_silent_when_nothing_moved_up_or_nothing_to_compare():
    assert most_improved(figures(changes=summary(), area_status=status_rows({}, {}))) is None
    assert most_improved(figures(changes=None, area_status=status_rows({3: 6}, {}))) is None


def test_moved_down_names_the_area_with_most():
    result = moved_down(
        figures(
            changes=summary(regressed=["A4.1", "A4.2", "A1.1"]), area_status=status_rows({}, {4: 2, 1: 1})
        )
    )
    assert result == "3 activities moved down since 2026 spring review, 2 of them in Investigation."


def test_moved_down_one_activity():
    result = moved_down(figures(changes=summary(regressed=["A1.1"]), area_status=status_rows({}, {1: 1})))
    assert result == "1 activity moved down since 2026 spring review, in Leadership and governance."


def test_moved_down_is_silent_when_nothing_moved_down():
    assert moved_down(figures(changes=summary())) is None
    assert moved_down(figures()) is None


def test_overdue_actions_counts_and_names_the_area_with_most():
    result = overdue_actions(figures(overdue=overdue("A4.1", "A4.2", "A4.3", "A1.1")))
    assert result == "4 actions are overdue, 3 of them in Investigation."


def test_overdue_actions_all_in_one_area_and_singular():
    assert overdue_actions(figures(overdue=overdue("A3.1", "A3.2"))) == (
        "2 actions are overdue, all of them in Victim safeguarding."
    )
    assert overdue_actions(figures(overdue=overdue("A3.1"))) == "1 action is overdue, in Victim safeguarding."


def test_overdue_actions_silent_when_none_are_overdue():
    assert overdue_actions(figures()) is None


def test_top_quarter_of_the_region_with_the_figures():
    result = top_quarter(figures(benchmark=benchmark({1: 90, 3: 50, 4: 10})))
    assert result == (
        "The force is in the top quarter of its region for Leadership and governance "
        "(90%; upper quartile 75%)."
    )


def test_bottom_quarter_falls_back_to_the_nation_when_the_region_is_withheld():
    result = bottom_quarter(figures(benchmark=benchmark({1: 90, 3: 50, 4: 10}, region_size=4)))
    assert (
        result == "The force is in the bottom quarter nationally for Investigation (10%; lower quartile 25%)."
    )


def test_quarter_messages_silent_without_a_benchmark_or_in_the_middle():
    assert top_quarter(figures()) is None
    assert bottom_quarter(figures(benchmark=benchmark({1: 50, 3: 50, 4: 50}))) is None
    assert top_quarter(figures(benchmark=benchmark({1: 50, 3: 50, 4: 50}))) is None


def test_at_most_six_messages_in_rule_order():
    messages = key_messages(
        figures(
            changes=summary(regressed=["A4.1"]),
            previous_share=30,
            area_status=status_rows({3: 6}, {4: 1}),
            overdue=overdue("A4.1"),
            benchmark=benchmark({1: 90, 3: 50, 4: 10}),
        )
    )
    assert len(messages) == MAXIMUM_MESSAGES
    assert messages[0].startswith("18 of 50") and messages[-1].startswith(
        "The force is in the bottom quarter"
    )


def test_only_the_overall_share_when_nothing_else_applies():
    assert key_messages(figures()) == ("18 of 50 activities (36%) are implemented or embedded.",)
