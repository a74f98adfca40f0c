"""The briefing part of the force report: the trend over every signed-off round, the status table by
process area with its change since the last signed-off round, the anonymised benchmark and the key
messages drawn from them.

Only signed-off figures make the trend and the benchmark: each round's point is that round's newest
sign-off snapshot, and a signed-off report reads only what had been signed off when it was, so the
stored PDF never changes afterwards. One query (assessments.benchmarks.benchmark_inputs) brings both,
whatever the number of forces or rounds.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessments.benchmarks import (
    ForceBenchmark,
    TrendFor,
    area_tallies,
    benchmark_inputs,
    force_benchmark,
)
from assessments.models import Assessment
from assessments.reports.data.common import share
from assessments.reports.data.force_values import AreaSection, ChangeSummary


@dataclass(frozen=True)
class TrendPoint:
    """One signed-off round: the share implemented or embedded in each area and overall."""

    round_name: str
    shares: tuple[int, ...]  # per area, in the report's area order
    overall: int


@dataclass(frozen=True)
class Trend:
    """The force's share implemented or embedded per area over every signed-off round, oldest first."""

    areas: tuple[tuple[int, str], ...]  # (number, title)
    points: tuple[TrendPoint, ...]

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """(area, share in each round) for the data table beside the chart; the overall row last."""
        rows = [
            (f"{number}. {title}", [point.shares[index] for point in self.points])
            for index, (number, title) in enumerate(self.areas)
        ]
        rows.append(("All activities", [point.overall for point in self.points]))
        return rows


@dataclass(frozen=True)
class AreaStatus:
    """A row of the status table: an area now, and against the last signed-off round."""

    number: int
    title: str
    implemented_or_embedded: int
    total: int
    share: int
    previous_share: int | None  # None when there is no earlier signed-off round
    moved_up: int
    moved_down: int

    @property
    def difference(self) -> int | None:
        """Percentage points gained since the last signed-off round (negative when lost)."""
        return None if self.previous_share is None else self.share - self.previous_share

    @property
    def difference_label(self) -> str:
        """Percentage points, signed: "+6", "−4", "0", or "" with nothing to compare."""
        if self.difference is None:
            return ""
        if self.difference == 0:
            return "0"
        sign = "+" if self.difference > 0 else "−"
        return f"{sign}{abs(self.difference)}"


@dataclass(frozen=True)
class Briefing:
    """What the force report's first pages add for chief officers."""

    key_messages: tuple[str, ...]
    area_status: tuple[AreaStatus, ...]
    previous_round_name: str  # "" when there is no earlier signed-off round
    trend: Trend
    benchmark: ForceBenchmark


def force_trend(
    *,
    snapshots: Sequence[tuple[str, int, str, Mapping[str, Any]]],
    areas: Sequence[tuple[int, str]],
    area_of: Mapping[str, int],
) -> Trend:
    """The trend from one force's signed-off snapshots, oldest round first (benchmark_inputs reads them).

    A round signed off more than once (reopened) counts with its newest version, which comes last.
    """
    newest: dict[int, tuple[str, Mapping[str, Any]]] = {}
    for _force_code, assessment_id, round_name, data in snapshots:
        newest.pop(assessment_id, None)  # a later version replaces an earlier one, in its own place
        newest[assessment_id] = (round_name, data)
    points = []
    for round_name, data in newest.values():
        returns = data.get("returns", [])
        tallies = area_tallies(returns if isinstance(returns, list) else [], area_of)
        top = sum(t for t, _total in tallies.values())
        total = sum(n for _t, n in tallies.values())
        points.append(
            TrendPoint(
                round_name=round_name,
                shares=tuple(share(*tallies.get(number, (0, 0))) for number, _title in areas),
                overall=share(top, total),
            )
        )
    return Trend(areas=tuple(areas), points=tuple(points))


def previous_point(trend: Trend, changes: ChangeSummary | None) -> TrendPoint | None:
    """The trend's point for the round the change summary compares with, if there is one."""
    if changes is None:
        return None
    return next(
        (point for point in reversed(trend.points) if point.round_name == changes.previous_round_name), None
    )


def area_status(
    *, areas: Sequence[AreaSection], changes: ChangeSummary | None, trend: Trend
) -> tuple[AreaStatus, ...]:
    """The status table: each area now, its share in the last signed-off round and what moved."""
    previous = previous_point(trend, changes)
    area_of_code = {row.code: area.number for area in areas for row in area.rows}
    up = _count_by_area([c.code for c in changes.improved] if changes else [], area_of_code)
    down = _count_by_area([c.code for c in changes.regressed] if changes else [], area_of_code)
    index_of = {number: index for index, (number, _title) in enumerate(trend.areas)}
    return tuple(
        AreaStatus(
            number=area.number,
            title=area.title,
            implemented_or_embedded=area.implemented_or_embedded,
            total=area.total,
            share=area.share,
            previous_share=(
                previous.shares[index_of[area.number]]
                if previous is not None and area.number in index_of
                else None
            ),
            moved_up=up.get(area.number, 0),
            moved_down=down.get(area.number, 0),
        )
        for area in areas
    )


def _count_by_area(codes: Sequence[str], area_of_code: Mapping[str, int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for code in codes:
        number = area_of_code.get(code)
        if number is not None:
            counts[number] = counts.get(number, 0) + 1
    return counts


def force_briefing_parts(
    *,
    assessment: Assessment,
    areas: Sequence[AreaSection],
    changes: ChangeSummary | None,
    as_at: datetime.datetime | None,
    force_name: str,
) -> tuple[Trend, tuple[AreaStatus, ...], ForceBenchmark]:
    """The trend, the status table and the benchmark, from one query; the key messages come after.

    Only the report's own plan's activities count, so every round is measured on the same activities.
    """
    headings = [(area.number, area.title) for area in areas]
    code_areas = {row.code: area.number for area in areas for row in area.rows}
    inputs = benchmark_inputs(
        as_at=as_at,
        code_areas=code_areas,
        headings=headings,
        trend_for=TrendFor(force_codes=(assessment.force.code,), up_to=assessment.round.opens_on),
    )
    trend = force_trend(snapshots=inputs.trend_snapshots, areas=headings, area_of=code_areas)
    benchmark = force_benchmark(force=assessment.force, inputs=inputs, areas=headings, force_name=force_name)
    return trend, area_status(areas=areas, changes=changes, trend=trend), benchmark
