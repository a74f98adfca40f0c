"""Reads for the coordinator's review page: each return beside the force's last signed-off answer."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from assessments.answers import Answer, EvidenceReference, answer_from_json
from assessments.changes import StatusChange, answer_change
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot


@dataclass(frozen=True, slots=True)
class ReviewReturn:
    """What the review shows of one activity's return, read as values rather than model instances."""

    code: str
    title: str
    implementation_status: str
    not_applicable_reason: str
    evidence_summary: str
    evidence_references: list[EvidenceReference]
    next_steps: str
    action_owner: str
    target_date: datetime.date | None
    carried_forward: bool
    reopened_for_changes: bool

    @property
    def answer(self) -> Answer:
        """This round's answer, to compare with the last signed-off one."""
        return Answer(
            implementation_status=self.implementation_status,
            not_applicable_reason=self.not_applicable_reason,
            evidence_summary=self.evidence_summary,
            evidence_references=self.evidence_references,
            next_steps=self.next_steps,
            action_owner=self.action_owner,
            target_date=self.target_date,
        )


# ActivityReturn fields in ReviewReturn's order (the activity's code and title come through the join).
REVIEW_RETURN_FIELDS = tuple(
    {"code": "activity__code", "title": "activity__title"}.get(field.name, field.name)
    for field in fields(ReviewReturn)
)


@dataclass(frozen=True)
class ReviewRow:
    """One activity: this round's return, last signed-off answer, and what changed between them."""

    activity_return: ReviewReturn
    previous: dict[str, Any] | None  # the return as the last snapshot holds it
    status_change: StatusChange
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

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many activities went up, down or stayed the same since the last sign-off."""
        totals = {"up": 0, "down": 0, "same": 0, "new": 0, "other": 0}
        for row in self.rows:
            totals[row.status_change] += 1
        return totals


def previous_snapshot(*, assessment: Assessment) -> AssessmentSnapshot | None:
    """The force's most recent sign-off before this version: an earlier version or an earlier round."""
    return (
        AssessmentSnapshot.objects.filter(
            assessment__force_id=assessment.force_id,
            assessment__round__opens_on__lte=assessment.round.opens_on,
        )
        .exclude(assessment=assessment, version__gte=assessment.version)
        .order_by("-created_at", "-pk")
        .first()
    )


def compare(current: ReviewReturn, previous: Mapping[str, Any] | None) -> tuple[StatusChange, bool]:
    """Whether the status went up, down or stayed, and whether the evidence changed.

    `previous` is the return as the last snapshot holds it; the rule is assessments.changes.answer_change.
    """
    change = answer_change(current.answer, answer_from_json(previous) if previous is not None else None)
    return change.status, change.evidence_changed


def review_page(*, assessment: Assessment) -> ReviewPage:
    """Returns, the previous sign-off and the event history, in three queries."""
    snapshot = previous_snapshot(assessment=assessment)
    earlier = {row["activity_code"]: row for row in (snapshot.data.get("returns", []) if snapshot else [])}
    returns = (
        ActivityReturn.objects.filter(assessment_id=assessment.pk)
        .order_by("activity__area__number", "activity__order")
        .values_list(*REVIEW_RETURN_FIELDS)
    )
    rows = []
    for values in returns:
        activity_return = ReviewReturn(*values)
        previous = earlier.get(activity_return.code)
        change, evidence_changed = compare(activity_return, previous)
        rows.append(ReviewRow(activity_return, previous, change, evidence_changed))
    # Events carry the actor's name and role as they were, so the user rows are not needed.
    events = list(assessment.events.order_by("created_at", "pk"))
    return ReviewPage(assessment=assessment, previous_snapshot=snapshot, rows=rows, events=events)
