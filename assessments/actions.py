"""What an action is, when it is open, and how its target date stands: one rule for every page and PDF.

An action is a next step with an owner and/or a target date, written against an activity that is below
Implemented (not started, planned or in progress). It stays open until the activity reaches Implemented
or Embedded: a next step left behind on an implemented activity is history, not work still to do, so it
is never counted as open, and never as overdue. "Not applicable" activities carry no actions.

An open action is overdue when its target date is before today (the UK date, whatever the server's
clock says), due soon when it falls within DUE_SOON_DAYS, due later beyond that, and listed as having
"no target date" when it has none, so an action without a date is shown rather than silently dropped.

A SPOC may also close an action before its activity is implemented: mark it *done*, or *replace* it with
a new next step (owner, date) written in its place. Either way it leaves the register for good: it is no
longer open and never overdue. Each action is an `Action` row per force and activity that carries its
history across rounds (raised in which round, how often its target date moved, when and how it closed);
`action_on_save` decides, in one place, what a saved answer does to it, and the writes in
assessments.services follow that decision.

The force PDF's actions section and the action register read their figures from here; pages that filter
in the database use `open_action_q`, which states the same rule as a query.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.lookups import Exact
from django.utils import timezone

from assessments.status import ImplementationStatus

DUE_SOON_DAYS = 90
UK = ZoneInfo("Europe/London")

# Activities whose next steps are still work to do. Implemented, Embedded and Not applicable close them.
OPEN_ACTION_STATUSES = frozenset(
    {ImplementationStatus.NOT_STARTED, ImplementationStatus.PLANNED, ImplementationStatus.IN_PROGRESS}
)


# What counts as blank in a next step or an owner: spaces, tabs, new lines and the Unicode spaces a
# pasted document brings. Named once so the Python rule and the database's TRIM strip the same characters.
BLANK_CHARACTERS = (
    " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


class _TrimBlank(Func):
    """TRIM(text, BLANK_CHARACTERS) in SQL: SQLite's TRIM(X, Y), PostgreSQL's BTRIM.

    Used instead of a regular expression: SQLite runs REGEXP as a Python function on every row, which
    was most of the national overdue-actions page's time.
    """

    function = "TRIM"
    output_field = CharField()

    def __init__(self, field: str) -> None:
        super().__init__(F(field), Value(BLANK_CHARACTERS))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="BTRIM", **extra)


def _is_blank_q(field: str) -> Q:
    return Q(Exact(_TrimBlank(field), Value("")))


class ActionClosure(models.TextChoices):
    """How an action left the register ("" while it is open)."""

    OPEN = "", "Open"
    DONE = "done", "Done"
    REPLACED = "replaced", "Replaced"
    # Its activity reached Implemented or Embedded; undone if the activity drops back below.
    ACHIEVED = "achieved", "Activity implemented"


# Closed by the SPOC's decision: these never come back, whatever the activity's status does.
CLOSED_BY_SPOC = frozenset({ActionClosure.DONE, ActionClosure.REPLACED})


class ActionState(enum.StrEnum):
    """An activity's action as one word, for exports: open, overdue, done, replaced or none."""

    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    REPLACED = "replaced"
    NONE = "none"


class ActionTiming(enum.StrEnum):
    """Where an open action's target date stands against today."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"
    NO_TARGET_DATE = "no_target_date"


TIMING_LABELS: dict[ActionTiming, str] = {
    ActionTiming.OVERDUE: "Overdue",
    ActionTiming.DUE_SOON: f"Due in the next {DUE_SOON_DAYS} days",
    ActionTiming.LATER: "Due later",
    ActionTiming.NO_TARGET_DATE: "No target date",
}


def uk_today() -> datetime.date:
    """Today's date in the UK: a target date of "today" is not overdue until UK midnight has passed."""
    return timezone.now().astimezone(UK).date()


def is_action(*, next_steps: str, action_owner: str, target_date: datetime.date | None) -> bool:
    """A next step with an owner and/or a target date (words alone, with neither, commit nobody)."""
    return bool(next_steps.strip(BLANK_CHARACTERS)) and (
        bool(action_owner.strip(BLANK_CHARACTERS)) or target_date is not None
    )


def is_open_action(
    *,
    implementation_status: str,
    next_steps: str,
    action_owner: str,
    target_date: datetime.date | None,
    closed_as: str = "",
) -> bool:
    """An action on an activity below Implemented, not marked done or replaced: still work to do."""
    return (
        implementation_status in OPEN_ACTION_STATUSES
        and closed_as not in CLOSED_BY_SPOC
        and is_action(next_steps=next_steps, action_owner=action_owner, target_date=target_date)
    )


def action_state(
    *,
    implementation_status: str,
    next_steps: str,
    action_owner: str,
    target_date: datetime.date | None,
    closed_as: str,
    today: datetime.date,
) -> ActionState:
    """One activity's action in a word: done or replaced by the SPOC, open, overdue, or none at all."""
    if closed_as in CLOSED_BY_SPOC:
        return ActionState(closed_as)
    if not is_open_action(
        implementation_status=implementation_status,
        next_steps=next_steps,
        action_owner=action_owner,
        target_date=target_date,
    ):
        return ActionState.NONE
    if action_timing(target_date, today=today) == ActionTiming.OVERDUE:
        return ActionState.OVERDUE
    return ActionState.OPEN


@dataclass(frozen=True)
class ActionValues:
    """What an action commits to: the next step, its owner and its target date."""

    next_steps: str
    action_owner: str
    target_date: datetime.date | None

    @property
    def is_action(self) -> bool:
        """A next step with an owner and/or a date."""
        return is_action(
            next_steps=self.next_steps, action_owner=self.action_owner, target_date=self.target_date
        )


class ActionStep(enum.StrEnum):
    """What saving an answer does to the activity's action."""

    NOTHING = "nothing"  # no action before, and none now
    RAISE = "raise"  # a new action, raised in this round
    UPDATE = "update"  # the same action, its wording, owner or date brought up to date
    KEEP_CLOSED = "keep_closed"  # closed by the SPOC, and the answer still shows the closed action


@dataclass(frozen=True)
class ActionDecision:
    """The decision for one save: the step, whether the target date moved, and the closure after."""

    step: ActionStep
    target_moved: bool = False
    closed_as: str = ActionClosure.OPEN


def action_on_save(
    *,
    current_closed_as: str | None,
    current: ActionValues | None,
    saved: ActionValues,
    implementation_status: str,
) -> ActionDecision:
    """What an answer saved with these values does to the activity's current action (None: it has none).

    - No action yet: a next step with an owner or date on an activity below Implemented raises one.
    - An action the SPOC closed stays closed while the answer still shows it; a different next step
      on an activity below Implemented is a new action.
    - Otherwise it is the same action: the wording, owner and date follow the answer, a change from
      one target date to another counts as a move, and the activity's status closes it (Implemented,
      Embedded, Not applicable) or opens it again (dropped back below Implemented).
    """
    below_implemented = implementation_status in OPEN_ACTION_STATUSES
    if current is None or current_closed_as is None:
        if saved.is_action and below_implemented:
            return ActionDecision(ActionStep.RAISE)
        return ActionDecision(ActionStep.NOTHING)
    if current_closed_as in CLOSED_BY_SPOC:
        if saved == current or not (saved.is_action and below_implemented):
            return ActionDecision(ActionStep.KEEP_CLOSED, closed_as=current_closed_as)
        return ActionDecision(ActionStep.RAISE)
    moved = (
        current.target_date is not None
        and saved.target_date is not None
        and saved.target_date != current.target_date
    )
    closed_as = ActionClosure.OPEN if below_implemented else ActionClosure.ACHIEVED
    return ActionDecision(ActionStep.UPDATE, target_moved=moved, closed_as=closed_as)


def action_timing(target_date: datetime.date | None, *, today: datetime.date) -> ActionTiming:
    """How an open action's target date stands on `today` (call it only for open actions)."""
    if target_date is None:
        return ActionTiming.NO_TARGET_DATE
    if target_date < today:
        return ActionTiming.OVERDUE
    if target_date <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return ActionTiming.DUE_SOON
    return ActionTiming.LATER


def days_from_target(target_date: datetime.date | None, *, today: datetime.date) -> int | None:
    """Days overdue (for a past date) or days left (otherwise); None without a date."""
    if target_date is None:
        return None
    return abs((today - target_date).days)


def open_action_q(relation: str = "") -> Q:
    """The same rule as is_open_action, as a filter on returns (`relation` leads to them).

    A return with no `Action` row (written before actions were kept) follows the status rule alone.
    """
    prefix = f"{relation}__" if relation else ""
    not_closed_by_spoc = Q(**{f"{prefix}action__isnull": True}) | ~Q(
        **{f"{prefix}action__closed_as__in": sorted(CLOSED_BY_SPOC)}
    )
    has_next_steps = ~_is_blank_q(f"{prefix}next_steps")
    has_owner = ~_is_blank_q(f"{prefix}action_owner")
    has_date = Q(**{f"{prefix}target_date__isnull": False})
    return (
        Q(**{f"{prefix}implementation_status__in": sorted(OPEN_ACTION_STATUSES)})
        & has_next_steps
        & (has_owner | has_date)
        & not_closed_by_spoc
    )
