"""The benchmark's inputs: each force's newest signed-off figures, read in one query whatever the
number of forces and rounds, and the plan's process areas."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from actionplan.models import Activity
from assessments.models import AssessmentSnapshot, Force
from assessments.status import TOP_OF_SCALE
from ops.prepared_reads import PreparedRead


@dataclass(frozen=True)
class SignedOffFigures:
    """One force's latest signed-off figures: the share implemented or embedded in each process area."""

    force_id: int
    force_code: str
    force_name: str
    region_id: int
    region_name: str
    round_name: str
    area_shares: Mapping[int, int]  # area number -> whole percentage


@dataclass(frozen=True)
class TrendFor:
    """Also read some forces' signed-off rounds up to a round (for the force and regional trends)."""

    force_codes: tuple[str, ...]
    up_to: datetime.date  # rounds opening on or before this date


@dataclass(frozen=True)
class BenchmarkInputs:
    """What every benchmark is computed from: each force's latest signed-off figures and region sizes."""

    figures: tuple[SignedOffFigures, ...]
    region_sizes: Mapping[int, int]  # region id -> its number of forces (regions with figures only)
    area_of: Mapping[str, int]  # activity code -> process area number (reused by the trend)
    areas: tuple[tuple[int, str], ...]  # process areas, (number, title) in order
    # With TrendFor: those forces' snapshots, oldest round first: (force code, assessment id, round, data).
    trend_snapshots: tuple[tuple[str, int, str, Mapping[str, Any]], ...] = ()


def _snapshot_rows(*, as_at: datetime.datetime | None, trend_for: TrendFor | None) -> QuerySet[Any, Any]:
    """The query behind benchmark_inputs: each force's newest snapshot (by `as_at`), and the trend's.

    A snapshot is its force's newest when no other snapshot of the force is newer: a later round by
    opening date, then by id, or a higher version of the same round. Written as NOT EXISTS rather than
    as "the first of this force's snapshots, newest first" for each row: PostgreSQL ran that subquery
    once per snapshot in the country and took 20–30 ms over nine rounds; this takes under 4.
    """
    mine = Q(created_at__lte=as_at) if as_at is not None else Q()
    same_force = AssessmentSnapshot.objects.filter(
        mine, assessment__force_id=OuterRef("assessment__force_id")
    )
    newer = same_force.filter(
        Q(assessment__round__opens_on__gt=OuterRef("assessment__round__opens_on"))
        | Q(
            assessment__round__opens_on=OuterRef("assessment__round__opens_on"),
            assessment__round_id__gt=OuterRef("assessment__round_id"),
        )
        | Q(assessment__round_id=OuterRef("assessment__round_id"), version__gt=OuterRef("version"))
    )
    region_size = (
        Force.objects.filter(region_id=OuterRef("assessment__force__region_id"))
        .order_by()
        .values("region_id")
        .annotate(forces=Count("pk"))
        .values("forces")
    )
    newest = mine & Q(~Exists(newer))
    wanted = newest
    if trend_for is not None:
        wanted = wanted | (
            mine
            & Q(
                assessment__force__code__in=trend_for.force_codes,
                assessment__round__opens_on__lte=trend_for.up_to,
            )
        )
    # The figures need only each snapshot's area tallies; the whole record (`data`) is read only for
    # a trend, whose report also shows who signed off. Decoding 44 whole records was most of the force
    # home page's time.
    return (
        AssessmentSnapshot.objects.annotate(
            # Without a trend every row is a newest one: say so rather than ask the database twice.
            is_newest=(
                ExpressionWrapper(newest, output_field=BooleanField())
                if trend_for is not None
                else Value(True, output_field=BooleanField())
            ),
            region_size=Subquery(region_size),
        )
        .filter(wanted)
        .order_by("assessment__round__opens_on", "assessment__round_id", "version")
        .values_list(
            "pk",
            "is_newest",
            "assessment_id",
            "assessment__force_id",
            "assessment__force__code",
            "assessment__force__name",
            "assessment__force__region_id",
            "assessment__force__region__name",
            "region_size",
            "assessment__round__name",
            "area_tallies",
            *(("data",) if trend_for is not None else ()),
        )
    )


# The force home page's benchmark (no date, no trend): the same query, its SQL built once
# (ops.prepared_reads).
_LATEST_FIGURES = PreparedRead(lambda: _snapshot_rows(as_at=None, trend_for=None))


def benchmark_inputs(
    *,
    as_at: datetime.datetime | None = None,
    code_areas: Mapping[str, int] | None = None,
    headings: Sequence[tuple[int, str]] | None = None,
    trend_for: TrendFor | None = None,
) -> BenchmarkInputs:
    """Each force's newest signed-off figures (signed off by `as_at`, if given), in one query.

    Newest means the latest round by opening date, then the highest version in it: a reopened
    assessment keeps its last signed-off version until the next sign-off. Each row carries its force,
    region and the region's number of forces, so no other query is needed for them. With `trend_for`
    the same query also brings that force's earlier signed-off rounds.

    `code_areas` (activity code -> area number) and `headings` come from the caller's plan when it
    has them (the force report does); otherwise one more query reads every plan's activities.
    """
    if as_at is None and trend_for is None:
        rows: Iterable[tuple[Any, ...]] = _LATEST_FIGURES.rows()
    else:
        rows = _snapshot_rows(as_at=as_at, trend_for=trend_for)
    if code_areas is None or headings is None:
        area_of, plan_headings = activity_areas()
    else:
        area_of, plan_headings = dict(code_areas), tuple(headings)
    figures: list[SignedOffFigures] = []
    region_sizes: dict[int, int] = {}
    trend: list[tuple[str, int, str, Mapping[str, Any]]] = []
    trend_forces = set(trend_for.force_codes) if trend_for is not None else set()
    for (
        _pk,
        is_newest,
        assessment_id,
        force_id,
        code,
        name,
        region_id,
        region_name,
        size,
        round_name,
        tallies,
        *data,
    ) in rows:
        region_sizes[region_id] = size
        if code in trend_forces:
            trend.append((code, assessment_id, round_name, data[0]))
        if is_newest:
            figures.append(
                SignedOffFigures(
                    force_id=force_id,
                    force_code=code,
                    force_name=name,
                    region_id=region_id,
                    region_name=region_name,
                    round_name=round_name,
                    area_shares=area_shares(tallies),
                )
            )
    figures.sort(key=lambda line: line.force_name)
    return BenchmarkInputs(
        figures=tuple(figures),
        region_sizes=region_sizes,
        area_of=area_of,
        areas=plan_headings,
        trend_snapshots=tuple(trend),
    )


# Every plan's activities with their areas, current plan last (so its areas win); the SQL built once.
_ACTIVITY_AREAS = PreparedRead(
    lambda: Activity.objects.order_by("plan__is_current", "area__number").values_list(
        "code", "area__number", "area__title", "plan__is_current"
    )
)


def activity_areas() -> tuple[dict[str, int], tuple[tuple[int, str], ...]]:
    """Every activity code's process area number, and the current plan's areas in order; one query.

    Codes from earlier plans are kept, so a snapshot signed off against an older plan still counts.
    """
    area_of: dict[str, int] = {}
    current: dict[int, str] = {}
    for code, number, title, is_current in _ACTIVITY_AREAS.rows():
        area_of[code] = number  # the current plan's rows come last, so they win
        if is_current:
            current[number] = title
    return area_of, tuple(sorted(current.items()))


def area_tallies(
    returns: Iterable[Mapping[str, Any]], area_of: Mapping[str, int]
) -> dict[int, tuple[int, int]]:
    """(implemented or embedded, activities) per area, from a snapshot's returns."""
    totals: dict[int, int] = defaultdict(int)
    top: dict[int, int] = defaultdict(int)
    for row in returns:
        area = area_of.get(str(row.get("activity_code")))
        if area is None:
            continue
        totals[area] += 1
        if row.get("implementation_status") in TOP_OF_SCALE:
            top[area] += 1
    return {area: (top[area], total) for area, total in totals.items()}


def area_shares(tallies: Mapping[str, Sequence[int]]) -> dict[int, int]:
    """Whole percentage implemented or embedded per area number, from a snapshot's stored area tallies
    (AssessmentSnapshot.area_tallies: each activity in its area of the plan it was signed off against)."""
    return {int(area): round(100 * top / total) for area, (top, total) in tallies.items() if total}
