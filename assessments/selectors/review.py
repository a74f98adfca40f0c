"""Reads for the coordinator's review page: each return beside the force's last signed-off answer."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from assessments.actions import uk_today
from assessments.answers import ANSWER_FIELDS, FIELD_HEADINGS, Answer, EvidenceReference, answer_from_json
from assessments.changes import StatusChange, answer_change
from assessments.dates import UK_TIME
from assessments.models import (
    ActivityReturn,
    ActivityReturnHistory,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
    ReviewMark,
    Round,
)
from assessments.rules import EVIDENCE_STALE_MONTHS, EvidenceNote, evidence_notes, evidence_window
from assessments.status import WorkflowStatus
from ops.prepared_reads import PreparedRead

# The groups the review page summarises and filters by, in the order a coordinator should look at them.
GROUPS: dict[str, str] = {
    "returned": "Returned last time",
    "down": "Status down",
    "up": "Status up",
    "evidence": "Evidence changed",
    "carried": "Carried forward unchanged",
    "new": "New this round",
    # The evidence's quality (rules.evidence_notes); "carried" above is one of them too.
    "up_new": "Status up with new evidence",
    "up_unchanged": "Status up, evidence unchanged",
    "old": f"Evidence older than {EVIDENCE_STALE_MONTHS} months",
}
FIELD_NAMES: dict[str, str] = {**FIELD_HEADINGS, "evidence_references": "Evidence references"}


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


@dataclass(frozen=True, slots=True)
class ReturnedLastTime:
    """An activity the coordinator returned last time: what they asked, and what changed since."""

    request: str  # the coordinator's comment on the activity when they returned it
    changed_fields: tuple[str, ...]  # answer fields that differ from the answer as it was returned

    @property
    def changed_names(self) -> list[str]:
        """The changed fields in words, as the form and the spreadsheet name them."""
        return [FIELD_NAMES.get(name, name) for name in self.changed_fields]


@dataclass(frozen=True)
class ReviewRow:
    """One activity: this round's return, last signed-off answer, and what changed between them."""

    activity_return: ReviewReturn
    previous: dict[str, Any] | None  # the return as the last snapshot holds it
    status_change: StatusChange
    evidence_changed: bool
    returned: ReturnedLastTime | None = None  # set when the last return (this version) named it
    looked_at: bool = False  # the reviewer has marked it as looked at, for this version
    evidence_notes: tuple[EvidenceNote, ...] = ()  # what the evidence is like (rules.evidence_notes)

    @property
    def groups(self) -> list[str]:
        """The GROUPS this activity belongs to (it may be in several, or in none)."""
        found = []
        if self.returned is not None:
            found.append("returned")
        if self.status_change in ("down", "up", "new"):
            found.append(self.status_change)
        if self.evidence_changed and self.previous is not None:
            found.append("evidence")
        if self.carried_forward_unchanged:
            found.append("carried")
        found.extend(note.group for note in self.evidence_notes if note.group not in found)
        return found

    @property
    def carried_forward_unchanged(self) -> bool:
        """Copied from last time and confirmed without any change."""
        return (
            self.activity_return.carried_forward
            and self.status_change == "same"
            and not self.evidence_changed
        )


@dataclass(frozen=True, slots=True)
class SignedOffSnapshot:
    """What the review and the evidence rule read of the force's last sign-off (an AssessmentSnapshot)."""

    pk: int
    version: int
    created_at: datetime.datetime
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One workflow event as the review page shows it (an AssessmentEvent, read as values)."""

    pk: int
    created_at: datetime.datetime
    version: int
    actor_id: int
    actor_name: str
    actor_role: str
    from_status: str
    to_status: str
    comment: str


@dataclass(frozen=True)
class ReviewPage:
    """Everything the review page shows."""

    assessment: Assessment
    previous_snapshot: SignedOffSnapshot | None
    rows: list[ReviewRow]
    events: list[ReviewEvent]

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many activities went up, down or stayed the same since the last sign-off."""
        totals = {"up": 0, "down": 0, "same": 0, "new": 0, "other": 0}
        for row in self.rows:
            totals[row.status_change] += 1
        return totals

    @cached_property
    def last_return(self) -> ReviewEvent | None:
        """The latest return for changes of this version, if there was one."""
        returns = [
            event
            for event in self.events
            if event.to_status == WorkflowStatus.RETURNED and event.version == self.assessment.version
        ]
        return returns[-1] if returns else None

    @cached_property
    def submitted_by(self) -> str:
        """Who made the latest submission, by their name as the event recorded it."""
        return self._last_actor(WorkflowStatus.SUBMITTED)

    @cached_property
    def signed_off_by(self) -> str:
        """Who made the latest sign-off, by their name as the event recorded it."""
        return self._last_actor(WorkflowStatus.SIGNED_OFF)

    def _last_actor(self, status: str) -> str:
        names = [event.actor_name for event in self.events if event.to_status == status]
        return names[-1] if names else ""

    @property
    def is_resubmission(self) -> bool:
        """Submitted again after a return: the review starts with what was returned."""
        return self.assessment.status == WorkflowStatus.SUBMITTED and self.last_return is not None

    @cached_property
    def group_counts(self) -> list[tuple[str, str, int]]:
        """(group, label, how many activities) for every group, in GROUPS order."""
        totals = dict.fromkeys(GROUPS, 0)
        for row in self.rows:
            for group in row.groups:
                totals[group] += 1
        return [(group, label, totals[group]) for group, label in GROUPS.items()]

    @property
    def looked_at_count(self) -> int:
        """How many activities the reviewer has marked as looked at in this version."""
        return sum(1 for row in self.rows if row.looked_at)

    def shown(self, group: str | None) -> list[ReviewRow]:
        """The rows of one group, or every row when `group` is None or not a group."""
        if group not in GROUPS:
            return self.rows
        return [row for row in self.rows if group in row.groups]


def default_group(page: ReviewPage, requested: str | None) -> str | None:
    """The group the page shows: the one asked for ("all" for every row); by default a resubmission
    opens at the activities returned last time, anything else at every row."""
    if requested == "all":
        return None
    if requested in GROUPS:
        return requested
    return "returned" if page.is_resubmission else None


def with_last_return(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments, each annotated `returned_at`: when its current version was last returned.

    A subquery in the same query, so a list of any length still costs one query.
    """
    last_return = AssessmentEvent.objects.filter(
        assessment_id=OuterRef("pk"), version=OuterRef("version"), to_status=WorkflowStatus.RETURNED
    ).order_by("-created_at", "-pk")
    return assessments.annotate(returned_at=Subquery(last_return.values("created_at")[:1]))


def returned_answers(
    *, assessment: Assessment, returned_at: datetime.datetime
) -> dict[str, tuple[str, Answer]]:
    """For each activity the version's last return opened: the coordinator's comment and the answer as it
    was returned. `returned_at` is when that return happened (ReviewPage.last_return).

    The return itself saved each marked activity with `reopened_for_changes` set, so the first such
    version at or after the return's moment is the answer the coordinator sent back, whatever the SPOC
    saved afterwards. One query.
    """
    history = ActivityReturnHistory.objects.filter(
        assessment_id=assessment.pk, reopened_for_changes=True, history_date__gte=returned_at
    ).order_by("history_date", "history_id")
    found: dict[str, tuple[str, Answer]] = {}
    for values in history.values("activity__code", "coordinator_comment", *ANSWER_FIELDS):
        code = values["activity__code"]
        if code not in found:
            found[code] = (values["coordinator_comment"], answer_from_json(values))
    return found


# The force's most recent sign-off before a version: an earlier version or an earlier round. The round's
# opening date comes from a subquery so that every value the read is given is a whole number.
_PREVIOUS_SNAPSHOT = PreparedRead(
    lambda force_id, round_id, assessment_id, version: (
        AssessmentSnapshot.objects.filter(
            assessment__force_id=force_id,
            assessment__round__opens_on__lte=Subquery(
                Round.objects.filter(pk=round_id).values("opens_on")[:1]
            ),
        )
        .exclude(assessment_id=assessment_id, version__gte=version)
        .order_by("-created_at", "-pk")
        .values_list("pk", "version", "created_at", "data")[:1]
    ),
    "force_id",
    "round_id",
    "assessment_id",
    "version",
)


def previous_snapshot(*, assessment: Assessment) -> SignedOffSnapshot | None:
    """The force's most recent sign-off before this version: an earlier version or an earlier round."""
    rows = _PREVIOUS_SNAPSHOT.rows(
        force_id=assessment.force_id,
        round_id=assessment.round_id,
        assessment_id=assessment.pk,
        version=assessment.version,
    )
    return SignedOffSnapshot(*rows[0]) if rows else None


def compare(current: ReviewReturn, previous: Mapping[str, Any] | None) -> tuple[StatusChange, bool]:
    """Whether the status went up, down or stayed, and whether the evidence changed.

    `previous` is the return as the last snapshot holds it; the rule is assessments.changes.answer_change.
    """
    change = answer_change(current.answer, answer_from_json(previous) if previous is not None else None)
    return change.status, change.evidence_changed


# The page's own reads, compiled once (ops.prepared_reads): building their SQL on every request took
# longer than running it.
_RETURNS = PreparedRead(
    lambda assessment_id: (
        ActivityReturn.objects.filter(assessment_id=assessment_id)
        .order_by("activity__area__number", "activity__order")
        .values_list(*REVIEW_RETURN_FIELDS)
    ),
    "assessment_id",
)
_EVENTS = PreparedRead(
    lambda assessment_id: (
        AssessmentEvent.objects.filter(assessment_id=assessment_id)
        .order_by("created_at", "pk")
        .values_list(*(field.name for field in fields(ReviewEvent)))
    ),
    "assessment_id",
)
_MARKS = PreparedRead(
    lambda assessment_id, version, user_id: ReviewMark.objects.filter(
        assessment_id=assessment_id, version=version, user_id=user_id
    ).values_list("activity__code"),
    "assessment_id",
    "version",
    "user_id",
)


def review_page(*, assessment: Assessment, reviewer: Any = None) -> ReviewPage:
    """Returns, the previous sign-off, the event history and, for a reviewer, their looked-at marks.

    Three queries, one more for the marks when a reviewer is given, and one more when this version was
    returned for changes (the answers as that return sent them back). The events say whether it was,
    so a first submission, the commonest review, does not pay for reading the returns' history.
    """
    snapshot = previous_snapshot(assessment=assessment)
    earlier = {row["activity_code"]: row for row in (snapshot.data.get("returns", []) if snapshot else [])}
    window = evidence_window(
        opens_on=assessment.round.opens_on,
        set_start=assessment.round.evidence_window_starts_on,
        last_sign_off=snapshot.created_at.astimezone(UK_TIME).date() if snapshot is not None else None,
        today=uk_today(),
    )
    returns = _RETURNS.rows(assessment_id=assessment.pk)
    # Events carry the actor's name and role as they were, so the user rows are not needed.
    events = [ReviewEvent(*values) for values in _EVENTS.rows(assessment_id=assessment.pk)]
    page = ReviewPage(assessment=assessment, previous_snapshot=snapshot, rows=[], events=events)
    last_return = page.last_return
    returned = (
        returned_answers(assessment=assessment, returned_at=last_return.created_at)
        if last_return is not None
        else {}
    )
    looked_at = (
        {
            code
            for (code,) in _MARKS.rows(
                assessment_id=assessment.pk, version=assessment.version, user_id=reviewer.pk
            )
        }
        if reviewer is not None
        else set()
    )
    for values in returns:
        activity_return = ReviewReturn(*values)
        previous = earlier.get(activity_return.code)
        # One reading of the signed-off answer and one comparison per row, for the columns and the notes.
        previous_answer = answer_from_json(previous) if previous is not None else None
        answer = activity_return.answer  # built once: the comparisons and the notes all read it
        row_change = answer_change(answer, previous_answer)
        change, evidence_changed = row_change.status, row_change.evidence_changed
        sent_back = returned.get(activity_return.code)
        returned_row = (
            ReturnedLastTime(
                request=sent_back[0],
                changed_fields=answer_change(answer, sent_back[1]).fields,
            )
            if sent_back is not None
            else None
        )
        page.rows.append(
            ReviewRow(
                activity_return,
                previous,
                change,
                evidence_changed,
                returned=returned_row,
                looked_at=activity_return.code in looked_at,
                evidence_notes=evidence_notes(
                    answer,
                    previous_answer,
                    window=window,
                    carried_forward=activity_return.carried_forward,
                    change=row_change,
                ),
            )
        )
    return page
