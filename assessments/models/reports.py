"""What the service keeps of its output: stored PDFs, national packs, and the reminders it sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.dates import long_date
from assessments.models.assessment import Assessment
from assessments.models.reference import Region, Round
from assessments.status import (
    ACTIVE_PACK_STATES,
    PackState,
)


def stored_report_path(instance: StoredReport, filename: str) -> str:
    """Stored reports live under reports/<force code>/ with their download name."""
    return f"reports/{instance.assessment.force.code}/{filename}"


class StoredReport(models.Model):
    """The PDF of one signed-off version, made from its snapshot and served as the same bytes after.

    Written by assessments.reports.storage only after the PDF has rendered in full; never changed.
    The task worker makes it when the version is signed off (assessments/reports/renders.py). When the
    report layout changes (REPORT_TEMPLATE_VERSION in assessments/reports/rendering.py), the version is
    rendered again into a new row beside the old one, so what was served before stays on record; pages
    serve the newest.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="stored_reports")
    version = models.PositiveIntegerField()
    template_version = models.PositiveIntegerField(
        default=1, help_text="The report layout (REPORT_TEMPLATE_VERSION) this PDF was rendered with."
    )
    pdf = models.FileField(upload_to=stored_report_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "version", "template_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version", "template_version"],
                name="stored_report_one_per_version_and_layout",
            ),
        ]

    def __str__(self) -> str:
        return f"Report for {self.assessment} – version {self.version}"


class ReportPack(models.Model):
    """A zip of every force's report in a scope (all forces, or one region), made by a background task.

    `state` (not a workflow status) moves queued → running → ready or failed, only through
    assessments/reports/pack_workflow.py (the table is PACK_TRANSITIONS); progress counts forces.
    """

    State = PackState

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="report_packs")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_packs",
        help_text="Empty for the national pack.",
    )
    # "national" or the region's slug: at most one queued or running pack per round and scope.
    scope = models.CharField(max_length=60)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="report-packs/", blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "ready", "failed"]),
                name="report_pack_state_known",
            ),
            models.UniqueConstraint(
                fields=["round", "scope"],
                condition=Q(state__in=["queued", "running"]),
                name="report_pack_one_active_per_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.region.name if self.region_id and self.region else "All forces"
        return f"{scope} report pack for {self.round}"

    @property
    def is_active(self) -> bool:
        """Queued or running: a second request joins this pack instead of starting another."""
        return self.state in ACTIVE_PACK_STATES


class ReminderLog(models.Model):
    """One reminder sent to one person about one assessment on one day, so a rerun never repeats it."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Assessment due soon"
        WAITING_FOR_REVIEW = "waiting_for_review", "Submission waiting for review"
        OVERDUE_COPY = "overdue_copy", "Copy: assessment 7 days overdue"
        WAITING_COPY = "waiting_for_review_copy", "Copy: submission waiting 10 working days"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "assessment", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} on {long_date(self.sent_on)}"
