"""Short, plain emails about workflow events. Called only after the transaction that caused them commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from assessments.models import Assessment


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'SERVICE_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}{path}"


def assessment_submitted(*, assessment_id: int) -> None:
    """Tell the region's coordinators that a force has submitted."""
    assessment = Assessment.objects.select_related("force__region", "round").get(pk=assessment_id)
    recipients = list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.COORDINATOR,
            memberships__region_id=assessment.force.region_id,
        )
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    link = _absolute(reverse("admin:assessments_assessment_review", args=[assessment.pk]))
    send_mail(
        subject=f"{assessment.force.name} has submitted its {assessment.round.name} assessment",
        message=(
            f"{assessment.force.name} has submitted its self-assessment for {assessment.round.name} "
            f"(version {assessment.version}).\n\nReview it here:\n{link}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def _force_people(assessment: Assessment, roles: list[Role]) -> list[str]:
    """Email addresses of active users holding one of these roles in the assessment's force."""
    return sorted(
        set(
            User.objects.filter(
                is_active=True, memberships__role__in=roles, memberships__force_id=assessment.force_id
            ).values_list("email", flat=True)
        )
    )


def _send_to_force(assessment: Assessment, *, roles: list[Role], subject: str, opening: str) -> None:
    recipients = _force_people(assessment, roles)
    if not recipients:
        return
    link = _absolute(reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk}))
    send_mail(
        subject=subject,
        message=f"{opening}\n\nSee it here:\n{link}\n",
        from_email=None,
        recipient_list=recipients,
    )


def assessment_returned(*, assessment_id: int) -> None:
    """Tell the force's SPOCs that the coordinator wants changes (the reasons stay in the service)."""
    assessment = Assessment.objects.select_related("force", "round").get(pk=assessment_id)
    _send_to_force(
        assessment,
        roles=[Role.SPOC],
        subject=f"Your {assessment.round.name} assessment has been returned for changes",
        opening=(
            f"The regional coordinator has returned {assessment.force.name}'s self-assessment for "
            f"{assessment.round.name} (version {assessment.version}) and asked for changes to some "
            "activities. Their comments are shown against each activity."
        ),
    )


def assessment_signed_off(*, assessment_id: int) -> None:
    """Tell the force's SPOCs and chief officers that the assessment is signed off."""
    assessment = Assessment.objects.select_related("force", "round").get(pk=assessment_id)
    _send_to_force(
        assessment,
        roles=[Role.SPOC, Role.CHIEF_OFFICER],
        subject=f"{assessment.force.name}'s {assessment.round.name} assessment has been signed off",
        opening=(
            f"The regional coordinator has signed off {assessment.force.name}'s self-assessment for "
            f"{assessment.round.name} (version {assessment.version})."
        ),
    )


def assessment_reopened(*, assessment_id: int) -> None:
    """Tell the force's SPOCs that a signed-off assessment is open again as a new version."""
    assessment = Assessment.objects.select_related("force", "round").get(pk=assessment_id)
    _send_to_force(
        assessment,
        roles=[Role.SPOC],
        subject=f"Your {assessment.round.name} assessment has been reopened",
        opening=(
            f"The national unit has reopened {assessment.force.name}'s self-assessment for "
            f"{assessment.round.name} as version {assessment.version}. The answers you signed off are "
            "already filled in; change what needs changing and submit it again."
        ),
    )
