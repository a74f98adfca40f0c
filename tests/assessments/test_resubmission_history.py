"""Resubmitting closes the activities opened for changes, and each closing is in the return's history."""

from __future__ import annotations

from assessments import workflow
from assessments.status import WorkflowStatus
from tests.assessments.workflow_states import make_complete, put_in_status


def test_each_return_closed_on_resubmission_gets_a_history_row(world, home_assessment):
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SUBMITTED, world=world)
    returns = list(home_assessment.returns.select_related("activity").order_by("pk"))
    opened = returns[:3]
    workflow.return_for_changes(
        home_assessment,
        by=world.coordinator,
        reason="Three need more evidence",
        activity_comments={r.activity.code: "More, please" for r in opened},
    )
    before = {r.pk: r.history.count() for r in returns}

    workflow.submit(home_assessment, by=world.spoc)

    for activity_return in returns:
        activity_return.refresh_from_db()
        assert activity_return.reopened_for_changes is False
        added = activity_return.history.count() - before[activity_return.pk]
        if activity_return in opened:
            assert added == 1
            latest = activity_return.history.first()
            assert latest.reopened_for_changes is False
            assert latest.history_user == world.spoc
        else:
            assert added == 0
