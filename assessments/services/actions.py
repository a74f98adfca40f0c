"""Actions follow their answers: the one place an Action is written after a save, carried into a new
round, or raised in bulk. The decisions are assessments.actions.action_on_save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from assessments.actions import (
    ActionDecision,
    ActionStep,
    ActionValues,
    action_on_save,
)
from assessments.models import (
    Action,
    ActivityReturn,
)
from assessments.services.locking import _ACTION_FIELDS, _LOCKED_OPEN_ACTION, _locked


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
