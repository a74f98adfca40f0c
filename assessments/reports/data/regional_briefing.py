"""The regional briefing for coordinators: the region's key messages, each force's place and trend, and
who signed off what in the round.

Coordinators may see every force of their region by name, so this names them; other regions' forces
appear only inside the national distribution, never by name. Places and trends use signed-off figures
only (assessments.benchmarks); the pipeline and the forces behind schedule stay as the regional report
already shows them. One query for the figures and trends of every force in the region plus one for
the activities' areas, whatever the number of forces or rounds.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessments.benchmarks import (
    GroupBenchmark,
    TrendFor,
    area_tallies,
    benchmark_inputs,
    group_benchmark,
    percent,
    position_in,
)
from assessments.models import Region, Round
from assessments.reports.data.common import share
from assessments.status import WorkflowStatus


@dataclass(frozen=True)
class ForcePosition:
    """One force of the region: its latest signed-off shares, its place nationally and its trend."""

    name: str
    figures_round_name: str  # "" when the force has no signed-off figures
    shares: tuple[int | None, ...]  # per area
    positions: tuple[str, ...]  # against England and Wales, per area ("" when not placed)
    trend: tuple[tuple[str, int], ...]  # (round name, overall share), oldest first

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        """(share, place) per area, for a table row."""
        return list(zip(self.shares, self.positions, strict=True))

    @property
    def trend_text(self) -> str:
        """The overall share round by round: "12% → 14% → 20%"."""
        return " → ".join(f"{value}%" for _name, value in self.trend)


@dataclass(frozen=True)
class SignOff:
    """Who signed off a force's assessment in the round, as its snapshot records it."""

    force_name: str
    version: int
    signed_off_by: str
    role: str
    signed_off_at: datetime.datetime | None


@dataclass(frozen=True)
class RegionalBriefing:
    """What the regional report adds for coordinators' engagement events."""

    key_messages: tuple[str, ...]
    areas: tuple[tuple[int, str], ...]
    region: tuple[GroupBenchmark, ...]  # the region's spread per area (withheld under five forces)
    nation: tuple[GroupBenchmark, ...]  # the national spread per area
    forces: tuple[ForcePosition, ...]
    sign_offs: tuple[SignOff, ...]
    not_signed_off: tuple[str, ...]  # forces of the region with nothing signed off in the round


def regional_briefing(
    *,
    region: Region,
    round_: Round,
    areas: Sequence[tuple[int, str]],
    forces: Sequence[tuple[str, str, str]],
    behind: int,
) -> RegionalBriefing:
    """The briefing for a region in a round; `forces` are the region's (code, name, workflow status)."""
    members = [(code, name) for code, name, _status in forces]
    statuses = {code: status for code, _name, status in forces}
    inputs = benchmark_inputs(
        trend_for=TrendFor(force_codes=tuple(code for code, _name in members), up_to=round_.opens_on)
    )
    area_of = inputs.area_of
    numbers = [number for number, _title in areas]
    mine = {line.force_code: line for line in inputs.figures if line.region_id == region.pk}
    nation = tuple(
        group_benchmark(
            group_name="England and Wales",
            values=[line.area_shares[n] for line in inputs.figures if n in line.area_shares],
            force_value=None,
        )
        for n in numbers
    )
    regional = tuple(
        group_benchmark(
            group_name=region.name,
            values=[line.area_shares[n] for line in mine.values() if n in line.area_shares],
            force_value=None,
            forces_in_group=inputs.region_sizes.get(region.pk),
        )
        for n in numbers
    )
    trends, sign_offs = _trends_and_sign_offs(inputs.trend_snapshots, area_of, round_name=round_.name)
    positions = []
    for code, name in members:
        line = mine.get(code)
        shares = tuple(line.area_shares.get(n) if line else None for n in numbers)
        positions.append(
            ForcePosition(
                name=name,
                figures_round_name=line.round_name if line else "",
                shares=shares,
                positions=tuple(
                    position_in(value, group.distribution)
                    if value is not None and group.distribution is not None
                    else ""
                    for value, group in zip(shares, nation, strict=True)
                ),
                trend=tuple(trends.get(code, ())),
            )
        )
    names = dict(members)
    signed = tuple(SignOff(force_name=names[code], **details) for code, details in sign_offs.items())
    signed_forces = {entry.force_name for entry in signed}
    figures = _MessageInputs(
        region_name=region.name,
        round_name=round_.name,
        forces=len(members),
        signed_off=sum(1 for status in statuses.values() if status == WorkflowStatus.SIGNED_OFF),
        behind=behind,
        areas=tuple(areas),
        regional=regional,
        nation=nation,
    )
    return RegionalBriefing(
        key_messages=regional_key_messages(figures),
        areas=tuple(areas),
        region=regional,
        nation=nation,
        forces=tuple(positions),
        sign_offs=tuple(sorted(signed, key=lambda entry: entry.force_name)),
        not_signed_off=tuple(name for _code, name in members if name not in signed_forces),
    )


def _trends_and_sign_offs(
    snapshots: Sequence[tuple[str, int, str, Mapping[str, Any]]],
    area_of: Mapping[str, int],
    *,
    round_name: str,
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, dict[str, Any]]]:
    """Each force's overall share per signed-off round (newest version of each), and the round's sign-offs."""
    newest: dict[tuple[str, int], tuple[str, Mapping[str, Any]]] = {}
    for code, assessment_id, name, data in snapshots:
        newest.pop((code, assessment_id), None)
        newest[(code, assessment_id)] = (name, data)
    trends: dict[str, list[tuple[str, int]]] = {}
    sign_offs: dict[str, dict[str, Any]] = {}
    for (force_code, _assessment_id), (name, data) in newest.items():
        returns = data.get("returns", [])
        tallies = area_tallies(returns if isinstance(returns, list) else [], area_of)
        overall = share(sum(t for t, _n in tallies.values()), sum(n for _t, n in tallies.values()))
        trends.setdefault(force_code, []).append((name, overall))
        if name == round_name:
            at = data.get("signed_off_at")
            sign_offs[force_code] = {
                "version": int(data.get("version") or 0),
                "signed_off_by": str(data.get("signed_off_by") or ""),
                "role": str(data.get("signed_off_role") or ""),
                "signed_off_at": datetime.datetime.fromisoformat(str(at)) if at else None,
            }
    return trends, sign_offs


@dataclass(frozen=True)
class _MessageInputs:
    region_name: str
    round_name: str
    forces: int
    signed_off: int
    behind: int
    areas: tuple[tuple[int, str], ...]
    regional: tuple[GroupBenchmark, ...]
    nation: tuple[GroupBenchmark, ...]


def _signed_off_message(figures: _MessageInputs) -> str | None:
    if not figures.forces:
        return None
    return (
        f"{figures.signed_off} of the region's {figures.forces} forces "
        f"{'has' if figures.signed_off == 1 else 'have'} been signed off in {figures.round_name}."
    )


def _behind_message(figures: _MessageInputs) -> str | None:
    if not figures.behind:
        return None
    return f"{figures.behind} force{' is' if figures.behind == 1 else 's are'} behind schedule."


def _against_nation_message(figures: _MessageInputs) -> str | None:
    """The region's median against the nation's in the area where the gap is widest."""
    gaps = [
        (region.distribution.median, nation.distribution.median, title)
        for (_n, title), region, nation in zip(figures.areas, figures.regional, figures.nation, strict=True)
        if region.distribution is not None and nation.distribution is not None
    ]
    if not gaps:
        return None
    ours, theirs, title = max(gaps, key=lambda item: abs(item[0] - item[1]))
    if ours == theirs:
        return "The region's median matches the national median in every process area."
    side = "above" if ours > theirs else "below"
    return (
        f"The region is furthest {side} the national median in {title}: median "
        f"{percent(ours)} against {percent(theirs)}."
    )


def _weakest_area_message(figures: _MessageInputs) -> str | None:
    """The area with the lowest regional median; nothing when the region is withheld or level."""
    groups = figures.regional if any(g.distribution for g in figures.regional) else ()
    if not groups:
        return None
    medians = [
        (group.distribution.median, title)
        for (_n, title), group in zip(figures.areas, groups, strict=True)
        if group.distribution is not None
    ]
    lowest, title = min(medians)
    if statistics.fmean(m for m, _t in medians) == lowest:
        return None  # every area level: no weakest
    return f"{title} is the region's weakest process area: median {percent(lowest)} implemented or embedded."


def _withheld_message(figures: _MessageInputs) -> str | None:
    reasons = {group.withheld_reason for group in figures.regional if group.withheld_reason}
    return next(iter(sorted(reasons)), None)


REGIONAL_RULES = (
    _signed_off_message,
    _behind_message,
    _against_nation_message,
    _weakest_area_message,
    _withheld_message,
)


def regional_key_messages(figures: _MessageInputs) -> tuple[str, ...]:
    """Every regional rule's sentence, in order, leaving out those with nothing to say; six at most."""
    return tuple(sentence for rule in REGIONAL_RULES if (sentence := rule(figures)))[:6]
