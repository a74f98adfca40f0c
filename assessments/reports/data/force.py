"""The force progress report: from live answers for a draft, from the snapshot once signed off."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from actionplan.models import Activity
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
)
from assessments.reports.data.common import (
    DUE_SOON_DAYS,
    TOP_OF_SCALE,
    StatusCount,
    share,
    status_counts,
    status_label,
)
from assessments.status import IMPLEMENTATION_RANK, ImplementationStatus, WorkflowStatus


@dataclass(frozen=True)
class EvidenceReference:
    """A document or record that evidences an activity, dated by when it applies."""

    title: str
    location: str
    applies_on: str


@dataclass(frozen=True)
class ActivityRow:
    """One activity's answer as the report shows it."""

    code: str
    title: str
    status: str
    status_label: str
    not_applicable_reason: str
    evidence_summary: str
    evidence_references: tuple[EvidenceReference, ...]
    next_steps: str
    action_owner: str
    target_date: datetime.date | None
    carried_forward_unconfirmed: bool
    coordinator_comment: str


@dataclass(frozen=True)
class AreaSection:
    """A process area: its activities in plan order and its figures."""

    number: int
    prefix: str
    title: str
    rows: tuple[ActivityRow, ...]
    counts: tuple[StatusCount, ...]

    @property
    def total(self) -> int:
        """Activities in the area."""
        return len(self.rows)

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale."""
        return sum(1 for row in self.rows if row.status in TOP_OF_SCALE)

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded."""
        return share(self.implemented_or_embedded, self.total)

    @property
    def anchor(self) -> str:
        """The id of the area's section, for the contents list."""
        return f"area-{self.number}"


@dataclass(frozen=True)
class ActivityChange:
    """An activity whose status or evidence differs from the last signed-off round."""

    code: str
    title: str
    previous_label: str
    current_label: str


@dataclass(frozen=True)
class ChangeSummary:
    """What changed since the force's last signed-off round."""

    previous_round_name: str
    previous_version: int
    improved: tuple[ActivityChange, ...]
    regressed: tuple[ActivityChange, ...]
    unchanged: int
    other: int
    new_evidence: tuple[ActivityChange, ...]


@dataclass(frozen=True)
class ActionDue:
    """A next step with a target date: overdue, or due within DUE_SOON_DAYS."""

    code: str
    title: str
    next_steps: str
    owner: str
    target_date: datetime.date
    days: int  # days overdue (for overdue actions) or days left (for those due soon)


@dataclass(frozen=True)
class Comment:
    """A coordinator's (or national reviewer's) comment: on the whole assessment or on one activity."""

    heading: str
    author: str
    role: str
    made_on: datetime.date | None
    text: str


@dataclass(frozen=True)
class ForceReport:
    """Everything the force progress report shows, for one assessment version."""

    service_name: str
    force_code: str
    force_name: str
    region_name: str
    round_id: int
    round_name: str
    round_due_on: datetime.date
    version: int
    workflow_status: str
    workflow_label: str
    is_draft: bool
    signed_off_by: str
    signed_off_role: str
    signed_off_at: datetime.datetime | None
    snapshot_sha256: str
    as_of: datetime.date
    areas: tuple[AreaSection, ...]
    counts: tuple[StatusCount, ...]
    changes: ChangeSummary | None
    overdue: tuple[ActionDue, ...]
    due_soon: tuple[ActionDue, ...]
    comments: tuple[Comment, ...]

    @property
    def total(self) -> int:
        """Activities in the report."""
        return sum(area.total for area in self.areas)

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale, overall."""
        return sum(area.implemented_or_embedded for area in self.areas)

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded, overall."""
        return share(self.implemented_or_embedded, self.total)

    @property
    def activity_codes(self) -> list[str]:
        """Every activity code in plan order."""
        return [row.code for area in self.areas for row in area.rows]

    @property
    def title(self) -> str:
        """The document title."""
        draft = " (draft)" if self.is_draft else ""
        return f"{self.force_name} progress report, {self.round_name}, version {self.version}{draft}"

    @property
    def file_name(self) -> str:
        """<force-code>-<round>-progress-v<version>.pdf, with -draft for drafts."""
        return report_file_name(
            force_code=self.force_code, round_name=self.round_name, version=self.version, draft=self.is_draft
        )


def report_file_name(*, force_code: str, round_name: str, version: int, draft: bool) -> str:
    """The download name of a force report."""
    suffix = "-draft" if draft else ""
    return f"{force_code}-{slugify(round_name)}-progress-v{version}{suffix}.pdf"


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _references(raw: Any) -> tuple[EvidenceReference, ...]:
    references = []
    for item in raw or []:
        if isinstance(item, Mapping):
            references.append(
                EvidenceReference(
                    title=str(item.get("title", "")),
                    location=str(item.get("location", "")),
                    applies_on=str(item.get("applies_on", "") or ""),
                )
            )
    return tuple(references)


def _row(values: Mapping[str, Any], *, title: str, comment: str) -> ActivityRow:
    status = str(values.get("implementation_status") or "")
    return ActivityRow(
        code=str(values["activity_code"]),
        title=title,
        status=status,
        status_label=status_label(status),
        not_applicable_reason=str(values.get("not_applicable_reason") or ""),
        evidence_summary=str(values.get("evidence_summary") or ""),
        evidence_references=_references(values.get("evidence_references")),
        next_steps=str(values.get("next_steps") or ""),
        action_owner=str(values.get("action_owner") or ""),
        target_date=_date(values.get("target_date")),
        carried_forward_unconfirmed=bool(values.get("carried_forward")) and not values.get("confirmed"),
        coordinator_comment=comment,
    )


def _live_values(assessment: Assessment) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The current answers, shaped like snapshot returns, and the coordinator's comment per activity."""
    returns = ActivityReturn.objects.filter(assessment=assessment).values(
        "activity__code",
        "implementation_status",
        "not_applicable_reason",
        "evidence_summary",
        "evidence_references",
        "next_steps",
        "action_owner",
        "target_date",
        "carried_forward",
        "confirmed",
        "coordinator_comment",
    )
    values: list[dict[str, Any]] = []
    comments: dict[str, str] = {}
    for row in returns:
        value: dict[str, Any] = dict(row)
        code = str(value.pop("activity__code"))
        comments[code] = str(value.pop("coordinator_comment"))
        values.append({"activity_code": code, **value})
    return values, comments


def _comments_at(assessment: Assessment, when: datetime.datetime) -> dict[str, str]:
    """Each activity's coordinator comment as it stood at `when`, from the returns' history."""
    history = (
        ActivityReturn.history.filter(assessment_id=assessment.pk, history_date__lte=when)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "activity__code", "coordinator_comment")
    )
    comments: dict[str, str] = {}
    seen: set[int] = set()
    for return_id, code, comment in history:
        if return_id not in seen:
            seen.add(return_id)
            comments[code] = comment
    return comments


def _areas(plan_id: int, values: list[dict[str, Any]], comments: Mapping[str, str]) -> list[AreaSection]:
    by_code = {str(value["activity_code"]): value for value in values}
    activities = (
        Activity.objects.filter(plan_id=plan_id).select_related("area").order_by("area__number", "order")
    )
    grouped: dict[int, tuple[Any, list[ActivityRow]]] = {}
    for activity in activities:
        value = by_code.get(activity.code)
        if value is None:
            continue
        _area, rows = grouped.setdefault(activity.area.number, (activity.area, []))
        # A snapshot keeps the title as signed; live answers take the plan's.
        title = str(value.get("activity_title") or activity.title)
        rows.append(_row(value, title=title, comment=comments.get(activity.code, "")))
    return [
        AreaSection(
            number=area.number,
            prefix=area.prefix,
            title=area.title,
            rows=tuple(rows),
            counts=status_counts(row.status for row in rows),
        )
        for _number, (area, rows) in sorted(grouped.items())
    ]


def _changes(
    assessment: Assessment, areas: list[AreaSection], *, before: datetime.datetime | None
) -> ChangeSummary | None:
    """Compare with the snapshot of the force's last signed-off round before this one."""
    earlier = AssessmentSnapshot.objects.filter(
        assessment__force_id=assessment.force_id, assessment__round__opens_on__lt=assessment.round.opens_on
    )
    if before is not None:
        earlier = earlier.filter(created_at__lte=before)
    previous = (
        earlier.select_related("assessment__round")
        .order_by("-assessment__round__opens_on", "-assessment__round_id", "-version")
        .first()
    )
    if previous is None:
        return None
    old = {str(item.get("activity_code")): item for item in previous.data.get("returns", [])}
    improved, regressed, new_evidence = [], [], []
    unchanged = other = 0
    for area in areas:
        for row in area.rows:
            before_values = old.get(row.code)
            if before_values is None:
                other += 1
                continue
            old_status = str(before_values.get("implementation_status") or "")
            change = ActivityChange(
                code=row.code,
                title=row.title,
                previous_label=status_label(old_status),
                current_label=row.status_label,
            )
            old_rank, new_rank = IMPLEMENTATION_RANK.get(old_status), IMPLEMENTATION_RANK.get(row.status)
            if old_status == row.status:
                unchanged += 1
            elif old_rank is None or new_rank is None:
                other += 1
            elif new_rank > old_rank:
                improved.append(change)
            else:
                regressed.append(change)
            old_references = _references(before_values.get("evidence_references"))
            if str(before_values.get("evidence_summary") or "") != row.evidence_summary or set(
                row.evidence_references
            ) - set(old_references):
                new_evidence.append(change)
    return ChangeSummary(
        previous_round_name=previous.assessment.round.name,
        previous_version=previous.version,
        improved=tuple(improved),
        regressed=tuple(regressed),
        unchanged=unchanged,
        other=other,
        new_evidence=tuple(new_evidence),
    )


def _actions(areas: list[AreaSection], *, as_of: datetime.date) -> tuple[list[ActionDue], list[ActionDue]]:
    overdue: list[ActionDue] = []
    due_soon: list[ActionDue] = []
    horizon = as_of + datetime.timedelta(days=DUE_SOON_DAYS)
    for area in areas:
        for row in area.rows:
            if row.target_date is None or row.status == ImplementationStatus.NOT_APPLICABLE:
                continue
            if row.target_date < as_of:
                days, bucket = (as_of - row.target_date).days, overdue
            elif row.target_date <= horizon:
                days, bucket = (row.target_date - as_of).days, due_soon
            else:
                continue
            bucket.append(
                ActionDue(
                    code=row.code,
                    title=row.title,
                    next_steps=row.next_steps,
                    owner=row.action_owner,
                    target_date=row.target_date,
                    days=days,
                )
            )
    overdue.sort(key=lambda action: (action.target_date, action.code))
    due_soon.sort(key=lambda action: (action.target_date, action.code))
    return overdue, due_soon


EVENT_HEADINGS = {
    WorkflowStatus.RETURNED: "Returned for changes",
    WorkflowStatus.SIGNED_OFF: "Signed off",
    WorkflowStatus.DRAFT: "Reopened",
}


def _comments(assessment: Assessment, *, version: int, areas: list[AreaSection]) -> list[Comment]:
    # Every event of a version comes before its sign-off: a reopen is recorded against the next version.
    events = AssessmentEvent.objects.filter(assessment=assessment, version=version).exclude(comment="")
    comments = [
        Comment(
            heading=EVENT_HEADINGS.get(WorkflowStatus(event.to_status), "Comment"),
            author=event.actor_name,
            role=event.actor_role,
            made_on=timezone.localdate(event.created_at),
            text=event.comment,
        )
        for event in events.order_by("created_at", "pk")
        if event.to_status in EVENT_HEADINGS
    ]
    for area in areas:
        for row in area.rows:
            if row.coordinator_comment:
                comments.append(
                    Comment(
                        heading=f"{row.code} {row.title}",
                        author="",
                        role="Regional coordinator",
                        made_on=None,
                        text=row.coordinator_comment,
                    )
                )
    return comments


def force_report_data(
    *, assessment: Assessment, snapshot: AssessmentSnapshot | None = None, today: datetime.date | None = None
) -> ForceReport:
    """The force progress report for one assessment.

    With a snapshot: the signed-off version exactly as signed (figures as at the sign-off date).
    Without: the current answers, marked as a draft, with actions measured from `today`.
    """
    plan_id = assessment.round.plan_id
    if snapshot is not None:
        when: datetime.datetime | None = snapshot.created_at
        values = list(snapshot.data.get("returns", []))
        comments = _comments_at(assessment, snapshot.created_at)
        as_of = timezone.localdate(snapshot.created_at)
        version = snapshot.version
        signed_off_at: datetime.datetime | None = datetime.datetime.fromisoformat(
            str(snapshot.data.get("signed_off_at"))
        )
        signed_off_by = str(snapshot.data.get("signed_off_by", ""))
        signed_off_role = str(snapshot.data.get("signed_off_role", ""))
        workflow = WorkflowStatus.SIGNED_OFF
    else:
        when = None
        values, comments = _live_values(assessment)
        as_of = today or timezone.localdate()
        version = assessment.version
        signed_off_at, signed_off_by, signed_off_role = None, "", ""
        workflow = WorkflowStatus(assessment.status)
    # A signed-off report names the force and round as they were recorded at sign-off.
    recorded: Mapping[str, Any] = snapshot.data if snapshot is not None else {}
    areas = _areas(plan_id, values, comments)
    overdue, due_soon = _actions(areas, as_of=as_of)
    return ForceReport(
        service_name=settings.SERVICE_NAME,
        force_code=assessment.force.code,
        force_name=str(recorded.get("force_name") or assessment.force.name),
        region_name=assessment.force.region.name,
        round_id=assessment.round_id,
        round_name=str(recorded.get("round_name") or assessment.round.name),
        round_due_on=assessment.round.due_on,
        version=version,
        workflow_status=str(workflow),
        workflow_label=str(workflow.label),
        is_draft=snapshot is None,
        signed_off_by=signed_off_by,
        signed_off_role=signed_off_role,
        signed_off_at=signed_off_at,
        snapshot_sha256=snapshot.sha256 if snapshot is not None else "",
        as_of=as_of,
        areas=tuple(areas),
        counts=status_counts(row.status for area in areas for row in area.rows),
        changes=_changes(assessment, areas, before=when),
        overdue=tuple(overdue),
        due_soon=tuple(due_soon),
        comments=tuple(_comments(assessment, version=version, areas=areas)),
    )


# Regional and national reports --------------------------------------------------------------------
