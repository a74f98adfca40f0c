"""What an action is, when it is open, and how its target date stands: one rule for every page and PDF.

An action is a next step with an owner and/or a target date, written against an activity that is below
Implemented (not started, planned or in progress). It stays open until the activity reaches Implemented
or Embedded: a next step left behind on an implemented activity is history, not work still to do, so it
is never counted as open, and never as overdue. "Not applicable" activities carry no actions.

An open action is overdue when its target date is before today (the UK date, whatever the server's
clock says), due soon when it falls within DUE_SOON_DAYS, due later beyond that, and listed as having
"no target date" when it has none, so an action without a date is shown rather than silently dropped.

The force PDF's actions section and the action register read their figures from here; pages that filter
in the database use `open_action_q`, which states the same rule as a query.
"""

from __future__ import annotations

import datetime
import enum
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from assessments.status import ImplementationStatus

DUE_SOON_DAYS = 90
UK = ZoneInfo("Europe/London")

# Activities whose next steps are still work to do. Implemented, Embedded and Not applicable close them.
OPEN_ACTION_STATUSES = frozenset(
    {ImplementationStatus.NOT_STARTED, ImplementationStatus.PLANNED, ImplementationStatus.IN_PROGRESS}
)


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
    return bool(next_steps.strip()) and (bool(action_owner.strip()) or target_date is not None)


def is_open_action(
    *, implementation_status: str, next_steps: str, action_owner: str, target_date: datetime.date | None
) -> bool:
    """An action on an activity below Implemented: still work to do."""
    return implementation_status in OPEN_ACTION_STATUSES and is_action(
        next_steps=next_steps, action_owner=action_owner, target_date=target_date
    )


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
    """The same rule as is_open_action, as a filter on returns (`relation` leads to them)."""
    prefix = f"{relation}__" if relation else ""
    has_next_steps = ~Q(**{f"{prefix}next_steps__regex": r"^\s*$"})
    has_owner = ~Q(**{f"{prefix}action_owner__regex": r"^\s*$"})
    has_date = Q(**{f"{prefix}target_date__isnull": False})
    return (
        Q(**{f"{prefix}implementation_status__in": sorted(OPEN_ACTION_STATUSES)})
        & has_next_steps
        & (has_owner | has_date)
    )
