"""The benchmark's arithmetic and its results: quartiles, where a value falls, the five-force guard,
and the shapes the pages and reports show. No database here; inputs.py reads the figures."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MINIMUM_GROUP = 5
NATIONAL_GROUP_NAME = "England and Wales"
TOP_QUARTER = "top quarter"
MIDDLE_HALF = "middle half"
BOTTOM_QUARTER = "bottom quarter"


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
