"""The append-only record: workflow events, round events and the signed-off snapshots."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models.assessment import Assessment
from assessments.models.reference import Round
from assessments.status import (
    WorkflowStatus,
)


class AppendOnlyQuerySet(models.QuerySet["AssessmentEvent"]):
    """Bulk updates and deletes would bypass the model's refusals; refuse them here too."""

    def update(self, **kwargs: Any) -> int:
        """Events are never changed."""
        raise ValueError("Assessment events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Assessment events are append-only and cannot be deleted.")


class AssessmentEvent(models.Model):
    """An append-only record of one workflow transition: who, in what role, from what, to what, when, why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="events")
    version = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=50)
    from_status = models.CharField(max_length=20, choices=WorkflowStatus.choices)
    to_status = models.CharField(max_length=20, choices=WorkflowStatus.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Events are written once and never changed."""
        if not self._state.adding:
            raise ValueError("Assessment events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Assessment events are append-only and cannot be deleted.")


class RoundEventQuerySet(models.QuerySet["RoundEvent"]):
    """Round events are append-only, like assessment events."""

    def update(self, **kwargs: Any) -> int:
        """Events are never changed."""
        raise ValueError("Round events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Round events are append-only and cannot be deleted.")


class RoundEvent(models.Model):
    """An append-only record of a change to how a round applies its rules: who, in what role, what, when."""

    class Kind(models.TextChoices):
        EVIDENCE_RULE_WARN_ONLY = "evidence_rule_warn_only", "Evidence-of-change rule set to warn only"
        EVIDENCE_RULE_ENFORCED = "evidence_rule_enforced", "Evidence-of-change rule enforced"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=50)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoundEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["evidence_rule_warn_only", "evidence_rule_enforced"]),
                name="round_event_kind_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Events are written once and never changed."""
        if not self._state.adding:
            raise ValueError("Round events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Events are never deleted."""
        raise ValueError("Round events are append-only and cannot be deleted.")


class AssessmentSnapshot(models.Model):
    """The canonical record of one signed-off version: every return as signed, and the SHA-256 of it.

    Written once by workflow.sign_off and never changed; reopening starts a new version and leaves this
    row as it was. `manage.py verify_snapshots` recomputes every hash from the stored data.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="snapshots")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64)
    # Per process area number, [implemented or embedded, activities] in `data`, each activity in its
    # area of the plan the version was signed off against (snapshots.snapshot_area_tallies), written
    # with it: the benchmark on every force's home page reads every force's latest sign-off, and
    # decoding 44 whole records for that was most of the page's time. Derived, so not in the hash;
    # verify_snapshots checks it.
    area_tallies = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["assessment", "version"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="snapshot_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – version {self.version}"
