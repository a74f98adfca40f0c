"""A force placed against its region and the nation (anonymised), and every force named for national
staff: the inputs put through the arithmetic."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from assessments.benchmarks.arithmetic import (
    NATIONAL_GROUP_NAME,
    AreaBenchmark,
    ForceBenchmark,
    NamedForceLine,
    NationalBenchmark,
    group_benchmark,
    position_in,
)
from assessments.benchmarks.inputs import (
    BenchmarkInputs,
    SignedOffFigures,
    benchmark_inputs,
)
from assessments.models import Force


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
