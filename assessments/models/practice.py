"""Notable practice: nominations, the force's consent, publication, and their append-only events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models.assessment import Assessment


class PracticeState(models.TextChoices):
    """Where a nomination of notable practice stands; it moves only through assessments/practice.py."""

    NOMINATED = "nominated", "Waiting for the force's consent"
    CONSENTED = "consented", "Consented, waiting to be published"
    DECLINED = "declined", "Declined by the force"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Attribution(models.TextChoices):
    """How the force agreed to be shown beside its practice."""

    NAMED = "named", "Named: show the force's name"
    ANONYMISED = "anonymised", "Anonymised: show only the region"


class NotablePractice(models.Model):
    """One activity's evidence that a coordinator nominated as notable practice to share nationally.

    The shared text starts as a copy of the evidence summary and the force may edit it on consenting;
    the return and the signed-off snapshot are never changed by anything here.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="notable_practice")
    activity = models.ForeignKey("actionplan.Activity", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=PracticeState.choices, default=PracticeState.NOMINATED)
    reason = models.TextField(help_text="Why the coordinator thinks other forces should see this.")
    shared_text = models.TextField()
    attribution = models.CharField(max_length=20, choices=Attribution.choices, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(default=timezone.now)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-nominated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["nominated", "consented", "declined", "published", "withdrawn"]),
                name="practice_state_known",
            ),
            models.CheckConstraint(
                condition=Q(attribution__in=["", "named", "anonymised"]), name="practice_attribution_known"
            ),
            # Consent says how the force is shown, and who gave it; publication follows consent.
            models.CheckConstraint(
                condition=~Q(state__in=["consented", "published"])
                | (~Q(attribution="") & Q(consented_by__isnull=False)),
                name="practice_consent_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="practice_published_dated",
            ),
            # One live nomination per activity of an assessment; a declined or withdrawn one may be redone.
            models.UniqueConstraint(
                fields=["assessment", "activity"],
                condition=Q(state__in=["nominated", "consented", "published"]),
                name="practice_one_live_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"Notable practice: {self.activity_id} of {self.assessment}"


class PracticeEventQuerySet(models.QuerySet["PracticeEvent"]):
    """Practice events are append-only, like assessment events."""

    def update(self, **kwargs: Any) -> int:
        """Events are never changed."""
        raise ValueError("Practice events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Practice events are append-only and cannot be deleted.")


class PracticeEvent(models.Model):
    """An append-only record of one step of a nomination: who, in what role, from what, to what, when."""

    practice = models.ForeignKey(NotablePractice, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=50)
    from_state = models.CharField(max_length=20, choices=PracticeState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=PracticeState.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PracticeEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.practice}: {self.from_state or 'new'} → {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Events are written once and never changed."""
        if not self._state.adding:
            raise ValueError("Practice events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Practice events are append-only and cannot be deleted.")
