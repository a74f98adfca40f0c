"""The action register's reads: a force's open actions, and the overdue roll-up by force and area.

What counts as an open action, and when it is overdue, is assessments.actions; this module only fetches.
Each force's register is read from its latest assessment (the newest round it has one in): answers
carried forward into a new round bring their next steps with them, so that is where the force's
improvement plan stands now. Both selectors make a fixed number of queries, whatever the number of
forces, rounds or actions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from actionplan.models import ProcessArea
from assessments.actions import (
    CLOSED_BY_SPOC,
    TIMING_LABELS,
    ActionClosure,
    ActionTiming,
    action_timing,
    days_from_target,
    open_action_q,
)
from assessments.basis import assessment_basis, basis_label
from assessments.models import Action, ActivityReturn, Assessment, Force
from assessments.status import implementation_label
from ops.prepared_reads import PreparedRead

# The "due" filter's choices, in the order the page offers them.
DUE_FILTERS: tuple[ActionTiming, ...] = (
    ActionTiming.OVERDUE,
    ActionTiming.DUE_SOON,
    ActionTiming.LATER,
    ActionTiming.NO_TARGET_DATE,
)


@dataclass(frozen=True)
class ActionFilters:
    """What the reader asked to see (GET parameters); blank means everything."""

    owner: str = ""
    due: str = ""
    area: str = ""
    closed: bool = False  # also list the actions the SPOC closed


@dataclass(frozen=True)
class RegisterRow:
    """One open action as the register lists it."""

    code: str
    title: str
    area_prefix: str
    status_label: str
    next_steps: str
    owner: str
    target_date: datetime.date | None
    timing: ActionTiming
    timing_label: str
    days: int | None
    action_id: int | None = None  # None for an answer written before actions were kept
    raised_in: str = ""
    target_moves: int = 0


@dataclass(frozen=True)
class ClosedActionRow:
    """An action the SPOC closed: what it was, how and when it closed, and who closed it."""

    code: str
    title: str
    next_steps: str
    owner: str
    target_date: datetime.date | None
    raised_in: str
    target_moves: int
    closed_as: str
    closed_label: str
    closed_at: datetime.datetime | None
    closed_by: str
    note: str
    replaced_with: str


@dataclass(frozen=True)
class RegisterAssessment:
    """The assessment a force's register is read from: its id and its round's name."""

    pk: int
    round_name: str


@dataclass(frozen=True)
class ForceActionRegister:
    """A force's open actions from its latest assessment, filtered as asked, with the choices to filter by."""

    assessment: RegisterAssessment | None
    basis_label: str
    rows: tuple[RegisterRow, ...]
    total_open: int
    owners: tuple[str, ...]
    areas: tuple[tuple[str, str], ...]  # (prefix, title), in plan order
    filters: ActionFilters
    today: datetime.date
    closed: tuple[ClosedActionRow, ...] = ()


def _latest_assessment_ids(forces: QuerySet[Force]) -> Subquery:
    """Each force's newest assessment (by round opening date), as a subquery."""
    newest = Assessment.objects.filter(force_id=OuterRef("pk")).order_by("-round__opens_on", "-round_id")
    return Subquery(forces.annotate(latest=Subquery(newest.values("pk")[:1])).values("latest"))


# What a register row shows of an open return, its activity and its action, as plain values.
_REGISTER_FIELDS = (
    "activity__code",
    "activity__title",
    "activity__area__prefix",
    "activity__area__title",
    "implementation_status",
    "next_steps",
    "action_owner",
    "target_date",
    "action_id",
    "action__raised_in__name",
    "action__target_moves",
)


def _open_returns(assessment_id: int) -> QuerySet[ActivityReturn, tuple[Any, ...]]:
    """The assessment's returns with an open action, in plan order, as _REGISTER_FIELDS."""
    return (
        ActivityReturn.objects.filter(open_action_q(), assessment_id=assessment_id)
        .order_by("activity__area__number", "activity__order")
        .values_list(*_REGISTER_FIELDS)
    )


# The register's three reads, compiled once (ops.prepared_reads): a SPOC's register holds a handful of
# rows, so building the SQL and model instances (with the returns' evidence and the activities'
# guidance, which the register does not show) cost more than running the queries.
_LATEST_ASSESSMENT = PreparedRead(
    lambda force_id: (
        Assessment.objects.filter(force_id=force_id)
        .order_by("-round__opens_on", "-round_id")
        .values_list("pk", "status", "round__name")[:1]
    ),
    "force_id",
)
_OPEN_RETURNS = PreparedRead(_open_returns, "assessment_id")
_CLOSED_ACTIONS = PreparedRead(
    lambda force_id: (
        Action.objects.filter(force_id=force_id, closed_as__in=sorted(CLOSED_BY_SPOC))
        .order_by("-closed_at", "-pk")
        .values_list(
            "activity__code",
            "activity__title",
            "next_steps",
            "action_owner",
            "target_date",
            "raised_in__name",
            "target_moves",
            "closed_as",
            "closed_at",
            "closed_by_id",
            "closed_by__full_name",
            "closed_by__email",
            "close_note",
            "replaced_by_id",
            "replaced_by__next_steps",
        )
    ),
    "force_id",
)


def force_action_register(
    *, force: Force, filters: ActionFilters, today: datetime.date
) -> ForceActionRegister:
    """The force's open actions (two queries: its latest assessment, then its open returns; a third for
    the closed ones when asked)."""
    latest = _LATEST_ASSESSMENT.rows(force_id=force.pk)
    if not latest:
        return ForceActionRegister(None, "", (), 0, (), (), filters, today)
    assessment_id, status, round_name = latest[0]
    returns = _OPEN_RETURNS.rows(assessment_id=assessment_id)
    every = [_row(values, today=today) for values in returns]
    owners = tuple(sorted({row.owner for row in every if row.owner}, key=str.casefold))
    areas = tuple(dict.fromkeys((values[2], values[3]) for values in returns))
    rows = tuple(row for row in every if _matches(row, filters))
    return ForceActionRegister(
        assessment=RegisterAssessment(pk=assessment_id, round_name=round_name),
        basis_label=basis_label(assessment_basis(status)),
        rows=rows,
        total_open=len(every),
        owners=owners,
        areas=areas,
        filters=filters,
        today=today,
        closed=closed_actions(force=force) if filters.closed else (),
    )


def open_action_of_force(*, force: Force, action_id: int, today: datetime.date) -> RegisterRow | None:
    """One of the force's open actions as the register lists it; None if it is not open (two queries)."""
    latest = _LATEST_ASSESSMENT.rows(force_id=force.pk)
    if not latest:
        return None
    found = _open_returns(latest[0][0]).filter(action_id=action_id).first()
    return _row(found, today=today) if found else None


def closed_actions(*, force: Force) -> tuple[ClosedActionRow, ...]:
    """The actions the force's SPOC marked done or replaced, newest first (one query)."""
    return tuple(
        ClosedActionRow(
            code=code,
            title=title,
            next_steps=next_steps,
            owner=owner,
            target_date=target_date,
            raised_in=raised_in,
            target_moves=target_moves,
            closed_as=closed_as,
            closed_label=ActionClosure(closed_as).label,
            closed_at=closed_at,
            # User.get_full_name, from the two columns it reads.
            closed_by=(full_name or email) if closed_by_id is not None else "",
            note=note,
            replaced_with=replaced_with if replaced_by_id is not None else "",
        )
        for (
            code,
            title,
            next_steps,
            owner,
            target_date,
            raised_in,
            target_moves,
            closed_as,
            closed_at,
            closed_by_id,
            full_name,
            email,
            note,
            replaced_by_id,
            replaced_with,
        ) in _CLOSED_ACTIONS.rows(force_id=force.pk)
    )


def _row(values: tuple[Any, ...], *, today: datetime.date) -> RegisterRow:
    """A register row from one return's _REGISTER_FIELDS."""
    (
        code,
        title,
        prefix,
        _area_title,
        status,
        next_steps,
        owner,
        target_date,
        action_id,
        raised_in,
        moves,
    ) = values
    timing = action_timing(target_date, today=today)
    return RegisterRow(
        code=code,
        title=title,
        area_prefix=prefix,
        status_label=implementation_label(status),
        next_steps=next_steps,
        owner=owner.strip(),
        target_date=target_date,
        timing=timing,
        timing_label=TIMING_LABELS[timing],
        days=days_from_target(target_date, today=today),
        action_id=action_id,
        raised_in=raised_in if action_id is not None else "",
        target_moves=moves if action_id is not None else 0,
    )


def _matches(row: RegisterRow, filters: ActionFilters) -> bool:
    if filters.owner and row.owner != filters.owner:
        return False
    if filters.due and row.timing != filters.due:
        return False
    return not (filters.area and row.area_prefix != filters.area)


@dataclass(frozen=True)
class RollUpRow:
    """One force's overdue actions, by process area, from its latest assessment."""

    force_name: str
    force_code: str
    region_name: str
    round_name: str
    basis_label: str
    by_area: tuple[int, ...]  # in the order of OverdueRollUp.areas

    @property
    def total(self) -> int:
        """Overdue actions across every area."""
        return sum(self.by_area)


@dataclass(frozen=True)
class OverdueRollUp:
    """Overdue actions by force and process area, for a region or the whole country."""

    areas: tuple[tuple[str, str], ...]  # (prefix, title)
    rows: tuple[RollUpRow, ...]
    today: datetime.date

    @property
    def total(self) -> int:
        """Overdue actions across every force."""
        return sum(row.total for row in self.rows)


def overdue_roll_up(*, forces: QuerySet[Force], today: datetime.date) -> OverdueRollUp:
    """Overdue actions of each force's latest assessment by area (three queries, however many forces).

    Plain rows (values_list), not model instances: the national page lists every force, and building
    44 assessments with their forces, regions and rounds was a fifth of its time.
    """
    latest = list(
        Assessment.objects.filter(pk__in=_latest_assessment_ids(forces))
        .order_by("force__region__name", "force__name")
        .values_list(
            "pk",
            "status",
            "force__name",
            "force__code",
            "force__region__name",
            "round__name",
            "round__opens_on",
            "round_id",
            "round__plan_id",
        )
    )
    counts = (
        ActivityReturn.objects.filter(
            open_action_q(), assessment__in=[row[0] for row in latest], target_date__lt=today
        )
        .values_list("assessment_id", "activity__area__prefix")
        .annotate(overdue=Count("pk"))
        .order_by()
    )
    tally: dict[int, dict[str, int]] = defaultdict(dict)
    for assessment_id, prefix, overdue in counts:
        tally[assessment_id][prefix] = overdue
    newest = max(latest, key=lambda row: (row[6], row[7]), default=None)
    areas = _plan_areas(plan_id=newest[8] if newest else None)
    labels = {status: basis_label(assessment_basis(status)) for status in {row[1] for row in latest}}
    rows = tuple(
        RollUpRow(
            force_name=force_name,
            force_code=force_code,
            region_name=region_name,
            round_name=round_name,
            basis_label=labels[status],
            by_area=tuple(tally[pk].get(prefix, 0) for prefix, _ in areas),
        )
        for pk, status, force_name, force_code, region_name, round_name, *_ in latest
    )
    return OverdueRollUp(areas=areas, rows=rows, today=today)


def _plan_areas(*, plan_id: int | None) -> tuple[tuple[str, str], ...]:
    """The process areas of the newest plan among the assessments (one query, none without any)."""
    if plan_id is None:
        return ()
    return tuple(
        ProcessArea.objects.filter(plan_id=plan_id).order_by("number").values_list("prefix", "title")
    )


__all__ = [
    "DUE_FILTERS",
    "ClosedActionRow",
    "closed_actions",
    "open_action_of_force",
    "ActionFilters",
    "ForceActionRegister",
    "RegisterAssessment",
    "OverdueRollUp",
    "RegisterRow",
    "RollUpRow",
    "force_action_register",
    "overdue_roll_up",
]
