"""Notable practice: the only code that moves a nomination between states, in workflow.py's style.

A region's coordinator nominates an activity's evidence while reviewing (nominate); the force's SPOC
or chief officer consents, choosing named or anonymised and editing the shared text, or declines
(consent, decline); national staff publish it (publish); the force or national staff withdraw it at
any point before or after publication (withdraw). Each function locks the row with select_for_update,
checks the state and the actor's right to act, saves, and writes an append-only PracticeEvent with
who and when; a refusal raises before anything is written, so nothing is ever half-done.

The shared text is the practice's own copy: the return and the signed-off snapshot are never touched.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from assessments import notifications
from assessments.models import (
    ActivityReturn,
    Assessment,
    Attribution,
    NotablePractice,
    PracticeEvent,
    PracticeState,
)
from assessments.permissions import access_for, can_review
from assessments.status import WorkflowStatus

REASON_MAX = 1000
SHARED_TEXT_MAX = 2000
# A coordinator nominates from the review: a submitted assessment, or one they have signed off.
NOMINATABLE_STATUSES = frozenset({WorkflowStatus.SUBMITTED, WorkflowStatus.SIGNED_OFF})


class PracticeRefused(ValueError):
    """The step cannot be taken: the message says why, in words for the page."""


def _record(practice: NotablePractice, *, by: Any, role: Role, from_state: str, comment: str = "") -> None:
    PracticeEvent.objects.create(
        practice=practice,
        actor=by,
        actor_name=by.get_full_name(),
        actor_role=str(role.label),
        from_state=from_state,
        to_state=practice.state,
        comment=comment,
        created_at=timezone.now(),
    )


def _force_role(by: Any, force_id: int) -> Role | None:
    """The role in which `by` speaks for the force: its SPOC or its chief officer, else None."""
    access = access_for(by)
    if force_id in access.spoc_force_ids:
        return Role.SPOC
    if force_id in access.chief_officer_force_ids:
        return Role.CHIEF_OFFICER
    return None


def nominate(assessment: Assessment, *, code: str, by: Any, reason: str, site: str = "") -> NotablePractice:
    """A coordinator of the force's region nominates one activity's evidence, with a short reason; the
    force's SPOCs and chief officers are asked by email (queued with the nomination) to consent."""
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update(of=("self",)).select_related("force").get(pk=assessment.pk)
        )
        if not can_review(by, locked):
            raise PermissionDenied("Only a coordinator of the force's region can nominate its practice.")
        if locked.status not in NOMINATABLE_STATUSES:
            raise PracticeRefused("You can nominate practice only from a submitted or signed-off assessment.")
        if not reason:
            raise PracticeRefused("Enter why other forces should see this practice")
        if len(reason) > REASON_MAX:
            raise PracticeRefused(f"The reason must be {REASON_MAX} characters or fewer")
        activity_return = (
            ActivityReturn.objects.filter(assessment_id=locked.pk, activity__code=code)
            .select_related("activity")
            .first()
        )
        if activity_return is None:
            raise PracticeRefused(f"{code} is not an activity of this assessment.")
        if not activity_return.evidence_summary.strip():
            raise PracticeRefused(f"{code} has no evidence summary to share.")
        live = NotablePractice.objects.filter(
            assessment_id=locked.pk,
            activity_id=activity_return.activity_id,
            state__in=[PracticeState.NOMINATED, PracticeState.CONSENTED, PracticeState.PUBLISHED],
        )
        if live.exists():
            raise PracticeRefused(f"{code} has already been nominated.")
        practice = NotablePractice.objects.create(
            assessment=locked,
            activity=activity_return.activity,
            reason=reason,
            shared_text=activity_return.evidence_summary,
            nominated_by=by,
        )
        _record(practice, by=by, role=Role.COORDINATOR, from_state="", comment=reason)
        notifications.practice_nominated(
            locked,
            code=activity_return.activity.code,
            title=activity_return.activity.title,
            practice_id=practice.pk,
            site=site,
        )
    return practice


def consent(practice: NotablePractice, *, by: Any, attribution: str, shared_text: str) -> NotablePractice:
    """The force's SPOC or chief officer agrees to share it, named or anonymised, with their text."""
    shared_text = shared_text.strip()
    with transaction.atomic():
        # Written out in each step (not through a helper) so the state guard sees which model this is.
        locked = (
            NotablePractice.objects.select_for_update(of=("self",))
            .select_related("assessment__force", "activity")
            .get(pk=practice.pk)
        )
        role = _force_role(by, locked.assessment.force_id)
        if role is None:
            raise PermissionDenied(
                "Only the force's SPOC or chief officer can consent to sharing its practice."
            )
        if locked.state != PracticeState.NOMINATED:
            raise PracticeRefused("This practice is no longer waiting for consent.")
        if attribution not in Attribution.values:
            raise PracticeRefused("Select whether to name the force or share it anonymously")
        if not shared_text:
            raise PracticeRefused("Enter the text to share with other forces")
        if len(shared_text) > SHARED_TEXT_MAX:
            raise PracticeRefused(f"The shared text must be {SHARED_TEXT_MAX} characters or fewer")
        from_state = locked.state
        locked.state = PracticeState.CONSENTED
        locked.attribution = attribution
        locked.shared_text = shared_text
        locked.consented_by = by
        locked.consented_at = timezone.now()
        locked.save(update_fields=["state", "attribution", "shared_text", "consented_by", "consented_at"])
        _record(locked, by=by, role=role, from_state=from_state, comment=Attribution(attribution).label)
    return locked


def decline(practice: NotablePractice, *, by: Any) -> NotablePractice:
    """The force's SPOC or chief officer declines to share it."""
    with transaction.atomic():
        # Written out in each step (not through a helper) so the state guard sees which model this is.
        locked = (
            NotablePractice.objects.select_for_update(of=("self",))
            .select_related("assessment__force", "activity")
            .get(pk=practice.pk)
        )
        role = _force_role(by, locked.assessment.force_id)
        if role is None:
            raise PermissionDenied("Only the force's SPOC or chief officer can decline sharing its practice.")
        if locked.state != PracticeState.NOMINATED:
            raise PracticeRefused("This practice is no longer waiting for consent.")
        from_state = locked.state
        locked.state = PracticeState.DECLINED
        locked.save(update_fields=["state"])
        _record(locked, by=by, role=role, from_state=from_state)
    return locked


def publish(practice: NotablePractice, *, by: Any) -> NotablePractice:
    """National staff publish consented practice: every user of the service sees it from now."""
    with transaction.atomic():
        # Written out in each step (not through a helper) so the state guard sees which model this is.
        locked = (
            NotablePractice.objects.select_for_update(of=("self",))
            .select_related("assessment__force", "activity")
            .get(pk=practice.pk)
        )
        access = access_for(by)
        if not access.nationwide:
            raise PermissionDenied("Only national staff can publish notable practice.")
        if locked.state != PracticeState.CONSENTED:
            raise PracticeRefused("Only practice the force has consented to share can be published.")
        from_state = locked.state
        locked.state = PracticeState.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        _record(
            locked,
            by=by,
            role=Role.NATIONAL if access.is_national else Role.ADMINISTRATOR,
            from_state=from_state,
        )
    return locked


def withdraw(practice: NotablePractice, *, by: Any, reason: str = "") -> NotablePractice:
    """The force (its SPOC or chief officer) or national staff take it down at once, at any stage."""
    with transaction.atomic():
        # Written out in each step (not through a helper) so the state guard sees which model this is.
        locked = (
            NotablePractice.objects.select_for_update(of=("self",))
            .select_related("assessment__force", "activity")
            .get(pk=practice.pk)
        )
        access = access_for(by)
        role = _force_role(by, locked.assessment.force_id)
        if role is None and access.nationwide:
            role = Role.NATIONAL if access.is_national else Role.ADMINISTRATOR
        if role is None:
            raise PermissionDenied("Only the force or national staff can withdraw its practice.")
        if locked.state not in (PracticeState.NOMINATED, PracticeState.CONSENTED, PracticeState.PUBLISHED):
            raise PracticeRefused("This practice has already been withdrawn or declined.")
        from_state = locked.state
        locked.state = PracticeState.WITHDRAWN
        locked.save(update_fields=["state"])
        _record(locked, by=by, role=role, from_state=from_state, comment=reason.strip())
    return locked
