"""One rule for actions (issue 15): what is open, what is overdue, what has no target date.

The Warwickshire case: a next step whose date has passed, left on an activity already implemented or
embedded, is not an open action and so never overdue. The Cumbria case: an activity below Implemented
with a past target date is overdue, and one with no target date is listed as "no target date" rather
than left out.
"""

from __future__ import annotations

import datetime

import pytest

from assessments.actions import (
    ActionTiming,
    action_timing,
    days_from_target,
    is_action,
    is_open_action,
    open_action_q,
    uk_today,
)
from assessments.models import ActivityReturn
from assessments.reports.data import force_report_data
from assessments.services import activity_return_save
from tests.conftest import complete_values

TODAY = datetime.date(2026, 11, 1)
PAST = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        ("not_started", True),
        ("planned", True),
        ("in_progress", True),
        ("implemented", False),
        ("embedded", False),
        ("not_applicable", False),
        ("", False),
    ],
)
def test_an_action_is_open_only_below_implemented(status, is_open):
    assert (
        is_open_action(
            implementation_status=status, next_steps="Train staff", action_owner="DCI Shaw", target_date=PAST
        )
        is is_open
    )


@pytest.mark.parametrize(
    ("next_steps", "owner", "target", "expected"),
    [
        ("Train staff", "DCI Shaw", PAST, True),
        ("Train staff", "DCI Shaw", None, True),
        ("Train staff", "", PAST, True),
        ("Train staff", "  ", None, False),  # words alone commit nobody
        ("  ", "DCI Shaw", PAST, False),  # no next step, nothing to do
    ],
)
def test_an_action_is_a_next_step_with_an_owner_or_a_target_date(next_steps, owner, target, expected):
    assert is_action(next_steps=next_steps, action_owner=owner, target_date=target) is expected


@pytest.mark.parametrize(
    ("target", "timing", "days"),
    [
        (TODAY - datetime.timedelta(days=1), ActionTiming.OVERDUE, 1),
        (TODAY, ActionTiming.DUE_SOON, 0),  # due today is not yet overdue
        (TODAY + datetime.timedelta(days=90), ActionTiming.DUE_SOON, 90),
        (TODAY + datetime.timedelta(days=91), ActionTiming.LATER, 91),
        (None, ActionTiming.NO_TARGET_DATE, None),
    ],
)
def test_an_open_actions_timing_follows_its_target_date(target, timing, days):
    assert action_timing(target, today=TODAY) is timing
    assert days_from_target(target, today=TODAY) == days


def test_today_is_the_uk_date(settings, monkeypatch):
    from django.utils import timezone

    # 23:30 UTC on 30 June is already 1 July in London (BST).
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC))
    assert uk_today() == datetime.date(2026, 7, 1)


def _save(assessment, spoc, code, **values):
    activity_return = assessment.returns.get(activity__code=code)
    activity_return_save(
        activity_return_id=activity_return.pk,
        values=complete_values(**values),
        by=spoc,
        expected_revision=activity_return.revision,
    )


def test_warwickshire_and_cumbria_cases_in_the_force_report(world, home_assessment):
    codes = list(
        home_assessment.returns.order_by("activity__area__number", "activity__order").values_list(
            "activity__code", flat=True
        )[:4]
    )
    stale, overdue, undated, done_early = codes
    # Warwickshire: a past-dated next step left on an implemented activity.
    _save(home_assessment, world.spoc, stale, status="implemented", target_date=PAST, next_steps="Old plan")
    # Cumbria: in progress and past its date; in progress with no date.
    _save(home_assessment, world.spoc, overdue, status="in_progress", target_date=PAST)
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code=undated).update(
        implementation_status="in_progress",
        next_steps="Write the policy",
        action_owner="DI Rao",
        target_date=None,
    )
    _save(home_assessment, world.spoc, done_early, status="embedded", target_date=PAST)

    report = force_report_data(assessment=home_assessment, today=TODAY)

    assert [action.code for action in report.overdue] == [overdue]
    assert report.overdue[0].days == (TODAY - PAST).days
    assert [action.code for action in report.no_target_date] == [undated]
    listed = {a.code for a in (*report.overdue, *report.due_soon, *report.due_later, *report.no_target_date)}
    assert stale not in listed and done_early not in listed

    # The database filter states the same rule.
    in_db = set(
        ActivityReturn.objects.filter(open_action_q(), assessment=home_assessment).values_list(
            "activity__code", flat=True
        )
    )
    assert in_db == {overdue, undated}
