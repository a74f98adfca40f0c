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
    link = _absolute(reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk}))
    send_mail(
        subject=f"{assessment.force.name} has submitted its {assessment.round.name} assessment",
        message=(
            f"{assessment.force.name} has submitted its self-assessment for {assessment.round.name} "
            f"(version {assessment.version}).\n\nReview it here:\n{link}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
