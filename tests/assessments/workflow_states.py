"""Shared set-up for the workflow tests: put an assessment in a state, and call a transition by name."""

from __future__ import annotations

from django.utils import timezone

from accounts.roles import Role
from assessments import workflow
from assessments.models import ActivityReturn, Assessment
from assessments.services import EDITABLE_FIELDS
from assessments.status import WorkflowStatus
from tests.conftest import complete_values
from tests.factories import user_with_role


def make_complete(assessment):
    """Every return complete, straight through the queryset (tests may; the app may not)."""
    values = complete_values()
    ActivityReturn.objects.filter(assessment=assessment).update(
        **{field: values[field] for field in EDITABLE_FIELDS if field in values},
        confirmed=True,
        is_complete=True,
    )


def put_in_status(assessment, status, *, world):
    """Move an assessment straight into a starting status, with the fields that status implies."""
    fields = {"status": status}
    if status != WorkflowStatus.DRAFT:
        fields.update(submitted_by=world.spoc, submitted_at=timezone.now())
    if status == WorkflowStatus.SIGNED_OFF:
        fields.update(
            signed_off_by=world.coordinator,
            signed_off_at=timezone.now(),
            signed_off_role="Regional coordinator",
        )
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    assessment.refresh_from_db()


def actor_named(name, world):
    if name == "spoc_other_force":
        return user_with_role(Role.SPOC, force=world.neighbour_force, email="spoc2@force.example")
    return getattr(world, name)


def first_code(assessment):
    return assessment.returns.order_by("activity__area__number", "activity__order")[0].activity.code


def call(transition, assessment, user):
    if transition == "submit":
        return workflow.submit(assessment, by=user)
    if transition == "return_for_changes":
        return workflow.return_for_changes(
            assessment,
            by=user,
            reason="Evidence is thin",
            activity_comments={first_code(assessment): "Add the policy"},
        )
    if transition == "sign_off":
        return workflow.sign_off(assessment, by=user, comment="Good work")
    return workflow.reopen(assessment, by=user, reason="Error found after sign-off")


def returns_state(assessment):
    return list(
        assessment.returns.order_by("pk").values_list(
            "pk", "reopened_for_changes", "coordinator_comment", "revision", "is_complete"
        )
    )
