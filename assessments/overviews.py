"""Selectors for the regional and national overviews: status, completeness and the heat map.

Every figure comes from a fixed number of queries, whatever the number of forces, activities or rounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from actionplan.models import Activity
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


@dataclass(frozen=True)
class FiguresFrom:
    """The assessment a heat-map row's cells come from: its workflow status and its round's name."""

    status: str
    round_name: str


@dataclass
class ForceRow:
    """One force in an overview: its assessment in the round and its heat-map cells in plan order."""

    force: Force
    assessment: Assessment | None
    complete: int = 0
    total: int = 0
    cells: list[HeatCell] = field(default_factory=list)
    # Where the heat-map cells come from: this round's assessment (live position) or the force's latest
    # signed-off one up to this round (signed-off position); None when there is none.
    figures_from: FiguresFrom | None = None

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
            basis=assessment_basis(self.figures_from.status), round_name=self.figures_from.round_name
        )


@dataclass(frozen=True)
class AreaHeading:
    """A process area as the heat map's grouped column heading shows it."""

    number: int
    title: str


@dataclass(frozen=True)
class ActivityColumn:
    """An activity as the heat map's column heading shows it."""

    pk: int
    code: str
    title: str


@dataclass(frozen=True)
class AreaColumns:
    """A process area and its activities, for the heat map's grouped column headings."""

    area: AreaHeading
    activities: list[ActivityColumn]


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

    The national map has 44 x 50 cells, so its reads take plain values: the activities' headings
    without their long guidance texts, the answers' statuses without the plan order (the cells are
    placed by activity here), the latest sign-offs without every earlier one.
    """
    rows = {force.pk: ForceRow(force=force, assessment=None) for force in forces}
    status_counts = dict.fromkeys(WorkflowStatus.values, 0)
    areas: list[AreaColumns] = []
    if chosen is not None:
        counts = progress_counts("returns")
        assessments = (
            Assessment.objects.filter(round=chosen, force_id__in=rows)
            .annotate(total=counts["total"], complete=counts["complete"])
            .order_by()
        )
        # Which force's row an assessment's answers fill.
        row_of: dict[int, ForceRow] = {}
        for assessment in assessments:
            row = rows[assessment.force_id]
            row.assessment = assessment
            row.total = assessment.total
            row.complete = assessment.complete
            row.figures_from = FiguresFrom(status=assessment.status, round_name=chosen.name)
            row_of[assessment.pk] = row
            status_counts[assessment.status] += 1
        areas = _area_columns(plan_id=chosen.plan_id)
        shown = ActivityReturn.objects.filter(assessment__round=chosen, assessment__force_id__in=rows)
        if position == SIGNED_OFF:
            row_of = {}
            for row in rows.values():
                row.figures_from = None
            for assessment_id, force_id, round_name in _latest_signed_off(force_ids=list(rows), up_to=chosen):
                row = rows[force_id]
                row.figures_from = FiguresFrom(status=WorkflowStatus.SIGNED_OFF, round_name=round_name)
                row_of[assessment_id] = row
            # A subquery rather than a list of ids: the page makes the same queries whether or not any
            # force has signed off yet.
            shown = ActivityReturn.objects.filter(
                assessment_id__in=_latest_signed_off_ids(force_ids=list(rows), up_to=chosen)
            )
        statuses: dict[int, dict[int, str]] = defaultdict(dict)
        for assessment_id, activity_id, status in shown.order_by().values_list(
            "assessment_id", "activity_id", "implementation_status"
        ):
            statuses[assessment_id][activity_id] = status
        activity_ids = [activity.pk for group in areas for activity in group.activities]
        for assessment_id, row in row_of.items():
            answered = statuses.get(assessment_id, {})
            row.cells = [CELLS.get(answered.get(pk, ""), NOT_ANSWERED) for pk in activity_ids]
        for row in rows.values():
            if not row.cells:
                row.cells = [NOT_ANSWERED] * len(activity_ids)
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


def _area_columns(*, plan_id: int) -> list[AreaColumns]:
    """The plan's activities grouped by process area, in plan order (one query)."""
    grouped: dict[int, AreaColumns] = {}
    for pk, code, title, area_id, number, area_title in (
        Activity.objects.filter(plan_id=plan_id)
        .order_by("area__number", "order")
        .values_list("pk", "code", "title", "area_id", "area__number", "area__title")
    ):
        group = grouped.get(area_id)
        if group is None:
            group = grouped[area_id] = AreaColumns(
                area=AreaHeading(number=number, title=area_title), activities=[]
            )
        group.activities.append(ActivityColumn(pk=pk, code=code, title=title))
    return list(grouped.values())


def _latest_signed_off(*, force_ids: list[int], up_to: Round) -> list[tuple[int, int, str]]:
    """(assessment id, force id, round name) of each force's newest signed-off assessment in this round
    or an earlier one (one query)."""
    return list(
        Assessment.objects.filter(pk__in=_latest_signed_off_ids(force_ids=force_ids, up_to=up_to))
        .order_by()
        .values_list("pk", "force_id", "round__name")
    )


def _latest_signed_off_ids(*, force_ids: list[int], up_to: Round) -> Subquery:
    """Each force's newest signed-off assessment in this round or an earlier one, as a subquery of ids."""
    newest = Assessment.objects.filter(
        force_id=OuterRef("pk"), status=WorkflowStatus.SIGNED_OFF, round__opens_on__lte=up_to.opens_on
    ).order_by("-round__opens_on", "-round_id")
    # A force with no sign-off gives NULL, which `IN` never matches: no need to filter it out (that
    # would run the correlated subquery twice per force).
    return Subquery(
        Force.objects.filter(pk__in=force_ids)
        .order_by()
        .annotate(latest=Subquery(newest.values("pk")[:1]))
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
    statuses = WorkflowStatus.values  # built by the enum on every access
    for row in overview.rows:
        region = row.force.region
        summary = summaries.get(region.pk)
        if summary is None:
            summary = RegionSummary(region=region, counts=dict.fromkeys(statuses, 0), total=0)
        if row.assessment is not None:
            summary.counts[row.assessment.status] += 1
        summaries[region.pk] = RegionSummary(region=region, counts=summary.counts, total=summary.total + 1)
    return overview, list(summaries.values())


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
