"""Selectors for the regional and national overviews: status, completeness and the heat map.

Every figure comes from a fixed number of queries, whatever the number of forces, activities or rounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from actionplan.models import Activity, ProcessArea
from assessments.basis import assessment_basis, basis_label, figure_caption
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
    # The assessment the heat-map cells come from: this round's (live position) or the force's latest
    # signed-off one up to this round (signed-off position); None when there is none.
    figures_from: Assessment | None = None

    @property
    def basis_label(self) -> str:
        """What this round's figures rest on: signed off, submitted or self-declared draft ("" if none)."""
        if self.assessment is None:
            return ""
        return basis_label(assessment_basis(self.assessment.status))

    @property
    def figures_label(self) -> str:
        """The heat-map row's label: the basis and the round its figures come from."""
        if self.figures_from is None:
            return "No signed-off assessment"
        return figure_caption(
            basis=assessment_basis(self.figures_from.status), round_name=self.figures_from.round.name
        )


@dataclass(frozen=True)
class AreaColumns:
    """A process area and its activities, for the heat map's grouped column headings."""

    area: ProcessArea
    activities: list[Activity]


# The two positions an overview's heat map can show (the `figures` GET parameter).
LIVE = "live"
SIGNED_OFF = "signed_off"
POSITIONS = (LIVE, SIGNED_OFF)


@dataclass(frozen=True)
class Overview:
    """Everything an overview page shows for one round."""

    round: Round | None
    rounds: list[Round]
    days_to_due: int | None
    areas: list[AreaColumns]
    rows: list[ForceRow]
    status_counts: dict[str, int]
    position: str = LIVE

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        """(status, abbreviation, label) for the key under the heat map."""
        return [(s, HEAT_MAP_ABBREVIATIONS[s], implementation_label(s)) for s in ImplementationStatus.values]


NOT_ANSWERED = HeatCell(status="", abbreviation="–", label=implementation_label(""))
CELLS = {
    status: HeatCell(status=status, abbreviation=abbreviation, label=implementation_label(status))
    for status, abbreviation in HEAT_MAP_ABBREVIATIONS.items()
} | {"": NOT_ANSWERED}


def build_overview(
    *, forces: list[Force], rounds: list[Round], chosen: Round | None, position: str = LIVE
) -> Overview:
    """Status, completeness and heat map for these forces in the chosen round (four or five queries).

    The heat map shows the live position (this round's answers, whatever their basis) or, with
    position=SIGNED_OFF, each force's latest signed-off assessment up to this round.
    """
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
            row.figures_from = assessment
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
        shown = ActivityReturn.objects.filter(assessment__round=chosen, assessment__force_id__in=rows)
        if position == SIGNED_OFF:
            latest = _latest_signed_off(force_ids=list(rows), up_to=chosen)
            for row in rows.values():
                row.figures_from = latest.get(row.force.pk)
            # A subquery rather than a list of ids: the page makes the same queries whether or not any
            # force has signed off yet.
            shown = ActivityReturn.objects.filter(
                assessment_id__in=_latest_signed_off_ids(force_ids=list(rows), up_to=chosen)
            )
        statuses = {
            (force_id, activity_id): status
            for force_id, activity_id, status in shown.values_list(
                "assessment__force_id", "activity_id", "implementation_status"
            )
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
        position=position,
    )


def _latest_signed_off(*, force_ids: list[int], up_to: Round) -> dict[int, Assessment]:
    """Each force's newest signed-off assessment in this round or an earlier one (one query)."""
    candidates = (
        Assessment.objects.filter(
            force_id__in=force_ids, status=WorkflowStatus.SIGNED_OFF, round__opens_on__lte=up_to.opens_on
        )
        .select_related("round")
        .order_by("force_id", "-round__opens_on", "-round_id")
    )
    latest: dict[int, Assessment] = {}
    for assessment in candidates:
        latest.setdefault(assessment.force_id, assessment)
    return latest


def _latest_signed_off_ids(*, force_ids: list[int], up_to: Round) -> Subquery:
    """The same choice as _latest_signed_off, as a subquery of assessment ids."""
    newest = Assessment.objects.filter(
        force_id=OuterRef("pk"), status=WorkflowStatus.SIGNED_OFF, round__opens_on__lte=up_to.opens_on
    ).order_by("-round__opens_on", "-round_id")
    return Subquery(
        Force.objects.filter(pk__in=force_ids)
        .annotate(latest=Subquery(newest.values("pk")[:1]))
        .exclude(latest__isnull=True)
        .values("latest")
    )


def region_overview(*, region: Region, round_id: str | None, position: str = LIVE) -> Overview:
    """The region's forces in the round asked for, else the current one (selectors.rounds)."""
    choice = round_choice(round_id)
    forces = list(region.forces.order_by("name"))
    return build_overview(
        forces=forces, rounds=choice.rounds, chosen=choice.requested or choice.current, position=position
    )


@dataclass(frozen=True)
class RegionSummary:
    """One region's counts of assessments by workflow status."""

    region: Region
    counts: dict[str, int]
    total: int


def national_overview(*, round_id: str | None, position: str = LIVE) -> tuple[Overview, list[RegionSummary]]:
    """Every force in the round asked for (else the current one), and each region's workflow pipeline."""
    choice = round_choice(round_id)
    forces = list(Force.objects.select_related("region").order_by("region__name", "name"))
    overview = build_overview(
        forces=forces, rounds=choice.rounds, chosen=choice.requested or choice.current, position=position
    )
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
