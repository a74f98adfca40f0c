"""Workflow transitions: the only code that changes an assessment's status.

Each transition opens a transaction, re-reads the assessment with select_for_update(), checks the
allowed-transitions table and the actor's right to act, saves, writes an append-only event and
queues its email to go only after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from assessments import notifications
from assessments.models import ActivityReturn, Assessment, AssessmentEvent
from assessments.permissions import access_for, can_submit
from assessments.status import ALLOWED_TRANSITIONS, WorkflowStatus


class InvalidTransition(Exception):
    """The assessment is not in a state that allows this move."""

    def __init__(self, current: str, target: str) -> None:
        self.current = WorkflowStatus(current)
        self.target = WorkflowStatus(target)
        super().__init__(
            f"An assessment that is {self.current.label.lower()} cannot be moved to "
            f"{self.target.label.lower()}."
        )


class IncompleteAssessment(Exception):
    """Submission refused: these activities still need answers."""

    def __init__(self, incomplete: list[ActivityReturn]) -> None:
        self.incomplete = incomplete
        super().__init__(f"{len(incomplete)} activities are not complete.")


@dataclass(frozen=True)
class Actor:
    """Who acted and in which role, as written into the event."""

    user: Any
    role: Role


def _lock(assessment_id: int) -> Assessment:
    return (
        Assessment.objects.select_for_update().select_related("force__region", "round").get(pk=assessment_id)
    )


def _check_transition(assessment: Assessment, target: WorkflowStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[WorkflowStatus(assessment.status)]:
        raise InvalidTransition(assessment.status, target)


def _record(assessment: Assessment, *, actor: Actor, from_status: str, comment: str = "") -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment,
        version=assessment.version,
        actor=actor.user,
        actor_name=actor.user.get_full_name(),
        actor_role=actor.role.label,
        from_status=from_status,
        to_status=assessment.status,
        comment=comment,
    )


def submit(assessment: Assessment, *, by: Any) -> Assessment:
    """The force SPOC sends a complete assessment to the regional coordinator."""
    with transaction.atomic():
        locked = _lock(assessment.pk)
        _check_transition(locked, WorkflowStatus.SUBMITTED)
        if not can_submit(by, locked):
            raise PermissionDenied("Only the force's SPOC can submit its assessment.")
        incomplete = list(
            locked.returns.filter(is_complete=False)
            .select_related("activity")
            .order_by("activity__area__number", "activity__order")
        )
        if incomplete:
            raise IncompleteAssessment(incomplete)
        from_status = locked.status
        locked.status = WorkflowStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.save(update_fields=["status", "submitted_at", "submitted_by"])
        # Activities opened for changes close again once the force sends its answers back.
        locked.returns.filter(reopened_for_changes=True).update(reopened_for_changes=False)
        _record(locked, actor=Actor(by, Role.SPOC), from_status=from_status)
        transaction.on_commit(lambda: notifications.assessment_submitted(assessment_id=locked.pk))
    return locked


def actor_role_label(user: Any) -> str:
    """The most senior role a user holds, for display."""
    roles = access_for(user).roles
    for role in (Role.ADMINISTRATOR, Role.NATIONAL, Role.COORDINATOR, Role.SPOC, Role.CHIEF_OFFICER):
        if role in roles:
            return str(role.label)
    return ""
