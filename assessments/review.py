"""Reads for the coordinator's review page: each return beside the force's last signed-off answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot
from assessments.status import IMPLEMENTATION_RANK


@dataclass(frozen=True)
class ReviewRow:
    """One activity: this round's return, last signed-off answer, and what changed between them."""

    activity_return: ActivityReturn
    previous: dict[str, Any] | None
    status_change: str  # "up", "down", "same", "new" or "other"
    evidence_changed: bool

    @property
    def carried_forward_unchanged(self) -> bool:
        """Copied from last time and confirmed without any change."""
        return (
            self.activity_return.carried_forward
            and self.status_change == "same"
            and not self.evidence_changed
        )


@dataclass(frozen=True)
class ReviewPage:
    """Everything the review page shows."""

    assessment: Assessment
    previous_snapshot: AssessmentSnapshot | None
    rows: list[ReviewRow]
    events: list[AssessmentEvent]

    @property
    def counts(self) -> dict[str, int]:
        """How many activities went up, down or stayed the same since the last sign-off."""
        totals = {"up": 0, "down": 0, "same": 0, "new": 0, "other": 0}
        for row in self.rows:
            totals[row.status_change] += 1
        return totals


def previous_snapshot(*, assessment: Assessment) -> AssessmentSnapshot | None:
    """The force's most recent sign-off before this version: an earlier version or an earlier round."""
    return (
        AssessmentSnapshot.objects.filter(assessment__force_id=assessment.force_id)
        .exclude(Q(assessment=assessment) & Q(version__gte=assessment.version))
        .exclude(assessment__round__opens_on__gt=assessment.round.opens_on)
        .order_by("-created_at", "-pk")
        .first()
    )


def compare(current: ActivityReturn, previous: dict[str, Any] | None) -> tuple[str, bool]:
    """Whether the status went up, down or stayed, and whether the evidence changed."""
    if previous is None:
        return "new", bool(current.evidence_summary or current.evidence_references)
    before, now = previous.get("implementation_status") or "", current.implementation_status
    if before == now:
        change = "same"
    elif before in IMPLEMENTATION_RANK and now in IMPLEMENTATION_RANK:
        change = "up" if IMPLEMENTATION_RANK[now] > IMPLEMENTATION_RANK[before] else "down"
    else:
        change = "other"
    evidence_changed = (previous.get("evidence_summary") or "") != current.evidence_summary or (
        previous.get("evidence_references") or []
    ) != (current.evidence_references or [])
    return change, evidence_changed


def review_page(*, assessment: Assessment) -> ReviewPage:
    """Returns, the previous sign-off and the event history, in four queries."""
    snapshot = previous_snapshot(assessment=assessment)
    earlier = {row["activity_code"]: row for row in (snapshot.data.get("returns", []) if snapshot else [])}
    returns = (
        ActivityReturn.objects.filter(assessment=assessment)
        .select_related("activity__area")
        .order_by("activity__area__number", "activity__order")
    )
    rows = []
    for activity_return in returns:
        previous = earlier.get(activity_return.activity.code)
        change, evidence_changed = compare(activity_return, previous)
        rows.append(ReviewRow(activity_return, previous, change, evidence_changed))
    events = list(assessment.events.select_related("actor").order_by("created_at", "pk"))
    return ReviewPage(assessment=assessment, previous_snapshot=snapshot, rows=rows, events=events)
