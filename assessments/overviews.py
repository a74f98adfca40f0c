"""Selectors for the regional and national overviews: status, completeness and the heat map.

Every figure comes from a fixed number of queries, whatever the number of forces, activities or rounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from actionplan.models import Activity, ProcessArea
from assessments.basis import assessment_basis, basis_label
from assessments.models import ActivityReturn, Assessment, Force, Region, Round
from assessments.progress import progress_counts
from assessments.selectors.rounds import round_choice
from assessments.status import ImplementationStatus, WorkflowStatus, implementation_label

HEAT_MAP_ABBREVIATIONS: dict[str, str] = {
    ImplementationStatus.NOT_STARTED: "NS",
    ImplementationStatus.PLANNED: "P",
    ImplementationStatus.IN_PROGRESS: "IP",
    ImplementationStatus.IMPLEMENTED: "I",
    ImplementationStatus.EMBEDDED: "E",
    ImplementationStatus.NOT_APPLICABLE: "NA",
}


@dataclass(frozen=True)
class HeatCell:
    """One force's status for one activity: colour class, short text and the full label."""

    status: str
    abbreviation: str
    label: str


@dataclass
class ForceRow:
    """One force in an overview: its assessment in the round and its heat-map cells in plan order."""

    force: Force
    assessment: Assessment | None
    complete: int = 0
    total: int = 0
    cells: list[HeatCell] = field(default_factory=list)

    @property
    def basis_label(self) -> str:
        """What the force's figures rest on (signed off, submitted or self-declared draft); "" without any."""
        if self.assessment is None:
            return ""
        return basis_label(assessment_basis(self.assessment.status))


@dataclass(frozen=True)
class AreaColumns:
    """A process area and its activities, for the heat map's grouped column headings."""

    area: ProcessArea
    activities: list[Activity]


@dataclass(frozen=True)
class Overview:
    """Everything an overview page shows for one round."""

    round: Round | None
    rounds: list[Round]
    days_to_due: int | None
    areas: list[AreaColumns]
    rows: list[ForceRow]
    status_counts: dict[str, int]

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        """(status, abbreviation, label) for the key under the heat map."""
        return [(s, HEAT_MAP_ABBREVIATIONS[s], implementation_label(s)) for s in ImplementationStatus.values]


NOT_ANSWERED = HeatCell(status="", abbreviation="–", label=implementation_label(""))
CELLS = {
    status: HeatCell(status=status, abbreviation=abbreviation, label=implementation_label(status))
    for status, abbreviation in HEAT_MAP_ABBREVIATIONS.items()
} | {"": NOT_ANSWERED}


def build_overview(*, forces: list[Force], rounds: list[Round], chosen: Round | None) -> Overview:
    """Status, completeness and heat map for these forces in the chosen round (four queries)."""
    rows = {force.pk: ForceRow(force=force, assessment=None) for force in forces}
    status_counts = dict.fromkeys(WorkflowStatus.values, 0)
    areas: list[AreaColumns] = []
    if chosen is not None:
        counts = progress_counts("returns")
        assessments = Assessment.objects.filter(round=chosen, force_id__in=rows).annotate(
            total=counts["total"], complete=counts["complete"]
        )
        for assessment in assessments:
            row = rows[assessment.force_id]
            row.assessment = assessment
            row.total = assessment.total
            row.complete = assessment.complete
            status_counts[assessment.status] += 1
        activities = list(
            Activity.objects.filter(plan_id=chosen.plan_id)
            .select_related("area")
            .order_by("area__number", "order")
        )
        grouped: dict[int, list[Activity]] = defaultdict(list)
        for activity in activities:
            grouped[activity.area_id].append(activity)
        areas = [AreaColumns(area=group[0].area, activities=group) for group in grouped.values()]
        statuses = {
            (force_id, activity_id): status
            for force_id, activity_id, status in ActivityReturn.objects.filter(
                assessment__round=chosen, assessment__force_id__in=rows
            ).values_list("assessment__force_id", "activity_id", "implementation_status")
        }
        for row in rows.values():
            row.cells = [_cell(statuses.get((row.force.pk, activity.pk), "")) for activity in activities]
    days = (chosen.due_on - timezone.localdate()).days if chosen else None
    return Overview(
        round=chosen,
        rounds=rounds,
        days_to_due=days,
        areas=areas,
        rows=list(rows.values()),
        status_counts=status_counts,
    )


def region_overview(*, region: Region, round_id: str | None) -> Overview:
    """The region's forces in the round asked for, else the current one (selectors.rounds)."""
    choice = round_choice(round_id)
    forces = list(region.forces.order_by("name"))
    return build_overview(forces=forces, rounds=choice.rounds, chosen=choice.requested or choice.current)


@dataclass(frozen=True)
class RegionSummary:
    """One region's counts of assessments by workflow status."""

    region: Region
    counts: dict[str, int]
    total: int


def national_overview(*, round_id: str | None) -> tuple[Overview, list[RegionSummary]]:
    """Every force in the round asked for (else the current one), and each region's workflow pipeline."""
    choice = round_choice(round_id)
    forces = list(Force.objects.select_related("region").order_by("region__name", "name"))
    overview = build_overview(forces=forces, rounds=choice.rounds, chosen=choice.requested or choice.current)
    summaries: dict[int, RegionSummary] = {}
    for row in overview.rows:
        region = row.force.region
        summary = summaries.setdefault(
            region.pk, RegionSummary(region=region, counts=dict.fromkeys(WorkflowStatus.values, 0), total=0)
        )
        if row.assessment is not None:
            summary.counts[row.assessment.status] += 1
        summaries[region.pk] = RegionSummary(region=region, counts=summary.counts, total=summary.total + 1)
    return overview, list(summaries.values())


def _cell(status: str) -> HeatCell:
    return CELLS.get(status, NOT_ANSWERED)


def due_text(days: int | None) -> str:
    """Plain words for days to the due date."""
    if days is None:
        return ""
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "due today"
    return f"overdue by {-days} day{'s' if days < -1 else ''}"
