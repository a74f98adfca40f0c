"""Writes other than workflow transitions: opening a round (with carry-forward) and saving a return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actionplan.models import ActionPlan
from assessments.answers import ANSWER_FIELDS, Answer, answer_from_json, answer_of, answer_with
from assessments.models import ActivityReturn, Assessment, AssessmentSnapshot, Force, ReviewMark, Round
from assessments.permissions import can_edit_reference_data, can_edit_return, can_review
from assessments.rules import return_problems

# A save may change any field of the answer, and a new round carries every one of them forward.
EDITABLE_FIELDS = ANSWER_FIELDS


class StaleReturn(Exception):
    """Someone else saved this activity after the user opened it; nothing was overwritten."""

    def __init__(self, current: ActivityReturn) -> None:
        super().__init__("The activity return changed since it was opened.")
        self.current = current


@dataclass(frozen=True)
class OpenedRound:
    """What opening a round created, for the confirmation message."""

    round: Round
    assessments_created: int
    returns_carried_forward: int


def last_signed_off_answers(*, force_ids: list[int]) -> dict[tuple[int, str], Answer]:
    """Each force's answers as last signed off, keyed by (force id, activity code).

    Read from the signed-off snapshots, not the live returns: a reopened assessment's returns may have
    changed since, but what was signed off is what carries forward.
    """
    latest: dict[int, int] = {}
    snapshots = (
        AssessmentSnapshot.objects.filter(assessment__force_id__in=force_ids)
        .order_by("assessment__force_id", "-created_at", "-pk")
        .values_list("assessment__force_id", "pk")
    )
    for force_id, snapshot_id in snapshots:
        latest.setdefault(force_id, snapshot_id)
    answers: dict[tuple[int, str], Answer] = {}
    for force_id, data in AssessmentSnapshot.objects.filter(pk__in=latest.values()).values_list(
        "assessment__force_id", "data"
    ):
        for row in data.get("returns", []):
            answers[(force_id, row["activity_code"])] = answer_from_json(row)
    return answers


@transaction.atomic
def round_open(
    *,
    name: str,
    plan: ActionPlan,
    opens_on: datetime.date,
    due_on: datetime.date,
    opened_by: Any,
    evidence_window_starts_on: datetime.date | None = None,
) -> OpenedRound:
    """Open a round: one assessment per force, each return pre-filled from the force's last sign-off.

    Copied answers are marked as carried forward and unconfirmed, so they never count as complete
    until the SPOC has looked at them in this round.
    """
    if not can_edit_reference_data(opened_by):
        raise PermissionDenied("Only national staff and administrators open rounds.")
    new_round = Round.objects.create(
        name=name,
        plan=plan,
        opens_on=opens_on,
        due_on=due_on,
        is_open=True,
        evidence_window_starts_on=evidence_window_starts_on,
    )
    forces = list(Force.objects.order_by("pk"))
    activities = list(plan.activities.order_by("area__number", "order"))
    previous = last_signed_off_answers(force_ids=[force.pk for force in forces])
    # A new assessment starts as a draft (the model default); only workflow.py moves it on.
    assessments = Assessment.objects.bulk_create(
        [Assessment(force=force, round=new_round) for force in forces]
    )
    if any(assessment.pk is None for assessment in assessments):
        # SQLite before 3.35 cannot return ids from a bulk insert; read them back.
        assessments = list(Assessment.objects.filter(round=new_round).order_by("force_id"))
    returns: list[ActivityReturn] = []
    carried = 0
    for assessment in assessments:
        for activity in activities:
            activity_return = ActivityReturn(assessment=assessment, activity=activity)
            earlier = previous.get((assessment.force_id, activity.code))
            if earlier is not None and earlier["implementation_status"]:
                for field, value in earlier.items():
                    setattr(activity_return, field, value)
                activity_return.carried_forward = True
                carried += 1
            returns.append(activity_return)
    bulk_create_with_history(returns, ActivityReturn, batch_size=500, default_user=opened_by)
    return OpenedRound(round=new_round, assessments_created=len(assessments), returns_carried_forward=carried)


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
    # One query finds and locks the return's assessment (the join locks only the assessment's row).
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("force")
        .get(returns__pk=activity_return_id)
    )
    activity_return = (
        ActivityReturn.objects.select_for_update(of=("self",))
        .select_related("activity", "updated_by")
        .get(pk=activity_return_id)
    )
    activity_return.assessment = assessment
    if not can_edit_return(by, activity_return):
        raise PermissionDenied("This activity cannot be changed now.")
    if activity_return.revision != expected_revision:
        raise StaleReturn(activity_return)
    answer = answer_with(answer_of(activity_return), values)
    for field, value in answer.items():
        setattr(activity_return, field, value)
    activity_return.confirmed = True
    activity_return.is_complete = not return_problems(answer)
    activity_return.revision += 1
    activity_return.updated_by = by
    activity_return.updated_at = timezone.now()
    activity_return._history_user = by  # type: ignore[attr-defined]
    activity_return.save()
    return activity_return


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
