"""Each force's assessment in a round, its activity returns (with their field history), the actions
its next steps raise, and the coordinator's looked-at marks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.actions import CLOSED_BY_SPOC, ActionClosure
from assessments.models.reference import Force, Round
from assessments.status import (
    EDITABLE_STATUSES,
    ImplementationStatus,
    WorkflowStatus,
)


class Assessment(models.Model):
    """One force's self-assessment in one round; its status changes only through workflow.py."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="assessments")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=WorkflowStatus.choices, default=WorkflowStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_role = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["force__name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "round"], name="assessment_one_per_force_per_round"),
            models.CheckConstraint(
                condition=~Q(status=WorkflowStatus.SIGNED_OFF)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="assessment_signed_off_has_signer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorkflowStatus.values), name="assessment_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} – {self.round}"

    @property
    def is_editable(self) -> bool:
        """Draft and returned assessments can be edited (subject to the user's role)."""
        return self.status in EDITABLE_STATUSES


class Action(models.Model):
    """One of a force's actions on one activity, kept across rounds: the force's improvement plan.

    Raised when a next step with an owner or date is first saved on an activity below Implemented, and
    followed from round to round as answers carry forward: its wording, owner and date follow the
    force's latest answer, and each change from one target date to another counts as a move. It closes
    when the activity reaches Implemented or Embedded (and opens again if the activity drops back), or
    when the SPOC marks it done or replaces it with a new action, which is for good. The rule is
    assessments.actions.action_on_save; assessments.services writes it, and nothing else does.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="actions")
    activity = models.ForeignKey("actionplan.Activity", on_delete=models.PROTECT, related_name="+")
    raised_in = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    next_steps = models.TextField()
    action_owner = models.CharField(max_length=150, blank=True)
    target_date = models.DateField(null=True, blank=True)
    target_moves = models.PositiveIntegerField(default=0)
    closed_as = models.CharField(max_length=20, choices=ActionClosure.choices, blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )

    class Meta:
        ordering = ["force__name", "activity__area__number", "activity__order", "raised_at"]
        constraints = [
            # At most one open action per force and activity: the next one is raised only once the
            # last has closed.
            models.UniqueConstraint(
                fields=["force", "activity"], condition=Q(closed_as=""), name="action_one_open_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(closed_as__in=ActionClosure.values), name="action_closure_known"
            ),
            models.CheckConstraint(
                condition=Q(closed_as="", closed_at__isnull=True)
                | (~Q(closed_as="") & Q(closed_at__isnull=False)),
                name="action_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(closed_as__in=sorted(CLOSED_BY_SPOC)) | Q(closed_by__isnull=False),
                name="action_closed_by_spoc_has_who",
            ),
            # Only a replaced action names its replacement. (That every replaced action names one is
            # held by services.action_close, which writes both in one transaction: the replacement can
            # only be created once the old action has closed, as only one may be open.)
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(closed_as=ActionClosure.REPLACED),
                name="action_replacement_only_when_replaced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force}: action on {self.activity_id} raised in {self.raised_in_id}"


def empty_evidence_references() -> list[dict[str, str]]:
    """Default for evidence references: none yet."""
    return []


class ActivityReturn(models.Model):
    """A force's answer for one activity in one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="returns")
    activity = models.ForeignKey("actionplan.Activity", on_delete=models.PROTECT, related_name="returns")
    implementation_status = models.CharField(max_length=20, choices=ImplementationStatus.choices, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    evidence_summary = models.TextField(blank=True)
    # A list of {"title", "location", "applies_on"} so evidence is dated by when it applies.
    evidence_references = models.JSONField(default=empty_evidence_references, blank=True)
    next_steps = models.TextField(blank=True)
    action_owner = models.CharField(max_length=150, blank=True)
    target_date = models.DateField(null=True, blank=True)
    carried_forward = models.BooleanField(
        default=False, help_text="Copied from the last signed-off round and not yet confirmed."
    )
    confirmed = models.BooleanField(default=False, help_text="Confirmed or changed in this round.")
    is_complete = models.BooleanField(default=False)
    reopened_for_changes = models.BooleanField(default=False)
    coordinator_comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # The action this answer's next step belongs to (None without one); kept by assessments.services.
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )

    history = HistoricalRecords(excluded_fields=["revision", "is_complete", "action"])

    class Meta:
        ordering = ["activity__area__number", "activity__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "activity"], name="return_one_per_activity"),
            models.CheckConstraint(
                condition=Q(implementation_status="")
                | Q(implementation_status__in=ImplementationStatus.values),
                name="return_status_known",
            ),
            # A reason for not applying belongs to Not applicable alone (rules.as_kept).
            models.CheckConstraint(
                condition=Q(implementation_status=ImplementationStatus.NOT_APPLICABLE)
                | Q(not_applicable_reason=""),
                name="return_reason_only_when_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} for {self.assessment}"


# Every saved version of every return (django-simple-history's model for ActivityReturn). Reads that
# need no instance use this class: `ActivityReturn.history` builds a manager class, with inspect, on
# every access, which was a visible share of the review page.
ActivityReturnHistory: Any = ActivityReturn.history.model


class ReviewMark(models.Model):
    """A reviewer's note to self that they have looked at one activity of one version of an assessment.

    Kept per version so that a long review can be done over two sittings, and so that a resubmission
    (a new event, not a new version) keeps what was already checked while a reopened version starts
    afresh. Each reviewer keeps their own marks: it is their progress through the page, not a decision.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="review_marks")
    version = models.PositiveIntegerField()
    activity = models.ForeignKey("actionplan.Activity", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version", "activity", "user"], name="review_mark_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.version}: {self.activity_id} looked at by {self.user_id}"
