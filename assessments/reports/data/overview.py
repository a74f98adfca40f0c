"""The regional and national reports: each force's position in a round, by area and in the pipeline."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from assessments.basis import assessment_basis, basis_label
from assessments.dates import long_date
from assessments.models import (
    ActivityReturn,
    Assessment,
    Force,
    Region,
    Round,
)
from assessments.progress import progress_counts
from assessments.reports.data.common import TOP_OF_SCALE, StatusCount, counts_from_tally, share
from assessments.reports.data.regional_briefing import RegionalBriefing, regional_briefing
from assessments.status import WorkflowStatus, workflow_label


@dataclass(frozen=True)
class AreaHeading:
    """A process area as a column or row heading."""

    number: int
    prefix: str
    title: str


@dataclass(frozen=True)
class ForceLine:
    """One force in a regional or national report."""

    code: str
    name: str
    region_name: str
    workflow_status: str
    workflow_label: str
    version: int
    complete: int
    total: int
    area_shares: tuple[int, ...]  # implemented or embedded, per area, in area order
    implemented_or_embedded: int
    behind_reason: str

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded, overall."""
        return share(self.implemented_or_embedded, self.total)

    @property
    def basis_label(self) -> str:
        """What the force's figures rest on (signed off, submitted or self-declared draft)."""
        return basis_label(assessment_basis(self.workflow_status))

    @property
    def complete_share(self) -> int:
        """Whole percentage of activities complete."""
        return share(self.complete, self.total)


@dataclass(frozen=True)
class PipelineStage:
    """How many forces are at one workflow status."""

    status: str
    label: str
    count: int


@dataclass(frozen=True)
class RegionalReport:
    """The regional report: forces by area, the workflow pipeline and forces behind schedule."""

    service_name: str
    region_slug: str
    region_name: str
    round_id: int
    round_name: str
    round_opens_on: datetime.date
    round_due_on: datetime.date
    as_of: datetime.date
    areas: tuple[AreaHeading, ...]
    forces: tuple[ForceLine, ...]
    pipeline: tuple[PipelineStage, ...]
    # Key messages, each force's place and trend, sign-offs (reports.data.regional_briefing).
    briefing: RegionalBriefing | None = None

    @property
    def behind(self) -> tuple[ForceLine, ...]:
        """Forces behind schedule, with the reason."""
        return tuple(line for line in self.forces if line.behind_reason)

    @property
    def title(self) -> str:
        """The document title."""
        return f"{self.region_name} regional progress report, {self.round_name}"

    @property
    def file_name(self) -> str:
        """The download name."""
        return f"{self.region_slug}-{slugify(self.round_name)}-regional-progress.pdf"


@dataclass(frozen=True)
class AreaDistribution:
    """Across all forces: activities at each status in one process area."""

    area: AreaHeading
    counts: tuple[StatusCount, ...]
    total: int

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded."""
        top = sum(c.count for c in self.counts if c.status in TOP_OF_SCALE)
        return share(top, self.total)


@dataclass(frozen=True)
class AreaChange:
    """One area's national share implemented or embedded, this round against the round before."""

    area: AreaHeading
    previous_share: int | None
    current_share: int

    @property
    def difference(self) -> int | None:
        """Percentage points gained (negative when lost)."""
        return None if self.previous_share is None else self.current_share - self.previous_share


@dataclass(frozen=True)
class RegionBlock:
    """A region and its forces."""

    name: str
    forces: tuple[ForceLine, ...]


@dataclass(frozen=True)
class NationalReport:
    """The national report: every force by region, status distribution per area, change since last round."""

    service_name: str
    round_id: int
    round_name: str
    round_due_on: datetime.date
    previous_round_name: str
    as_of: datetime.date
    areas: tuple[AreaHeading, ...]
    regions: tuple[RegionBlock, ...]
    distribution: tuple[AreaDistribution, ...]
    changes: tuple[AreaChange, ...]
    pipeline: tuple[PipelineStage, ...]

    @property
    def title(self) -> str:
        """The document title."""
        return f"National progress report, {self.round_name}"

    @property
    def file_name(self) -> str:
        """The download name."""
        return f"national-{slugify(self.round_name)}-progress.pdf"


def _area_headings(round_: Round) -> list[AreaHeading]:
    return [
        AreaHeading(number=area.number, prefix=area.prefix, title=area.title)
        for area in round_.plan.areas.order_by("number")
    ]


def _behind_reason(assessment: Assessment, *, complete: int, total: int, today: datetime.date) -> str:
    """Why a force is behind schedule, or "" when it is not.

    Behind means: not yet submitted or signed off, and either past the due date or with a smaller
    share of activities complete than the share of the round that has elapsed.
    """
    if assessment.status in (WorkflowStatus.SUBMITTED, WorkflowStatus.SIGNED_OFF):
        return ""
    round_ = assessment.round
    if today > round_.due_on:
        return f"Not submitted; due {long_date(round_.due_on)}"
    length = (round_.due_on - round_.opens_on).days or 1
    elapsed = min(max((today - round_.opens_on).days, 0), length)
    if total and complete / total < elapsed / length:
        return f"{share(complete, total)}% complete with {share(elapsed, length)}% of the round gone"
    return ""


def _force_lines(
    round_: Round, forces: Iterable[Force], areas: list[AreaHeading], *, today: datetime.date
) -> list[ForceLine]:
    """One line per force with an assessment in the round; three queries whatever the number of forces."""
    force_list = list(forces)
    assessments = {
        a.force_id: a
        for a in Assessment.objects.filter(round=round_, force__in=force_list).select_related("round")
    }
    counts = progress_counts()
    tallies = (
        ActivityReturn.objects.filter(assessment__in=list(assessments.values()))
        .values("assessment__force_id", "activity__area__number")
        .annotate(
            # Complete as everywhere else (assessments.progress); top of the scale for the shares.
            total=counts["total"],
            complete=counts["complete"],
            top=Count("pk", filter=Q(implementation_status__in=list(TOP_OF_SCALE))),
        )
    )
    per_force: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for row in tallies:
        per_force[row["assessment__force_id"]][row["activity__area__number"]] = row
    lines = []
    for force in force_list:
        assessment = assessments.get(force.pk)
        if assessment is None:
            continue
        by_area = per_force.get(force.pk, {})
        total = sum(r["total"] for r in by_area.values())
        complete = sum(r["complete"] for r in by_area.values())
        top = sum(r["top"] for r in by_area.values())
        lines.append(
            ForceLine(
                code=force.code,
                name=force.name,
                region_name=force.region.name,
                workflow_status=assessment.status,
                workflow_label=workflow_label(assessment.status),
                version=assessment.version,
                complete=complete,
                total=total,
                area_shares=tuple(
                    share(by_area.get(a.number, {}).get("top", 0), by_area.get(a.number, {}).get("total", 0))
                    for a in areas
                ),
                implemented_or_embedded=top,
                behind_reason=_behind_reason(assessment, complete=complete, total=total, today=today),
            )
        )
    return lines


def _pipeline(lines: Iterable[ForceLine]) -> tuple[PipelineStage, ...]:
    tally: dict[str, int] = defaultdict(int)
    for line in lines:
        tally[line.workflow_status] += 1
    return tuple(
        PipelineStage(status=status, label=workflow_label(status), count=tally[status])
        for status in WorkflowStatus.values
    )


def regional_report_data(
    *, region: Region, round_: Round, today: datetime.date | None = None
) -> RegionalReport:
    """The regional report for one round: each force by area, the pipeline and forces behind schedule."""
    today = today or timezone.localdate()
    areas = _area_headings(round_)
    lines = _force_lines(round_, region.forces.select_related("region").order_by("name"), areas, today=today)
    report = RegionalReport(
        service_name=settings.SERVICE_NAME,
        region_slug=region.slug,
        region_name=region.name,
        round_id=round_.pk,
        round_name=round_.name,
        round_opens_on=round_.opens_on,
        round_due_on=round_.due_on,
        as_of=today,
        areas=tuple(areas),
        forces=tuple(lines),
        pipeline=_pipeline(lines),
    )
    briefing = regional_briefing(
        region=region,
        round_=round_,
        areas=[(area.number, area.title) for area in areas],
        forces=[(line.code, line.name, line.workflow_status) for line in lines],
        behind=len(report.behind),
    )
    return dataclasses.replace(report, briefing=briefing)


def _area_status_tallies(round_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Status counts by area for several rounds in one query: {round id: {area number: {status: n}}}."""
    rows = (
        ActivityReturn.objects.filter(assessment__round_id__in=round_ids)
        .values("assessment__round_id", "activity__area__number", "implementation_status")
        .annotate(count=Count("pk"))
    )
    tallies: dict[int, dict[int, dict[str, int]]] = {round_id: defaultdict(dict) for round_id in round_ids}
    for row in rows:
        status = row["implementation_status"] or ""
        area = tallies[row["assessment__round_id"]][row["activity__area__number"]]
        area[status] = area.get(status, 0) + row["count"]
    return tallies


def national_report_data(*, round_: Round, today: datetime.date | None = None) -> NationalReport:
    """The national report for one round, compared with the round that opened before it."""
    today = today or timezone.localdate()
    areas = _area_headings(round_)
    lines = _force_lines(
        round_, Force.objects.select_related("region").order_by("region__name", "name"), areas, today=today
    )
    regions: dict[str, list[ForceLine]] = defaultdict(list)
    for line in lines:
        regions[line.region_name].append(line)
    previous_round = Round.objects.filter(opens_on__lt=round_.opens_on).order_by("-opens_on", "-pk").first()
    # Both rounds in one query, so the page makes the same queries whether or not a previous round exists.
    tallies = _area_status_tallies([round_.pk] + ([previous_round.pk] if previous_round else []))
    current = tallies[round_.pk]
    previous = tallies[previous_round.pk] if previous_round else {}
    distribution = []
    changes = []
    for area in areas:
        counts = counts_from_tally(current.get(area.number, {}))
        entry = AreaDistribution(area=area, counts=counts, total=sum(c.count for c in counts))
        distribution.append(entry)
        earlier = previous.get(area.number)
        earlier_share = None
        if earlier:
            earlier_share = share(
                sum(n for s, n in earlier.items() if s in TOP_OF_SCALE), sum(earlier.values())
            )
        changes.append(AreaChange(area=area, previous_share=earlier_share, current_share=entry.share))
    return NationalReport(
        service_name=settings.SERVICE_NAME,
        round_id=round_.pk,
        round_name=round_.name,
        round_due_on=round_.due_on,
        previous_round_name=previous_round.name if previous_round else "",
        as_of=today,
        areas=tuple(areas),
        regions=tuple(RegionBlock(name=name, forces=tuple(forces)) for name, forces in regions.items()),
        distribution=tuple(distribution),
        changes=tuple(changes),
        pipeline=_pipeline(lines),
    )
