"""Reads for the pipeline and turnaround page: how long decisions take, how often work comes back.

Everything is computed from the append-only workflow events (AssessmentEvent): each submission starts
a wait that the next return or sign-off ends. Four queries whatever the number of forces, rounds or
events: the two latest rounds, the regions in scope, their assessments in those rounds, and the events.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.models import Assessment, AssessmentEvent, Region, Round
from assessments.status import WorkflowStatus

DECISIONS = frozenset({WorkflowStatus.RETURNED, WorkflowStatus.SIGNED_OFF})
WAITING_LONGEST = 10  # how many of the longest waits the page lists


@dataclass(frozen=True, slots=True)
class PipelineAssessment:
    """What the page shows of an assessment, read as values: model instances with their force, region
    and round were half of the national page's time."""

    pk: int
    status: str
    round_id: int
    round_name: str
    force_name: str
    region_id: int
    region_name: str


PIPELINE_FIELDS = (
    "pk",
    "status",
    "round_id",
    "round__name",
    "force__name",
    "force__region_id",
    "force__region__name",
)


@dataclass
class AssessmentTurnaround:
    """One assessment's passage through review, from its events."""

    assessment: PipelineAssessment
    decision_days: list[float] = field(default_factory=list)  # submission to decision, each time
    returns: int = 0
    waiting_since: datetime.datetime | None = None  # submitted and not yet decided

    def waiting_days(self, now: datetime.datetime) -> float | None:
        """Days since the submission that still waits for a decision, or None."""
        if self.waiting_since is None:
            return None
        return (now - self.waiting_since).total_seconds() / 86400

    @property
    def median_decision_days(self) -> float | None:
        """The median time from submission to decision for this assessment, or None if none yet."""
        return statistics.median(self.decision_days) if self.decision_days else None


@dataclass
class RegionTurnaround:
    """A region's figures for one round."""

    region: Region
    round: Round
    decision_days: list[float] = field(default_factory=list)
    returns: int = 0
    assessments: int = 0
    waiting: int = 0

    @property
    def median_decision_days(self) -> float | None:
        """The median days from submission to decision over every decision in the round, or None."""
        return statistics.median(self.decision_days) if self.decision_days else None

    @property
    def returns_per_assessment(self) -> float | None:
        """Returns for changes per assessment in the round, or None with no assessments."""
        return self.returns / self.assessments if self.assessments else None


@dataclass(frozen=True)
class Pipeline:
    """The page: the rounds compared, each region's figures per round, each force's in the current round."""

    current: Round | None
    previous: Round | None
    regions: list[tuple[Region, RegionTurnaround | None, RegionTurnaround | None]]  # current, previous
    forces: list[AssessmentTurnaround]  # the current round, by region then force
    waiting_longest: list[tuple[AssessmentTurnaround, float]]  # (assessment, days waiting), longest first


def turnaround(
    assessment: PipelineAssessment, events: list[tuple[str, datetime.datetime]]
) -> AssessmentTurnaround:
    """Walk one assessment's events in order: each submission opens a wait, the next decision closes it."""
    result = AssessmentTurnaround(assessment=assessment)
    for to_status, at in events:
        if to_status == WorkflowStatus.SUBMITTED:
            result.waiting_since = at
        elif to_status in DECISIONS and result.waiting_since is not None:
            result.decision_days.append((at - result.waiting_since).total_seconds() / 86400)
            result.waiting_since = None
        if to_status == WorkflowStatus.RETURNED:
            result.returns += 1
    if assessment.status != WorkflowStatus.SUBMITTED:
        result.waiting_since = None
    return result


def pipeline(*, regions: QuerySet[Region], now: datetime.datetime) -> Pipeline:
    """The pipeline for the regions in scope (a coordinator's own, or all for national staff)."""
    rounds = list(Round.objects.order_by("-opens_on", "-pk")[:2])
    current = rounds[0] if rounds else None
    previous = rounds[1] if len(rounds) > 1 else None
    region_list = list(regions.order_by("name"))
    assessments = [
        PipelineAssessment(*values)
        for values in Assessment.objects.filter(
            round__in=rounds, force__region__in=[region.pk for region in region_list]
        )
        .order_by("force__region__name", "force__name")
        .values_list(*PIPELINE_FIELDS)
    ]
    by_assessment: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    events = AssessmentEvent.objects.filter(assessment__in=[a.pk for a in assessments]).order_by(
        "assessment_id", "created_at", "pk"
    )
    for assessment_id, to_status, at in events.values_list("assessment_id", "to_status", "created_at"):
        by_assessment[assessment_id].append((to_status, at))
    figures: dict[tuple[int, int], RegionTurnaround] = {}
    regions_by_id = {region.pk: region for region in region_list}
    rounds_by_id = {round_.pk: round_ for round_ in rounds}
    forces: list[AssessmentTurnaround] = []
    waiting: list[tuple[AssessmentTurnaround, float]] = []
    for assessment in assessments:
        result = turnaround(assessment, by_assessment[assessment.pk])
        region = regions_by_id[assessment.region_id]
        key = (region.pk, assessment.round_id)
        if key not in figures:
            figures[key] = RegionTurnaround(region=region, round=rounds_by_id[assessment.round_id])
        summary = figures[key]
        summary.assessments += 1
        summary.returns += result.returns
        summary.decision_days.extend(result.decision_days)
        days = result.waiting_days(now)
        if days is not None:
            summary.waiting += 1
            waiting.append((result, days))
        if current is not None and assessment.round_id == current.pk:
            forces.append(result)
    # Already in region, then force, order from the query.
    waiting.sort(key=lambda pair: -pair[1])
    return Pipeline(
        current=current,
        previous=previous,
        regions=[
            (
                region,
                figures.get((region.pk, current.pk)) if current else None,
                figures.get((region.pk, previous.pk)) if previous else None,
            )
            for region in region_list
        ],
        forces=forces,
        waiting_longest=waiting[:WAITING_LONGEST],
    )
