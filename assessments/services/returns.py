"""Saving a return (the web form and the spreadsheet upload both come here), a SPOC closing an action
(which saves its return), and the coordinator's looked-at marks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments.actions import (
    CLOSED_BY_SPOC,
    ActionClosure,
    ActionValues,
    is_open_action,
)
from assessments.answers import ANSWER_FIELDS, Answer, answer_of, answer_with
from assessments.models import (
    Action,
    ActivityReturn,
    Assessment,
    ReviewMark,
)
from assessments.permissions import can_edit_return, can_review, is_spoc_for
from assessments.rules import as_kept, return_problems
from assessments.services.actions import (
    ActionNotOpen,
    CannotReplaceNow,
    ClosedAction,
    ReplacementNotAnAction,
    _action_fields,
    action_follow_return,
)
from assessments.services.locking import (
    _ASSESSMENT_FIELDS,
    _LOCKED_ASSESSMENT,
    _LOCKED_RETURN,
    _RETURN_FIELDS,
    _locked,
)

# A save may change any field of the answer, and a new round carries every one of them forward.
EDITABLE_FIELDS = ANSWER_FIELDS


class StaleReturn(Exception):
    """Someone else saved this activity after the user opened it; nothing was overwritten."""

    def __init__(self, current: ActivityReturn) -> None:
        super().__init__("The activity return changed since it was opened.")
        self.current = current


@transaction.atomic
def activity_return_save(
    *, activity_return_id: int, values: Answer, by: Any, expected_revision: int
) -> ActivityReturn:
    """Save the SPOC's answer for one activity, refusing to overwrite a change made since it was opened.

    `values` is the whole answer (forms.ActivityReturnForm.answer, or a spreadsheet row laid over the
    stored answer); a field it leaves out keeps its stored value.
    """
    # Lock the assessment before the return, in the same order as the workflow transitions, so a
    # save and a concurrent submission or sign-off queue behind each other instead of deadlocking.
    # One query finds and locks the return's assessment (the subquery locks nothing).
    assessment = _locked(_LOCKED_ASSESSMENT, Assessment, _ASSESSMENT_FIELDS, return_id=activity_return_id)
    if assessment is None:
        raise Assessment.DoesNotExist("No assessment has an activity return with that id.")
    activity_return = _locked(_LOCKED_RETURN, ActivityReturn, _RETURN_FIELDS, return_id=activity_return_id)
    if activity_return is None:
        raise ActivityReturn.DoesNotExist("No activity return with that id.")
    activity_return.assessment = assessment
    if not can_edit_return(by, activity_return):
        raise PermissionDenied("This activity cannot be changed now.")
    if activity_return.revision != expected_revision:
        raise StaleReturn(activity_return)
    answer = as_kept(answer_with(answer_of(activity_return), values))
    for field, value in answer.items():
        setattr(activity_return, field, value)
    activity_return.confirmed = True
    activity_return.is_complete = not return_problems(answer)
    activity_return.revision += 1
    activity_return.updated_by = by
    activity_return.updated_at = timezone.now()
    activity_return._history_user = by  # type: ignore[attr-defined]
    activity_return.action = action_follow_return(activity_return, round_id=assessment.round_id, by=by)
    activity_return.save()
    return activity_return


def _latest_return(*, force_id: int, activity_id: int) -> ActivityReturn | None:
    """The force's answer for the activity in its latest round: where an action's next step lives."""
    return (
        ActivityReturn.objects.select_related("assessment", "activity")
        .filter(assessment__force_id=force_id, activity_id=activity_id)
        .order_by("-assessment__round__opens_on", "-assessment__round_id")
        .first()
    )


@transaction.atomic
def action_close(
    *,
    action_id: int,
    how: str,
    by: Any,
    note: str = "",
    replacement: ActionValues | None = None,
) -> ClosedAction:
    """A SPOC marks an open action done, or replaces it with a new next step written in its place.

    Either way it leaves the register for good. A replacement is written into the force's latest
    answer for the activity, so it needs that assessment open for editing; marking done does not.
    Nothing is written unless everything succeeds.
    """
    if how not in CLOSED_BY_SPOC:
        raise ValueError(f"{how} is not a way to close an action.")
    # Lock in the order every save takes its rows (services.locking): the assessment, the return, then
    # the action. Locking the action first, as this once did, could deadlock against a save of the same
    # answer, which holds the return and waits for the action. Which rows those are is read unlocked
    # first, then read again once they are held.
    target = Action.objects.only("force_id", "activity_id").get(pk=action_id)
    latest = _latest_return(force_id=target.force_id, activity_id=target.activity_id)
    if latest is not None:
        # order_by(): the models' default orderings join other tables, whose rows FOR UPDATE would lock.
        list(
            Assessment.objects.select_for_update()
            .filter(pk=latest.assessment_id)
            .order_by()
            .values_list("pk")
        )
        list(ActivityReturn.objects.select_for_update().filter(pk=latest.pk).order_by().values_list("pk"))
        held = latest.pk
        latest = _latest_return(force_id=target.force_id, activity_id=target.activity_id)
        if latest is None or latest.pk != held:  # a new round opened meanwhile: its answer is not held
            raise ActionNotOpen("This action is no longer open.")
    action = Action.objects.select_for_update(of=("self",)).select_related("force").get(pk=action_id)
    if latest is None or not is_spoc_for(by, latest.assessment):
        raise PermissionDenied("Only the force's SPOC closes its actions.")
    if latest.action_id != action.pk or not is_open_action(
        implementation_status=latest.implementation_status,
        closed_as=action.closed_as,
        **_action_fields(latest),
    ):
        raise ActionNotOpen("This action is no longer open.")
    now = timezone.now()
    if how == ActionClosure.REPLACED:
        if replacement is None or not replacement.is_action:
            raise ReplacementNotAnAction("Enter the new next step, and who owns it or a target date.")
        if not can_edit_return(by, latest):
            raise CannotReplaceNow(
                "The force's assessment cannot be changed now, so a new next step cannot be written. "
                "You can mark the action done instead."
            )
    # Close first: only one action per activity may be open, and the replacement is about to be.
    action.closed_as = how
    action.closed_at = now
    action.closed_by = by
    action.close_note = note.strip()
    action.save()
    new_action = None
    if how == ActionClosure.REPLACED and replacement is not None:
        new_action = Action.objects.create(
            force_id=action.force_id,
            activity_id=action.activity_id,
            raised_in_id=latest.assessment.round_id,
            raised_at=now,
            next_steps=replacement.next_steps,
            action_owner=replacement.action_owner,
            target_date=replacement.target_date,
        )
        action.replaced_by = new_action
        action.save(update_fields=["replaced_by"])
    if replacement is not None and new_action is not None:
        activity_return_save(
            activity_return_id=latest.pk,
            values=answer_with(
                answer_of(latest),
                {
                    "next_steps": replacement.next_steps,
                    "action_owner": replacement.action_owner,
                    "target_date": replacement.target_date,
                },
            ),
            by=by,
            expected_revision=latest.revision,
        )
    return ClosedAction(action=action, replacement=new_action)


class UnknownActivity(ValueError):
    """The activity code is not one of this assessment's activities (a forged or mistyped form)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"{code} is not an activity of this assessment.")


def review_mark_set(*, assessment: Assessment, code: str, by: Any, looked_at: bool) -> None:
    """Mark one activity of the assessment's current version as looked at by the reviewer, or unmark it.

    Only a coordinator who may review the assessment keeps marks; a code from another assessment (or
    none at all) is refused and nothing is written. Marking twice is harmless.
    """
    if not can_review(by, assessment):
        raise PermissionDenied("Only a coordinator of the force's region reviews its assessment.")
    activity_id = (
        ActivityReturn.objects.filter(assessment_id=assessment.pk, activity__code=code)
        .values_list("activity_id", flat=True)
        .first()
    )
    if activity_id is None:
        raise UnknownActivity(code)
    marks = ReviewMark.objects.filter(
        assessment_id=assessment.pk, version=assessment.version, activity_id=activity_id, user_id=by.pk
    )
    if not looked_at:
        marks.delete()
    elif not marks.exists():
        ReviewMark.objects.create(
            assessment_id=assessment.pk, version=assessment.version, activity_id=activity_id, user_id=by.pk
        )
