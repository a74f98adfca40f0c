"""Writes other than workflow transitions: opening a round (with carry-forward), saving a return, actions.

Actions (assessments.models.Action) are written only here: `action_follow_return` after every saved
answer, `action_close` when a SPOC marks one done or replaces it, the carry-forward in `round_open`, and
`actions_from_returns` for returns written in bulk (the data generator). The decisions are
assessments.actions.action_on_save.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actionplan.models import ActionPlan
from assessments.actions import (
    CLOSED_BY_SPOC,
    ActionClosure,
    ActionDecision,
    ActionStep,
    ActionValues,
    action_on_save,
    is_open_action,
)
from assessments.answers import ANSWER_FIELDS, Answer, answer_from_json, answer_of, answer_with
from assessments.models import (
    Action,
    ActivityReturn,
    Assessment,
    AssessmentSnapshot,
    Force,
    ReviewMark,
    Round,
)
from assessments.permissions import can_edit_reference_data, can_edit_return, can_review, is_spoc_for
from assessments.rules import as_kept, return_problems
from ops.prepared_reads import PreparedRead

M = TypeVar("M", bound=Model)

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
    _carry_actions_forward(returns, force_ids=[force.pk for force in forces])
    bulk_create_with_history(returns, ActivityReturn, batch_size=500, default_user=opened_by)
    return OpenedRound(round=new_round, assessments_created=len(assessments), returns_carried_forward=carried)


def _fields(model: type[Model]) -> tuple[str, ...]:
    """A model's columns (attnames) in the order Model.from_db takes them for a whole row."""
    return tuple(field.attname for field in model._meta.concrete_fields)


_ASSESSMENT_FIELDS = _fields(Assessment)
_RETURN_FIELDS = _fields(ActivityReturn)
_ACTION_FIELDS = _fields(Action)

# The save's locking reads, compiled once per connection (ops.prepared_reads): the ORM took longer to
# build their SQL than the database took to answer, on every save. Each reads whole rows of one table,
# with no join, so a plain FOR UPDATE locks exactly what select_for_update(of=("self",)) locked (the
# return's assessment is found by a subquery, which locks nothing). Rows become model instances by
# Model.from_db, as the ORM's own iteration makes them.
_LOCKED_ASSESSMENT = PreparedRead(
    lambda return_id: (
        Assessment.objects.select_for_update()
        .filter(
            pk=Subquery(ActivityReturn.objects.filter(pk=return_id).order_by().values("assessment_id")[:1])
        )
        .order_by()
        .values_list(*_ASSESSMENT_FIELDS)
    ),
    "return_id",
)
_LOCKED_RETURN = PreparedRead(
    lambda return_id: (
        ActivityReturn.objects.select_for_update()
        .filter(pk=return_id)
        .order_by()
        .values_list(*_RETURN_FIELDS)
    ),
    "return_id",
)
# The force's open action for the activity (at most one: a database constraint); the lowest id, as
# QuerySet.first() chose before.
_LOCKED_OPEN_ACTION = PreparedRead(
    lambda force_id, activity_id: (
        Action.objects.select_for_update()
        .filter(force_id=force_id, activity_id=activity_id, closed_as=ActionClosure.OPEN)
        .order_by("pk")
        .values_list(*_ACTION_FIELDS)[:1]
    ),
    "force_id",
    "activity_id",
)


def _locked(read: PreparedRead, model: type[M], fields: tuple[str, ...], **values: int) -> M | None:
    rows = read.rows(**values)
    return model.from_db(DEFAULT_DB_ALIAS, list(fields), rows[0]) if rows else None


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


def _values_of(item: ActivityReturn | Action) -> ActionValues:
    return ActionValues(
        next_steps=item.next_steps, action_owner=item.action_owner, target_date=item.target_date
    )


def action_follow_return(activity_return: ActivityReturn, *, round_id: int, by: Any) -> Action | None:
    """Bring the activity's action into step with an answer about to be saved; the action it belongs to.

    The current action is the force's open one for the activity, else the one the answer already
    belongs to; assessments.actions.action_on_save decides the rest. Called inside the save's
    transaction, so the answer and its action are written together or not at all.
    """
    force_id = activity_return.assessment.force_id
    current = _locked(
        _LOCKED_OPEN_ACTION,
        Action,
        _ACTION_FIELDS,
        force_id=force_id,
        activity_id=activity_return.activity_id,
    )
    if current is None and activity_return.action_id is not None:
        current = Action.objects.select_for_update().get(pk=activity_return.action_id)
    decision = action_on_save(
        current_closed_as=current.closed_as if current else None,
        current=_values_of(current) if current else None,
        saved=_values_of(activity_return),
        implementation_status=activity_return.implementation_status,
    )
    now = timezone.now()
    if decision.step == ActionStep.RAISE:
        return Action.objects.create(
            force_id=force_id,
            activity_id=activity_return.activity_id,
            raised_in_id=round_id,
            raised_at=now,
            **_action_fields(activity_return),
        )
    if decision.step == ActionStep.UPDATE and current is not None:
        before = _stored(current)
        _apply_decision(current, decision, values=activity_return, at=now)
        # Most saves change the evidence, not the action: an unchanged action is not written again.
        if _stored(current) != before:
            current.save()
    return current


def _stored(action: Action) -> tuple[Any, ...]:
    """Every column of the action, to tell whether applying a decision changed any."""
    return tuple(getattr(action, field) for field in _ACTION_FIELDS)


def _action_fields(item: ActivityReturn) -> dict[str, Any]:
    return {
        "next_steps": item.next_steps,
        "action_owner": item.action_owner,
        "target_date": item.target_date,
    }


def _apply_decision(action: Action, decision: ActionDecision, *, values: ActivityReturn, at: Any) -> None:
    """The same action brought up to date: wording, owner, date, moves, and closed or open again."""
    for field, value in _action_fields(values).items():
        setattr(action, field, value)
    if decision.target_moved:
        action.target_moves += 1
    if decision.closed_as != action.closed_as:
        action.closed_as = decision.closed_as
        action.closed_at = at if decision.closed_as else None


def _carry_actions_forward(returns: list[ActivityReturn], *, force_ids: list[int]) -> None:
    """Each carried-forward answer keeps the action it belonged to, with its history (one query).

    The force's latest action for the activity is the one its last answer belonged to: open ones stay
    open, and one the SPOC closed stays closed while the carried answer still shows it.
    """
    latest: dict[tuple[int, int], Action] = {}
    for action in Action.objects.filter(force_id__in=force_ids).order_by("raised_at", "pk"):
        latest[(action.force_id, action.activity_id)] = action
    for activity_return in returns:
        if not activity_return.carried_forward:
            continue
        kept = latest.get((activity_return.assessment.force_id, activity_return.activity_id))
        if kept is not None:
            activity_return.action = kept


class ActionNotOpen(Exception):
    """The action has already closed, or its activity is implemented: nothing to close."""


class ReplacementNotAnAction(ValueError):
    """A replacement needs a next step, and an owner or a target date."""


class CannotReplaceNow(Exception):
    """The force's latest assessment cannot be changed now, so no new next step can be written."""


@dataclass(frozen=True)
class ClosedAction:
    """What closing did, for the confirmation message."""

    action: Action
    replacement: Action | None


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
    action = Action.objects.select_for_update().select_related("force").get(pk=action_id)
    latest = (
        ActivityReturn.objects.select_related("assessment", "activity")
        .filter(assessment__force_id=action.force_id, activity_id=action.activity_id)
        .order_by("-assessment__round__opens_on", "-assessment__round_id")
        .first()
    )
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


def actions_from_returns(*, force_ids: list[int]) -> int:
    """Actions for answers written in bulk without them (the data generator): the rule of every save.

    Walks each force's answers round by round, as if each had been saved in turn, then writes the
    actions and links the answers in bulk (a handful of queries however many answers). Returns how
    many actions it raised.
    """
    rows = (
        ActivityReturn.objects.filter(assessment__force_id__in=force_ids, action__isnull=True)
        .order_by("assessment__round__opens_on", "assessment__round_id", "pk")
        .values_list(
            "pk",
            "assessment__force_id",
            "activity_id",
            "assessment__round_id",
            "implementation_status",
            "next_steps",
            "action_owner",
            "target_date",
            "updated_at",
        )
    )
    current: dict[tuple[int, int], Action] = {}
    for existing in Action.objects.filter(force_id__in=force_ids).order_by("raised_at", "pk"):
        current[(existing.force_id, existing.activity_id)] = existing
    raised: list[Action] = []
    links: list[tuple[int, Action]] = []
    for pk, force_id, activity_id, round_id, status, next_steps, owner, target_date, updated_at in rows:
        key = (force_id, activity_id)
        action = current.get(key)
        saved = ActionValues(next_steps=next_steps, action_owner=owner, target_date=target_date)
        decision = action_on_save(
            current_closed_as=action.closed_as if action else None,
            current=_values_of(action) if action else None,
            saved=saved,
            implementation_status=status,
        )
        at = updated_at or timezone.now()
        if decision.step == ActionStep.RAISE:
            action = Action(
                force_id=force_id,
                activity_id=activity_id,
                raised_in_id=round_id,
                raised_at=at,
                next_steps=next_steps,
                action_owner=owner,
                target_date=target_date,
            )
            raised.append(action)
            current[key] = action
        elif decision.step == ActionStep.UPDATE and action is not None:
            action.next_steps, action.action_owner = next_steps, owner
            if decision.target_moved:
                action.target_moves += 1
            action.target_date = target_date
            if decision.closed_as != action.closed_as:
                action.closed_as = decision.closed_as
                action.closed_at = at if decision.closed_as else None
        if action is not None:
            links.append((pk, action))
    Action.objects.bulk_create(raised, batch_size=500)
    updated = [action for action in current.values() if action.pk is not None and action not in raised]
    Action.objects.bulk_update(
        updated, ["next_steps", "action_owner", "target_date", "target_moves", "closed_as", "closed_at"]
    )
    ActivityReturn.objects.bulk_update(
        [ActivityReturn(pk=pk, action=action) for pk, action in links], ["action"], batch_size=500
    )
    return len(raised)


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
