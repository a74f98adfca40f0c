"""The whole workflow matrix: every transition by every actor from every status, from one table."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from assessments import workflow
from assessments.models import AssessmentEvent, AssessmentSnapshot
from assessments.status import WorkflowStatus
from tests.assessments.workflow_states import actor_named, call, make_complete, put_in_status, returns_state

ACTORS = (
    "spoc",
    "spoc_other_force",
    "chief_officer",
    "coordinator",
    "other_coordinator",
    "national",
    "administrator",
)

# transition: (target status, statuses it may start from, actors who may make it, role written to the event)
RULES: dict[str, tuple[WorkflowStatus, set[WorkflowStatus], dict[str, str]]] = {
    "submit": (
        WorkflowStatus.SUBMITTED,
        {WorkflowStatus.DRAFT, WorkflowStatus.RETURNED},
        {"spoc": "Force SPOC"},
    ),
    "return_for_changes": (
        WorkflowStatus.RETURNED,
        {WorkflowStatus.SUBMITTED},
        {"coordinator": "Regional coordinator"},
    ),
    "sign_off": (
        WorkflowStatus.SIGNED_OFF,
        {WorkflowStatus.SUBMITTED},
        {"coordinator": "Regional coordinator"},
    ),
    "reopen": (
        WorkflowStatus.DRAFT,
        {WorkflowStatus.SIGNED_OFF},
        {"national": "National unit", "administrator": "System administrator"},
    ),
}


@pytest.mark.parametrize("starting", list(WorkflowStatus), ids=lambda status: status.value)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("transition", list(RULES))
def test_every_transition_by_every_actor_from_every_status(
    world, home_assessment, transition, actor, starting
):
    target, from_statuses, allowed = RULES[transition]
    make_complete(home_assessment)
    put_in_status(home_assessment, starting, world=world)
    user = actor_named(actor, world)
    before = returns_state(home_assessment)

    if starting not in from_statuses:
        expected_error: type[Exception] | None = workflow.InvalidTransition
    elif actor not in allowed:
        expected_error = PermissionDenied
    else:
        expected_error = None

    if expected_error is not None:
        with pytest.raises(expected_error):
            call(transition, home_assessment, user)
        home_assessment.refresh_from_db()
        assert (home_assessment.status, home_assessment.version) == (starting, 1)
        assert not AssessmentEvent.objects.exists()
        assert not AssessmentSnapshot.objects.exists()
        assert returns_state(home_assessment) == before
        return

    call(transition, home_assessment, user)
    home_assessment.refresh_from_db()
    assert home_assessment.status == target
    assert home_assessment.version == (2 if transition == "reopen" else 1)
    event = AssessmentEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor, event.actor_role) == (
        starting,
        target,
        user,
        allowed[actor],
    )
    assert AssessmentSnapshot.objects.count() == (1 if transition == "sign_off" else 0)
