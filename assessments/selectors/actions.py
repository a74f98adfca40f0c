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
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery

from actionplan.models import ProcessArea
from assessments.actions import (
    TIMING_LABELS,
    ActionTiming,
    action_timing,
    days_from_target,
    open_action_q,
)
from assessments.basis import assessment_basis, basis_label
from assessments.models import ActivityReturn, Assessment, Force
from assessments.status import implementation_label

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


@dataclass(frozen=True)
class ForceActionRegister:
    """A force's open actions from its latest assessment, filtered as asked, with the choices to filter by."""

    assessment: Assessment | None
    basis_label: str
    rows: tuple[RegisterRow, ...]
    total_open: int
    owners: tuple[str, ...]
    areas: tuple[tuple[str, str], ...]  # (prefix, title), in plan order
    filters: ActionFilters
    today: datetime.date


def _latest_assessment_ids(forces: QuerySet[Force]) -> Subquery:
    """Each force's newest assessment (by round opening date), as a subquery."""
    newest = Assessment.objects.filter(force_id=OuterRef("pk")).order_by("-round__opens_on", "-round_id")
    return Subquery(forces.annotate(latest=Subquery(newest.values("pk")[:1])).values("latest"))


def force_action_register(
    *, force: Force, filters: ActionFilters, today: datetime.date
) -> ForceActionRegister:
    """The force's open actions (two queries: its latest assessment, then its open returns)."""
    assessment = (
        Assessment.objects.select_related("round")
        .filter(force=force)
        .order_by("-round__opens_on", "-round_id")
        .first()
    )
    if assessment is None:
        return ForceActionRegister(None, "", (), 0, (), (), filters, today)
    returns = (
        ActivityReturn.objects.filter(open_action_q(), assessment=assessment)
        .select_related("activity__area")
        .order_by("activity__area__number", "activity__order")
    )
    every = [_row(activity_return, today=today) for activity_return in returns]
    owners = tuple(sorted({row.owner for row in every if row.owner}, key=str.casefold))
    areas = tuple(dict.fromkeys((r.activity.area.prefix, r.activity.area.title) for r in returns))
    rows = tuple(row for row in every if _matches(row, filters))
    return ForceActionRegister(
        assessment=assessment,
        basis_label=basis_label(assessment_basis(assessment.status)),
        rows=rows,
        total_open=len(every),
        owners=owners,
        areas=areas,
        filters=filters,
        today=today,
    )


def _row(activity_return: ActivityReturn, *, today: datetime.date) -> RegisterRow:
    timing = action_timing(activity_return.target_date, today=today)
    activity = activity_return.activity
    return RegisterRow(
        code=activity.code,
        title=activity.title,
        area_prefix=activity.area.prefix,
        status_label=implementation_label(activity_return.implementation_status),
        next_steps=activity_return.next_steps,
        owner=activity_return.action_owner.strip(),
        target_date=activity_return.target_date,
        timing=timing,
        timing_label=TIMING_LABELS[timing],
        days=days_from_target(activity_return.target_date, today=today),
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
    """Overdue actions of each force's latest assessment by area (three queries, however many forces)."""
    latest = list(
        Assessment.objects.filter(pk__in=_latest_assessment_ids(forces))
        .select_related("force__region", "round")
        .order_by("force__region__name", "force__name")
    )
    counts = (
        ActivityReturn.objects.filter(
            open_action_q(), assessment__in=[a.pk for a in latest], target_date__lt=today
        )
        .values("assessment_id", "activity__area__prefix")
        .annotate(overdue=Count("pk"))
        .order_by()
    )
    tally: dict[int, dict[str, int]] = defaultdict(dict)
    for count in counts:
        tally[count["assessment_id"]][count["activity__area__prefix"]] = count["overdue"]
    areas = _plan_areas(latest)
    rows = tuple(
        RollUpRow(
            force_name=assessment.force.name,
            force_code=assessment.force.code,
            region_name=assessment.force.region.name,
            round_name=assessment.round.name,
            basis_label=basis_label(assessment_basis(assessment.status)),
            by_area=tuple(tally[assessment.pk].get(prefix, 0) for prefix, _ in areas),
        )
        for assessment in latest
    )
    return OverdueRollUp(areas=areas, rows=rows, today=today)


def _plan_areas(assessments: Iterable[Assessment]) -> tuple[tuple[str, str], ...]:
    """The process areas of the newest plan among these assessments (one query, none without any)."""
    newest = max(assessments, key=lambda a: (a.round.opens_on, a.round_id), default=None)
    if newest is None:
        return ()
    return tuple(
        ProcessArea.objects.filter(plan_id=newest.round.plan_id)
        .order_by("number")
        .values_list("prefix", "title")
    )


__all__ = [
    "DUE_FILTERS",
    "ActionFilters",
    "ForceActionRegister",
    "OverdueRollUp",
    "RegisterRow",
    "RollUpRow",
    "force_action_register",
    "overdue_roll_up",
]
