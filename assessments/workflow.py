"""Workflow transitions: the only code that changes an assessment's status.

Each transition opens a transaction, re-reads the assessment with select_for_update(), checks the
allowed-transitions table and the actor's right to act, saves, writes an append-only event and queues
its emails in the same transaction (assessments/notifications.py): they commit or roll back with the
change, and the task worker sends them, so the request never waits on the mail relay.

`site` is the address the person was using (accounts.mail.site_of), for links in those emails when no
SERVICE_BASE_URL is configured (development); production links always use the configured address.

submit, return_for_changes and sign_off also take `at`, for replaying history (the national data
generator writes past rounds through these functions): the transition is recorded as having happened
at that moment, and no email is queued, because nobody needs telling today about a move made months
ago; nor is a replayed sign-off's PDF render (assessments/reports/renders.py). Live callers never pass it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.roles import Role
from assessments import notifications, selectors
from assessments.dates import UK_TIME
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
    Round,
    RoundEvent,
)
from assessments.permissions import (
    access_for,
    can_edit_reference_data,
    can_reopen,
    can_review,
    can_submit,
    decision_conflict,
)
from assessments.reports.renders import queue_signed_off_render
from assessments.snapshots import build_snapshot_data, plan_areas, snapshot_area_tallies, snapshot_hash
from assessments.status import ALLOWED_TRANSITIONS, WorkflowStatus, workflow_label


class InvalidTransition(Exception):
    """The assessment is not in a state that allows this move."""

    def __init__(self, current: str, target: str) -> None:
        self.current = WorkflowStatus(current)
        self.target = WorkflowStatus(target)
        super().__init__(
            f"An assessment that is {workflow_label(self.current).lower()} cannot be moved to "
            f"{workflow_label(self.target).lower()}."
        )


class IncompleteAssessment(Exception):
    """Submission refused: these activities still need answers."""

    def __init__(self, incomplete: list[ActivityReturn]) -> None:
        self.incomplete = incomplete
        super().__init__(f"{len(incomplete)} activities are not complete.")


class EvidenceOfChangeMissing(Exception):
    """Submission refused: these activities' statuses rose without evidence of change (rules.py)."""

    def __init__(self, breaches: list[selectors.EvidenceBreach]) -> None:
        self.breaches = breaches
        codes = ", ".join(breach.code for breach in breaches)
        super().__init__(f"These activities need evidence of change before submitting: {codes}.")


class ReturnNeedsReason(ValueError):
    """A return for changes must say why, overall."""

    def __init__(self) -> None:
        super().__init__("Enter the reason for returning the assessment.")


class ReturnNeedsActivities(ValueError):
    """A return for changes must mark at least one activity, and only activities of this assessment."""

    def __init__(self, unknown: list[str] | None = None) -> None:
        self.unknown = sorted(unknown or [])
        if self.unknown:
            message = f"These activities are not in this assessment: {', '.join(self.unknown)}."
        else:
            message = "Select at least one activity that needs changes."
        super().__init__(message)


class SignOffWithMarks(ValueError):
    """Sign-off refused: the coordinator has asked for changes to these activities on the same page.

    Signing off would silently drop those requests, and undoing a sign-off needs national staff.
    """

    def __init__(self, codes: list[str]) -> None:
        self.codes = sorted(codes)
        super().__init__(
            f"You have asked for changes to {', '.join(self.codes)}. "
            "Return the assessment, or clear those requests before signing off"
        )


class StalePage(ValueError):
    """The decision was made on a page that no longer shows the assessment as it is.

    Someone else moved the assessment (the SPOC resubmitted, another coordinator decided) after the
    page was opened: the count of its workflow events no longer matches what the page showed.
    """

    def __init__(self) -> None:
        super().__init__(
            "The assessment has changed since you opened this page. "
            "Check the latest version below and decide again."
        )


class ReopenNeedsReason(ValueError):
    """Reopening a signed-off assessment must say why."""

    def __init__(self) -> None:
        super().__init__("Enter the reason for reopening the assessment.")


@dataclass(frozen=True)
class Actor:
    """Who acted and in which role, as written into the event."""

    user: Any
    role: Role


def _lock(assessment_id: int) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("force__region", "round")
        .get(pk=assessment_id)
    )


def _check_transition(assessment: Assessment, target: WorkflowStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[WorkflowStatus(assessment.status)]:
        raise InvalidTransition(assessment.status, target)


def _check_fresh(locked: Assessment, events_seen: int | None) -> None:
    """Refuse a decision made on a stale page: `events_seen` is how many events the page showed."""
    if events_seen is not None and locked.events.count() != events_seen:
        raise StalePage()


def _check_separation_of_duties(by: Any, assessment: Assessment) -> None:
    """Refuse a decision by someone in the force, or by whoever submitted or edited this version."""
    conflict = decision_conflict(by, assessment)
    if conflict is not None:
        raise PermissionDenied(conflict)


def _notify(queue: Callable[[], None], *, at: datetime.datetime | None) -> None:
    """Queue the transition's emails, unless it replays history (see the module docstring)."""
    if at is None:
        queue()


def _record(
    assessment: Assessment, *, actor: Actor, from_status: str, at: datetime.datetime, comment: str = ""
) -> AssessmentEvent:
    return AssessmentEvent.objects.create(
        assessment=assessment,
        version=assessment.version,
        actor=actor.user,
        actor_name=actor.user.get_full_name(),
        actor_role=actor.role.label,
        from_status=from_status,
        to_status=assessment.status,
        comment=comment,
        created_at=at,
    )


def submit(
    assessment: Assessment, *, by: Any, site: str = "", at: datetime.datetime | None = None
) -> Assessment:
    """The force SPOC sends a complete assessment to the regional coordinator.

    `at` replays a past submission: it is dated then and nobody is emailed (see the module docstring).
    """
    with transaction.atomic():
        locked = _lock(assessment.pk)
        moment = at if at is not None else timezone.now()  # after the lock: events keep commit order
        _check_transition(locked, WorkflowStatus.SUBMITTED)
        if not can_submit(by, locked):
            raise PermissionDenied("Only the force's SPOC can submit its assessment.")
        incomplete = selectors.incomplete_returns(assessment=locked)
        if incomplete:
            raise IncompleteAssessment(incomplete)
        # A replay is checked as on the day it happened: the window ends then, not today.
        check, breaches = selectors.evidence_breaches(assessment=locked, today=uk_date(moment))
        if breaches and not check.warn_only:
            raise EvidenceOfChangeMissing(breaches)
        from_status = locked.status
        # Activities opened for changes close again once the force sends its answers back. They are read
        # once: for the resubmission email (which names them) and to close them with a history row each.
        reopened = list(
            locked.returns.filter(reopened_for_changes=True)
            .select_related("activity")
            .order_by("activity__area__number", "activity__order")
        )
        returned = (
            [(r.activity.code, r.activity.title) for r in reopened]
            if from_status == WorkflowStatus.RETURNED
            else []
        )
        locked.status = WorkflowStatus.SUBMITTED
        locked.submitted_at = moment
        locked.submitted_by = by
        locked.save(update_fields=["status", "submitted_at", "submitted_by"])
        if reopened:
            # A queryset update would skip django-simple-history: bulk_update_with_history writes the
            # rows in one update and their history rows in one insert, however many there are.
            for activity_return in reopened:
                activity_return.reopened_for_changes = False
            bulk_update_with_history(
                reopened,
                ActivityReturn,
                ["reopened_for_changes"],
                default_user=by,
                default_change_reason="Closed for changes on resubmission",
                default_date=moment,
            )
        _record(locked, actor=Actor(by, Role.SPOC), from_status=from_status, at=moment)
        _notify(
            lambda: notifications.assessment_submitted(locked, by=by, returned=returned, site=site), at=at
        )
    return locked


def return_for_changes(
    assessment: Assessment,
    *,
    by: Any,
    reason: str,
    activity_comments: dict[str, str],
    site: str = "",
    at: datetime.datetime | None = None,
    events_seen: int | None = None,
) -> Assessment:
    """The region's coordinator sends a submitted assessment back, opening only the marked activities.

    `activity_comments` maps activity codes to the coordinator's comment on each; returns not named
    keep whatever they had. `at` replays a past return: the event and the returns' history are dated
    then and nobody is emailed (see the module docstring). `events_seen`, from the review page, is how
    many workflow events the coordinator saw: if there are more now, the decision is refused (StalePage).
    """
    with transaction.atomic():
        locked = _lock(assessment.pk)
        moment = at if at is not None else timezone.now()  # after the lock: events keep commit order
        _check_transition(locked, WorkflowStatus.RETURNED)
        if not can_review(by, locked):
            raise PermissionDenied("Only a coordinator of the force's region can return its assessment.")
        _check_separation_of_duties(by, locked)
        _check_fresh(locked, events_seen)
        reason = reason.strip()
        if not reason:
            raise ReturnNeedsReason()
        if not activity_comments:
            raise ReturnNeedsActivities()
        marked = list(
            locked.returns.filter(activity__code__in=list(activity_comments))
            .select_related("activity")
            .order_by("activity__area__number", "activity__order")
        )
        unknown = set(activity_comments) - {activity_return.activity.code for activity_return in marked}
        if unknown:
            raise ReturnNeedsActivities(sorted(unknown))
        from_status = locked.status
        locked.status = WorkflowStatus.RETURNED
        locked.save(update_fields=["status"])
        for activity_return in marked:
            activity_return.reopened_for_changes = True
            activity_return.coordinator_comment = activity_comments[activity_return.activity.code].strip()
            activity_return._history_user = by  # type: ignore[attr-defined]
            if at is not None:
                # django-simple-history dates the saved version from this attribute when it is set.
                activity_return._history_date = at  # type: ignore[attr-defined]
            activity_return.save(update_fields=["reopened_for_changes", "coordinator_comment"])
        _record(locked, actor=Actor(by, Role.COORDINATOR), from_status=from_status, at=moment, comment=reason)
        _notify(
            lambda: notifications.assessment_returned(
                locked, activities=[(row.activity.code, row.activity.title) for row in marked], site=site
            ),
            at=at,
        )
    return locked


def sign_off(
    assessment: Assessment,
    *,
    by: Any,
    comment: str = "",
    site: str = "",
    at: datetime.datetime | None = None,
    marked: Collection[str] = (),
    events_seen: int | None = None,
) -> Assessment:
    """The region's coordinator signs off a submitted assessment and stores its canonical snapshot.

    `at` replays a past sign-off: the sign-off, its snapshot and event are dated then and nobody is
    emailed (see the module docstring). `marked` names the activities the coordinator marked as needing
    changes on the page they signed off from: any at all refuses the sign-off (SignOffWithMarks), since
    signing off would throw those requests away. `events_seen` refuses a stale page, as in
    return_for_changes.
    """
    with transaction.atomic():
        locked = _lock(assessment.pk)
        moment = at if at is not None else timezone.now()  # after the lock: events keep commit order
        _check_transition(locked, WorkflowStatus.SIGNED_OFF)
        if not can_review(by, locked):
            raise PermissionDenied("Only a coordinator of the force's region can sign off its assessment.")
        _check_separation_of_duties(by, locked)
        _check_fresh(locked, events_seen)
        if marked:
            raise SignOffWithMarks(list(marked))
        actor = Actor(by, Role.COORDINATOR)
        from_status = locked.status
        locked.status = WorkflowStatus.SIGNED_OFF
        locked.signed_off_at = moment
        locked.signed_off_by = by
        locked.signed_off_role = str(actor.role.label)
        locked.save(update_fields=["status", "signed_off_at", "signed_off_by", "signed_off_role"])
        data = build_snapshot_data(locked)
        AssessmentSnapshot.objects.create(
            assessment=locked,
            version=locked.version,
            created_at=locked.signed_off_at,
            data=data,
            sha256=snapshot_hash(data),
            area_tallies=snapshot_area_tallies(data, plan_areas(locked.round.plan_id)),
        )
        _record(locked, actor=actor, from_status=from_status, at=moment, comment=comment.strip())
        _notify(lambda: notifications.assessment_signed_off(locked, site=site), at=at)
        if at is None:
            # The worker renders the signed-off PDF, so its first download is a stored file. A replay
            # queues nothing; `manage.py refresh_stored_reports` renders replayed versions.
            queue_signed_off_render(assessment_id=locked.pk, version=locked.version)
    return locked


def reopen(assessment: Assessment, *, by: Any, reason: str, site: str = "") -> Assessment:
    """National staff reopen a signed-off assessment as a new draft version.

    The returns carry on from the signed-off answers; the snapshot of the signed-off version stays as
    it was. The event records the new version.
    """
    with transaction.atomic():
        locked = _lock(assessment.pk)
        _check_transition(locked, WorkflowStatus.DRAFT)
        if not can_reopen(by):
            raise PermissionDenied(
                "Only national staff and administrators can reopen a signed-off assessment."
            )
        reason = reason.strip()
        if not reason:
            raise ReopenNeedsReason()
        access = access_for(by)
        actor = Actor(by, Role.NATIONAL if access.is_national else Role.ADMINISTRATOR)
        from_status = locked.status
        locked.status = WorkflowStatus.DRAFT
        locked.version += 1
        locked.submitted_at = None
        locked.submitted_by = None
        locked.signed_off_at = None
        locked.signed_off_by = None
        locked.signed_off_role = ""
        locked.save(
            update_fields=[
                "status",
                "version",
                "submitted_at",
                "submitted_by",
                "signed_off_at",
                "signed_off_by",
                "signed_off_role",
            ]
        )
        _record(locked, actor=actor, from_status=from_status, at=timezone.now(), comment=reason)
        notifications.assessment_reopened(locked, site=site)
    return locked


def uk_date(moment: datetime.datetime) -> datetime.date:
    """The UK calendar day of a moment: the evidence window ends on it."""
    return moment.astimezone(UK_TIME).date()


def evidence_rule_set(round_: Round, *, by: Any, warn_only: bool, reason: str = "") -> Round:
    """National staff switch a round's evidence-of-change rule to warn only, or back to enforced.

    Locks the round, records who and when in an append-only RoundEvent, and does nothing (no event)
    when the rule is already as asked, so a repeated form post leaves one record.
    """
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if not can_edit_reference_data(by):
            raise PermissionDenied(
                "Only national staff and administrators change how a round applies its rules."
            )
        if locked.evidence_rule_warn_only == warn_only:
            return locked
        access = access_for(by)
        locked.evidence_rule_warn_only = warn_only
        locked.save(update_fields=["evidence_rule_warn_only"])
        RoundEvent.objects.create(
            round=locked,
            kind=RoundEvent.Kind.EVIDENCE_RULE_WARN_ONLY
            if warn_only
            else RoundEvent.Kind.EVIDENCE_RULE_ENFORCED,
            actor=by,
            actor_name=by.get_full_name(),
            actor_role=str((Role.NATIONAL if access.is_national else Role.ADMINISTRATOR).label),
            comment=reason.strip(),
            created_at=timezone.now(),
        )
    return locked
