"""The home pages' reads: where a person starts, and a force's page with its progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from accounts.roles import Role
from assessments.benchmarks import ForceBenchmark, force_benchmark
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, Force
from assessments.permissions import access_for
from assessments.progress import (
    AreaProgress,
    AssessmentProgress,
    ProgressTally,
    progress_counts,
    progress_from,
)
from assessments.status import WorkflowStatus

__all__ = [
    "AreaProgress",
    "AssessmentProgress",
    "Destination",
    "ForceHome",
    "assessment_progress",
    "force_home",
    "home_destinations",
]


@dataclass(frozen=True)
class Destination:
    """A place a signed-in user can start from: their force, their region, or the national picture."""

    label: str
    description: str
    url: str


def home_destinations(*, user: Any) -> list[Destination]:
    """Where each of the user's roles starts, in a stable order; no database query beyond memberships."""
    access = access_for(user)
    destinations: list[Destination] = []
    for role, key, name in access.scoped_memberships:
        if role in (Role.SPOC, Role.CHIEF_OFFICER):
            url = reverse("assessments:force_home", kwargs={"force_code": key})
        else:
            url = reverse("assessments:region_overview", kwargs={"region_slug": key})
        destinations.append(Destination(label=name, description=Role(role).label, url=url))
    if access.nationwide:
        destinations.append(
            Destination(
                label="All forces in England and Wales",
                description="National overview",
                url=reverse("assessments:national_overview"),
            )
        )
    return destinations


def assessment_progress(*, assessment: Assessment) -> AssessmentProgress:
    """Counts by area and status for one assessment, in one query (assessments.progress)."""
    rows = (
        ActivityReturn.objects.filter(assessment=assessment)
        .values("activity__area__number", "activity__area__title", "implementation_status")
        .annotate(**progress_counts())
        .order_by("activity__area__number")
    )
    return progress_from(
        ProgressTally(
            area_number=row["activity__area__number"],
            area_title=row["activity__area__title"],
            status=row["implementation_status"] or "",
            total=row["total"],
            complete=row["complete"],
            unconfirmed=row["unconfirmed"],
            reopened=row["reopened"],
        )
        for row in rows
    )


@dataclass(frozen=True)
class ForceHome:
    """What a force's home page shows."""

    force: Force
    assessment: Assessment | None
    progress: AssessmentProgress | None
    feedback: AssessmentEvent | None
    earlier: list[Assessment]
    # The activities the coordinator marked for changes, (code, title) in plan order; only when returned.
    changes_requested: list[tuple[str, str]] = field(default_factory=list)
    # Where the force stands against its region and the nation (signed-off figures, anonymised).
    benchmark: ForceBenchmark | None = None


def force_home(*, force: Force) -> ForceHome:
    """The force's assessment in the most recent open round, its progress and the latest feedback."""
    assessments = list(
        Assessment.objects.filter(force=force)
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
    )
    current = next((a for a in assessments if a.round.is_open), None)
    progress = assessment_progress(assessment=current) if current else None
    feedback = None
    changes_requested: list[tuple[str, str]] = []
    if current is not None:
        feedback = (
            AssessmentEvent.objects.filter(assessment=current, to_status=WorkflowStatus.RETURNED)
            .order_by("-created_at")
            .first()
        )
    if current is not None and current.status == WorkflowStatus.RETURNED:
        # The banner names each activity to change, so the SPOC can go straight to it.
        changes_requested = list(
            ActivityReturn.objects.filter(assessment=current, reopened_for_changes=True)
            .order_by("activity__area__number", "activity__order")
            .values_list("activity__code", "activity__title")
        )
    earlier = [a for a in assessments if a is not current]
    return ForceHome(
        force=force,
        assessment=current,
        progress=progress,
        feedback=feedback,
        earlier=earlier,
        changes_requested=changes_requested,
        benchmark=force_benchmark(force=force),
    )
