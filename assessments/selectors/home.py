"""The home pages' reads: where a person starts, and a force's page with its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from accounts.roles import Role
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, Force
from assessments.permissions import access_for
from assessments.status import ImplementationStatus, WorkflowStatus


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


@dataclass(frozen=True)
class AreaProgress:
    """Implementation status counts for one process area."""

    number: int
    title: str
    counts: dict[str, int]
    total: int
    complete: int

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale."""
        return self.counts.get(ImplementationStatus.IMPLEMENTED, 0) + self.counts.get(
            ImplementationStatus.EMBEDDED, 0
        )

    @property
    def implemented_share(self) -> int:
        """Whole percentage implemented or embedded, rounded to the nearest 5 for the bar classes."""
        return round(100 * self.implemented_or_embedded / self.total / 5) * 5 if self.total else 0


@dataclass(frozen=True)
class AssessmentProgress:
    """The progress figures shown everywhere: one definition of complete (ActivityReturn.is_complete)."""

    total: int
    complete: int
    carried_forward_unconfirmed: int
    changes_requested: int
    areas: list[AreaProgress]


def assessment_progress(*, assessment: Assessment) -> AssessmentProgress:
    """Counts by area and status for one assessment, in one query."""
    rows = (
        ActivityReturn.objects.filter(assessment=assessment)
        .values("activity__area__number", "activity__area__title", "implementation_status")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(is_complete=True)),
            unconfirmed=Count("pk", filter=Q(carried_forward=True, confirmed=False)),
            reopened=Count("pk", filter=Q(reopened_for_changes=True)),
        )
        .order_by("activity__area__number")
    )
    areas: dict[int, dict[str, Any]] = {}
    totals = {"total": 0, "complete": 0, "unconfirmed": 0, "reopened": 0}
    for row in rows:
        area = areas.setdefault(
            row["activity__area__number"],
            {"title": row["activity__area__title"], "counts": {}, "total": 0, "complete": 0},
        )
        status = row["implementation_status"] or ""
        area["counts"][status] = area["counts"].get(status, 0) + row["total"]
        area["total"] += row["total"]
        area["complete"] += row["complete"]
        for key, column in (("total", "total"), ("complete", "complete"), ("unconfirmed", "unconfirmed")):
            totals[key] += row[column]
        totals["reopened"] += row["reopened"]
    return AssessmentProgress(
        total=totals["total"],
        complete=totals["complete"],
        carried_forward_unconfirmed=totals["unconfirmed"],
        changes_requested=totals["reopened"],
        areas=[
            AreaProgress(
                number=n, title=a["title"], counts=a["counts"], total=a["total"], complete=a["complete"]
            )
            for n, a in sorted(areas.items())
        ],
    )


@dataclass(frozen=True)
class ForceHome:
    """What a force's home page shows."""

    force: Force
    assessment: Assessment | None
    progress: AssessmentProgress | None
    feedback: AssessmentEvent | None
    earlier: list[Assessment]


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
    if current is not None:
        feedback = (
            AssessmentEvent.objects.filter(assessment=current, to_status=WorkflowStatus.RETURNED)
            .order_by("-created_at")
            .first()
        )
    earlier = [a for a in assessments if a is not current]
    return ForceHome(force=force, assessment=current, progress=progress, feedback=feedback, earlier=earlier)
