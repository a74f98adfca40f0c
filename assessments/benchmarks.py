"""Anonymised benchmarking: where a force stands against its region and the nation, per process area.

The figure compared is the share of a process area's activities that are implemented or embedded, taken
from each force's latest *signed-off* figures (its newest sign-off snapshot) and never from a draft or
a submission, so every force is compared on answers a coordinator has accepted.

A force sees the distribution of a group (its region, and England and Wales) as the median and the
lower and upper quartiles, with its own value and where that value falls, and never another force's
name. Two guards keep other forces from being recognised:

- a group is benchmarked only when at least MINIMUM_GROUP forces in it have signed-off figures;
- a region is benchmarked against itself only when it has MINIMUM_GROUP or more forces at all.

Either way the benchmark is withheld with its reason stated, so an absent comparison never looks like
an oversight. National staff see the same figures with every force named (national_benchmark).

Quartiles are `statistics.quantiles(values, n=4, method="inclusive")` from the standard library: the
"inclusive" method treats the forces as the whole population (they are every force, not a sample), so
the quartiles lie within the observed values and match a spreadsheet's QUARTILE.INC.

Queries: two, whatever the number of forces or rounds (each force's newest snapshot with its force and
region, and the activities' areas); one for the force report, which knows its plan's activities.
"""

from __future__ import annotations

import datetime
import statistics
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

MINIMUM_GROUP = 5
NATIONAL_GROUP_NAME = "England and Wales"
TOP_QUARTER = "top quarter"
MIDDLE_HALF = "middle half"
BOTTOM_QUARTER = "bottom quarter"


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


def percent(value: float) -> str:
    """A share as people read it: "40%", or "37.5%" when a quartile falls between two forces."""
    rounded = round(value, 1)
    return f"{rounded:g}%"


@dataclass(frozen=True)
class Distribution:
    """The spread of a group's shares in one area: lower quartile, median, upper quartile."""

    forces: int
    lower_quartile: float
    median: float
    upper_quartile: float

    @property
    def summary(self) -> str:
        """In words: "Median 40% (quartiles 25% to 60%)", for tables and the PDF."""
        return (
            f"Median {percent(self.median)} "
            f"(quartiles {percent(self.lower_quartile)} to {percent(self.upper_quartile)})"
        )


@dataclass(frozen=True)
class GroupBenchmark:
    """A force's place in one group (its region or the nation) for one area, or why it is withheld."""

    group_name: str
    distribution: Distribution | None  # None when withheld
    position: str  # TOP_QUARTER, MIDDLE_HALF or BOTTOM_QUARTER; "" when withheld or the force has no figures
    withheld_reason: str  # "" when shown

    @property
    def shown(self) -> bool:
        """The group's distribution may be shown."""
        return self.distribution is not None


@dataclass(frozen=True)
class AreaBenchmark:
    """One process area: the force's share and its place in its region and in the nation."""

    number: int
    title: str
    force_share: int | None  # None when the force has no signed-off figures
    region: GroupBenchmark
    nation: GroupBenchmark


@dataclass(frozen=True)
class ForceBenchmark:
    """A force's anonymised benchmark: no other force is named anywhere in it."""

    force_name: str
    region_name: str
    figures_round_name: str  # the round of the force's own latest signed-off figures; "" if none
    areas: tuple[AreaBenchmark, ...]

    @property
    def has_figures(self) -> bool:
        """The force has signed-off figures of its own to place."""
        return bool(self.figures_round_name)


@dataclass(frozen=True)
class NamedForceLine:
    """One force in the national staff's view: named, with its shares and places in the nation."""

    name: str
    region_name: str
    round_name: str
    shares: tuple[int, ...]  # per area, in area order
    positions: tuple[str, ...]  # against the nation, per area

    @property
    def cells(self) -> list[tuple[int, str]]:
        """(share, position) per area, for a table row."""
        return list(zip(self.shares, self.positions, strict=True))


@dataclass(frozen=True)
class NationalBenchmark:
    """Every force's latest signed-off shares, named, with the national and regional distributions."""

    areas: tuple[tuple[int, str], ...]  # (number, title)
    nation: tuple[GroupBenchmark, ...]  # per area
    regions: tuple[tuple[str, tuple[GroupBenchmark, ...]], ...]  # (region name, per area)
    forces: tuple[NamedForceLine, ...]
    forces_without_figures: tuple[str, ...]


def quartiles(values: Sequence[float]) -> Distribution:
    """Median and quartiles of at least two values (statistics.quantiles, inclusive method)."""
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(forces=len(values), lower_quartile=lower, median=median, upper_quartile=upper)


def position_in(value: float, distribution: Distribution) -> str:
    """Above the upper quartile is the top quarter, below the lower one the bottom, else the middle half.

    Strict comparisons, so that when every force stands at the same share nobody is called top or bottom.
    """
    if value > distribution.upper_quartile:
        return TOP_QUARTER
    if value < distribution.lower_quartile:
        return BOTTOM_QUARTER
    return MIDDLE_HALF


def group_benchmark(
    *, group_name: str, values: Sequence[int], force_value: int | None, forces_in_group: int | None = None
) -> GroupBenchmark:
    """The group's distribution and the force's place in it, or the reason it is withheld.

    `forces_in_group` is the region's size (all its forces, with figures or not); None for the nation.
    """
    if forces_in_group is not None and forces_in_group < MINIMUM_GROUP:
        return GroupBenchmark(
            group_name=group_name,
            distribution=None,
            position="",
            withheld_reason=(
                f"Not shown: {group_name} has {forces_in_group} "
                f"force{'' if forces_in_group == 1 else 's'}. A region is compared only when it has "
                f"at least {MINIMUM_GROUP}, so that no force in it can be recognised."
            ),
        )
    if not values:
        return GroupBenchmark(
            group_name=group_name,
            distribution=None,
            position="",
            withheld_reason=f"Not shown: no force in {group_name} has signed-off figures yet.",
        )
    if len(values) < MINIMUM_GROUP:
        return GroupBenchmark(
            group_name=group_name,
            distribution=None,
            position="",
            withheld_reason=(
                f"Not shown: only {len(values)} force{'' if len(values) == 1 else 's'} in {group_name} "
                f"{'has' if len(values) == 1 else 'have'} signed-off figures. A comparison needs at least "
                f"{MINIMUM_GROUP}, so that no force can be recognised."
            ),
        )
    distribution = quartiles(values)
    return GroupBenchmark(
        group_name=group_name,
        distribution=distribution,
        position="" if force_value is None else position_in(force_value, distribution),
        withheld_reason="",
    )


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


def force_benchmark(
    *,
    force: Force,
    as_at: datetime.datetime | None = None,
    inputs: BenchmarkInputs | None = None,
    areas: Sequence[tuple[int, str]] | None = None,
    force_name: str = "",
) -> ForceBenchmark:
    """The force's anonymised benchmark; two queries whatever the number of forces and rounds.

    Pass `inputs` and `areas` when the caller has them already (the force report reads them once),
    and `force_name` to call the force by another name (a signed-off report keeps the name it was
    signed off under).
    """
    inputs = inputs if inputs is not None else benchmark_inputs(as_at=as_at)
    areas = areas if areas is not None else inputs.areas
    figures = inputs.figures
    own = next((line for line in figures if line.force_id == force.pk), None)
    region_name = force.region.name
    region_lines = [line for line in figures if line.region_id == force.region_id]
    rows = []
    for number, title in areas:
        force_value = own.area_shares.get(number) if own else None
        rows.append(
            AreaBenchmark(
                number=number,
                title=title,
                force_share=force_value,
                region=group_benchmark(
                    group_name=region_name,
                    values=_values(region_lines, number),
                    force_value=force_value,
                    # Unknown when no force in the region has figures: withheld for that reason then.
                    forces_in_group=inputs.region_sizes.get(force.region_id),
                ),
                nation=group_benchmark(
                    group_name=NATIONAL_GROUP_NAME, values=_values(figures, number), force_value=force_value
                ),
            )
        )
    return ForceBenchmark(
        force_name=force_name or force.name,
        region_name=region_name,
        figures_round_name=own.round_name if own else "",
        areas=tuple(rows),
    )


def _values(lines: Iterable[SignedOffFigures], number: int) -> list[int]:
    return [line.area_shares[number] for line in lines if number in line.area_shares]


def national_benchmark(*, as_at: datetime.datetime | None = None) -> NationalBenchmark:
    """Every force named, for national staff only; four queries whatever the number of forces and rounds."""
    inputs = benchmark_inputs(as_at=as_at)
    figures, areas = inputs.figures, inputs.areas
    all_forces = list(Force.objects.select_related("region").order_by("region__name", "name"))
    nation = tuple(
        group_benchmark(group_name=NATIONAL_GROUP_NAME, values=_values(figures, number), force_value=None)
        for number, _title in areas
    )
    by_region: dict[str, list[Force]] = defaultdict(list)
    for force in all_forces:
        by_region[force.region.name].append(force)
    regions = tuple(
        (
            name,
            tuple(
                group_benchmark(
                    group_name=name,
                    values=_values([f for f in figures if f.region_name == name], number),
                    force_value=None,
                    forces_in_group=len(members),
                )
                for number, _title in areas
            ),
        )
        for name, members in by_region.items()
    )
    with_figures = {line.force_id for line in figures}
    lines = tuple(
        NamedForceLine(
            name=line.force_name,
            region_name=line.region_name,
            round_name=line.round_name,
            shares=tuple(line.area_shares.get(number, 0) for number, _title in areas),
            positions=tuple(
                position_in(line.area_shares.get(number, 0), group.distribution) if group.distribution else ""
                for (number, _title), group in zip(areas, nation, strict=True)
            ),
        )
        for line in sorted(figures, key=lambda f: (f.region_name, f.force_name))
    )
    return NationalBenchmark(
        areas=tuple(areas),
        nation=nation,
        regions=regions,
        forces=lines,
        forces_without_figures=tuple(f.name for f in all_forces if f.pk not in with_figures),
    )
