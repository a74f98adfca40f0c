"""One progress computation: "complete of total" alike on the home page, task list, overviews, reports."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from assessments import overviews, selectors
from assessments.models import ActivityReturn, Assessment
from assessments.progress import ProgressTally, is_complete, progress_from
from assessments.reports.data import regional_report_data
from assessments.selectors.activity import incomplete_returns
from assessments.services import activity_return_save, round_open
from tests.conftest import complete_values, sign_off_for_test


def state(**values):
    defaults = {
        "implementation_status": "implemented",
        "is_complete": True,
        "carried_forward": False,
        "confirmed": True,
        "reopened_for_changes": False,
    }
    return SimpleNamespace(**{**defaults, **values})


@pytest.mark.parametrize(
    ("values", "complete"),
    [
        ({}, True),
        ({"is_complete": False}, False),
        ({"carried_forward": True, "confirmed": True}, True),
        ({"carried_forward": True, "confirmed": False}, False),  # carried forward, not yet confirmed
        ({"carried_forward": True, "confirmed": False, "is_complete": False}, False),
    ],
)
def test_complete_means_saved_complete_and_not_waiting_for_confirmation(values, complete):
    assert is_complete(state(**values)) is complete


def test_progress_adds_tallies_by_area_and_status_in_area_order():
    progress = progress_from(
        [
            ProgressTally(2, "Two", "planned", 3, 1, 0, 1),
            ProgressTally(1, "One", "", 2, 0, 2, 0),
            ProgressTally(2, "Two", "planned", 1, 1, 0, 0),
            ProgressTally(2, "Two", "embedded", 4, 4, 0, 0),
        ]
    )
    assert (progress.total, progress.complete) == (10, 6)
    assert (progress.carried_forward_unconfirmed, progress.changes_requested) == (2, 1)
    assert [(a.number, a.title, a.total, a.complete) for a in progress.areas] == [
        (1, "One", 2, 0),
        (2, "Two", 8, 6),
    ]
    assert progress.areas[1].counts == {"planned": 4, "embedded": 4}
    assert progress.areas[1].implemented_or_embedded == 4
    assert progress_from([]).areas == []


@pytest.fixture
def carried(world, home_assessment, action_plan):
    """A second round for Cleveland: two answers confirmed, the rest carried forward and unconfirmed."""
    for activity_return in home_assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=world.spoc,
            expected_revision=activity_return.revision,
        )
    sign_off_for_test(home_assessment, world.coordinator)
    later = round_open(
        name="2027-28 spring review",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 30),
        opened_by=world.national,
    ).round
    assessment = Assessment.objects.get(force=world.home_force, round=later)
    for code in ("LG01", "LG02"):
        target = assessment.returns.get(activity__code=code)
        activity_return_save(
            activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
        )
    # A complete flag on an unconfirmed carried-forward answer (no service writes one) still counts as
    # not complete: the rule says so, not the writers' care.
    assessment.returns.filter(activity__code="LG03").update(is_complete=True)
    return assessment


def every_pages_figures(assessment):
    """(complete, total) as the home page, task list, overview and regional report each count them."""
    home = selectors.assessment_progress(assessment=assessment)
    task_list = selectors.progress_of(selectors.task_list(assessment=assessment))
    overview = overviews.region_overview(region=assessment.force.region, round_id=str(assessment.round_id))
    row = next(row for row in overview.rows if row.force == assessment.force)
    report = regional_report_data(region=assessment.force.region, round_=assessment.round)
    line = next(line for line in report.forces if line.code == assessment.force.code)
    return {
        "home": (home.complete, home.total),
        "task list": (task_list.complete, task_list.total),
        "overview": (row.complete, row.total),
        "regional report": (line.complete, line.total),
    }


def test_every_page_counts_carried_forward_unconfirmed_answers_as_not_complete(carried):
    total = carried.returns.count()
    assert set(every_pages_figures(carried).values()) == {(2, total)}
    assert selectors.assessment_progress(assessment=carried).carried_forward_unconfirmed == total - 2
    assert selectors.assessment_progress(assessment=carried) == selectors.progress_of(
        selectors.task_list(assessment=carried)
    )


def test_submission_waits_for_the_same_activities_the_figures_count_as_incomplete(carried):
    missing = {activity_return.activity.code for activity_return in incomplete_returns(assessment=carried)}
    rows = selectors.incomplete_rows(selectors.task_list(assessment=carried))
    assert missing == {row.code for row in rows}
    assert "LG03" in missing and not {"LG01", "LG02"} & missing
    assert len(missing) == ActivityReturn.objects.filter(assessment=carried).count() - 2
