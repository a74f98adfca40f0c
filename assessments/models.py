"""Regions and forces, review rounds, each force's assessment in a round, and its activity returns."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.actions import CLOSED_BY_SPOC, ActionClosure
from assessments.dates import long_date
from assessments.status import (
    ACTIVE_PACK_STATES,
    EDITABLE_STATUSES,
    ImplementationStatus,
    PackState,
    WorkflowStatus,
)


class RegionManager(models.Manager["Region"]):
    """Find a region by slug."""

    def get_by_natural_key(self, slug: str) -> Region:
        """Return the region with this slug."""
        return self.get(slug=slug)


class ForceManager(models.Manager["Force"]):
    """Find a force by its short code."""

    def get_by_natural_key(self, code: str) -> Force:
        """Return the force with this code."""
        return self.get(code=code)


class Region(models.Model):
    """A regional organised crime unit footprint, where a regional coordinator works."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)

    objects = RegionManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        """Regions are referred to by slug."""
        return (self.slug,)


class Force(models.Model):
    """A police force in England and Wales (43 territorial forces and British Transport Police)."""

    code = models.SlugField(
        max_length=30, unique=True, help_text="Short code used in addresses and file names."
    )
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="forces")
    established_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the force was formed: evidence dated earlier than this is refused.",
    )

    objects = ForceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        """Forces are referred to by code."""
        return (self.code,)


class Round(models.Model):
    """A review period: every force assesses itself against one plan between the opening and due dates."""

    name = models.CharField(max_length=100, unique=True, help_text="For example “2026-27 autumn review”.")
    plan = models.ForeignKey("actionplan.ActionPlan", on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField()
    due_on = models.DateField()
    is_open = models.BooleanField(default=True)
    # The evidence-of-change rule (assessments.rules): a status rise needs a reference dated from this
    # day (the opening when empty, or the force's last sign-off if later) to today.
    evidence_window_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="Evidence for a higher status must be dated on or after this. Empty: the opening date.",
    )
    # Set only by workflow.evidence_rule_set, which records who changed it in a RoundEvent.
    evidence_rule_warn_only = models.BooleanField(
        default=False,
        help_text="A status rise without new evidence is shown as a warning rather than refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("opens_on")), name="round_due_after_opening")
        ]

    def __str__(self) -> str:
        return self.name


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
