"""The force progress report: from live answers for a draft, from the snapshot once signed off.

This module assembles a ForceReport from the area sections that answers.py builds: it compares them
with the force's last signed-off round, lists the open actions (the rule is assessments.actions) by
how their target dates stand, and gathers the
workflow and coordinator comments. The report's value types live in force_values.py and are
re-exported here so existing imports from this module keep working.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone

from assessments.actions import CLOSED_BY_SPOC, ActionClosure, ActionTiming, action_timing, is_open_action
from assessments.answers import EvidenceReference, answer_from_json
from assessments.changes import answer_change, evidence_change_note
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
)
from assessments.reports.data.answers import area_sections, comments_at, live_answers, snapshot_answers
from assessments.reports.data.briefing import Briefing, force_briefing_parts, previous_point
from assessments.reports.data.common import status_counts
from assessments.reports.data.force_values import (
    ActionDue,
    ActivityChange,
    ActivityRow,
    AreaSection,
    ChangeSummary,
    Comment,
    EvidenceQuality,
    ForceReport,
    UndatedAction,
    report_file_name,
)
from assessments.reports.key_messages import MessageFigures, key_messages
from assessments.rules import SUBMISSION_DECLARATION, evidence_notes, evidence_window
from assessments.status import WorkflowStatus, implementation_label, workflow_label

__all__ = [
    "EVENT_HEADINGS",
    "ActionDue",
    "ActivityChange",
    "ActivityRow",
    "AreaSection",
    "ChangeSummary",
    "Comment",
    "EvidenceReference",
    "ForceReport",
    "UndatedAction",
    "force_report_data",
    "report_file_name",
]


def _changes(
    assessment: Assessment,
    areas: list[AreaSection],
    *,
    before: datetime.datetime | None,
    as_of: datetime.date,
) -> ChangeSummary | None:
    """Compare with the snapshot of the force's last signed-off round before this one.

    What counts as a change is assessments.changes.answer_change, as on the coordinator's review page.
    """
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
    window = evidence_window(
        opens_on=assessment.round.opens_on,
        set_start=assessment.round.evidence_window_starts_on,
        last_sign_off=timezone.localdate(previous.created_at),
        today=as_of,
    )
    quality: list[EvidenceQuality] = []
    improved, regressed, new_evidence = [], [], []
    unchanged = other = 0
    for area in areas:
        for row in area.rows:
            signed_values = old.get(row.code)
            if signed_values is None:
                other += 1
                continue
            signed = answer_from_json(signed_values)
            change = answer_change(row.answer, signed)
            summary = ActivityChange(
                code=row.code,
                title=row.title,
                previous_label=implementation_label(signed["implementation_status"]),
                current_label=row.status_label,
                evidence_note=evidence_change_note(row.answer, signed) if change.evidence_changed else "",
            )
            if change.status == "same":
                unchanged += 1
            elif change.status == "up":
                improved.append(summary)
            elif change.status == "down":
                regressed.append(summary)
            else:
                other += 1
            if change.evidence_changed:
                new_evidence.append(summary)
            # Every answer in a later round starts as the earlier one carried forward.
            notes = evidence_notes(row.answer, signed, window=window, carried_forward=True)
            if notes:
                quality.append(EvidenceQuality(row.code, row.title, tuple(note.text for note in notes)))
    return ChangeSummary(
        previous_round_name=previous.assessment.round.name,
        previous_version=previous.version,
        improved=tuple(improved),
        regressed=tuple(regressed),
        unchanged=unchanged,
        other=other,
        new_evidence=tuple(new_evidence),
        evidence_quality=tuple(quality),
    )


class _Actions(NamedTuple):
    overdue: list[ActionDue]
    due_soon: list[ActionDue]
    later: list[ActionDue]
    undated: list[UndatedAction]


def _closed_action_codes(assessment: Assessment, *, before: datetime.datetime | None) -> frozenset[str]:
    """Activities whose action the SPOC had marked done or replaced (by `before`, for a signed-off
    version): they are not open, whatever the answer still says (one query)."""
    closed = ActivityReturn.objects.filter(
        assessment=assessment, action__closed_as__in=sorted(CLOSED_BY_SPOC)
    )
    if before is not None:
        closed = closed.filter(action__closed_at__lte=before)
    return frozenset(closed.values_list("activity__code", flat=True))


def _actions(
    areas: list[AreaSection], *, as_of: datetime.date, closed: frozenset[str] = frozenset()
) -> _Actions:
    """The open actions (assessments.actions decides which), grouped by how their target date stands."""
    grouped = _Actions([], [], [], [])
    buckets = {
        ActionTiming.OVERDUE: grouped.overdue,
        ActionTiming.DUE_SOON: grouped.due_soon,
        ActionTiming.LATER: grouped.later,
    }
    for area in areas:
        for row in area.rows:
            if not is_open_action(
                implementation_status=row.status,
                next_steps=row.next_steps,
                action_owner=row.action_owner,
                target_date=row.target_date,
                closed_as=ActionClosure.DONE if row.code in closed else ActionClosure.OPEN,
            ):
                continue
            if row.target_date is None:
                grouped.undated.append(
                    UndatedAction(
                        code=row.code,
                        title=row.title,
                        status_label=row.status_label,
                        next_steps=row.next_steps,
                        owner=row.action_owner,
                    )
                )
                continue
            buckets[action_timing(row.target_date, today=as_of)].append(
                ActionDue(
                    code=row.code,
                    title=row.title,
                    status_label=row.status_label,
                    next_steps=row.next_steps,
                    owner=row.action_owner,
                    target_date=row.target_date,
                    days=abs((as_of - row.target_date).days),
                )
            )
    for bucket in buckets.values():
        bucket.sort(key=lambda action: (action.target_date, action.code))
    return grouped


EVENT_HEADINGS = {
    WorkflowStatus.RETURNED: "Returned for changes",
    WorkflowStatus.SIGNED_OFF: "Signed off",
    WorkflowStatus.DRAFT: "Reopened",
}


def _version_events(assessment: Assessment, *, version: int) -> list[AssessmentEvent]:
    """The version's workflow events, oldest first, read once for its comments and its submission (a
    version has a handful). Every event of a version comes before its sign-off: a reopen is recorded
    against the next version."""
    return list(
        AssessmentEvent.objects.filter(assessment=assessment, version=version).order_by("created_at", "pk")
    )


def _comments(events: list[AssessmentEvent], *, areas: list[AreaSection]) -> list[Comment]:
    comments = [
        Comment(
            heading=EVENT_HEADINGS.get(WorkflowStatus(event.to_status), "Comment"),
            author=event.actor_name,
            role=event.actor_role,
            made_on=timezone.localdate(event.created_at),
            text=event.comment,
        )
        for event in events
        if event.comment and event.to_status in EVENT_HEADINGS
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


def _submission(events: list[AssessmentEvent]) -> AssessmentEvent | None:
    """The latest submission of this version (its event names who submitted and when)."""
    submissions = [event for event in events if event.to_status == WorkflowStatus.SUBMITTED]
    return submissions[-1] if submissions else None


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
        answers = snapshot_answers(snapshot.data)
        comments = comments_at(assessment, snapshot.created_at)
        as_of = timezone.localdate(snapshot.created_at)
        version = snapshot.version
        signed_off_at: datetime.datetime | None = datetime.datetime.fromisoformat(
            str(snapshot.data.get("signed_off_at"))
        )
        signed_off_by = str(snapshot.data.get("signed_off_by", ""))
        signed_off_role = str(snapshot.data.get("signed_off_role", ""))
        workflow = WorkflowStatus.SIGNED_OFF
        closed_actions = _closed_action_codes(assessment, before=when)
    else:
        when = None
        answers, comments, closed_actions = live_answers(assessment)
        as_of = today or timezone.localdate()
        version = assessment.version
        signed_off_at, signed_off_by, signed_off_role = None, "", ""
        workflow = WorkflowStatus(assessment.status)
    # A signed-off report names the force and round as they were recorded at sign-off.
    recorded: Mapping[str, Any] = snapshot.data if snapshot is not None else {}
    areas = area_sections(plan_id, answers, comments)
    actions = _actions(areas, as_of=as_of, closed=closed_actions)
    version_events = _version_events(assessment, version=version)
    submission = _submission(version_events)
    report = ForceReport(
        service_name=settings.SERVICE_NAME,
        force_code=assessment.force.code,
        force_name=str(recorded.get("force_name") or assessment.force.name),
        region_name=assessment.force.region.name,
        round_id=assessment.round_id,
        round_name=str(recorded.get("round_name") or assessment.round.name),
        round_due_on=assessment.round.due_on,
        version=version,
        workflow_status=str(workflow),
        workflow_label=workflow_label(workflow),
        is_draft=snapshot is None,
        signed_off_by=signed_off_by,
        signed_off_role=signed_off_role,
        signed_off_at=signed_off_at,
        submitted_by=submission.actor_name if submission else "",
        submitted_at=submission.created_at if submission else None,
        declaration=SUBMISSION_DECLARATION if submission else "",
        snapshot_sha256=snapshot.sha256 if snapshot is not None else "",
        as_of=as_of,
        areas=tuple(areas),
        counts=status_counts(row.status for area in areas for row in area.rows),
        changes=_changes(assessment, areas, before=when, as_of=as_of),
        overdue=tuple(actions.overdue),
        due_soon=tuple(actions.due_soon),
        due_later=tuple(actions.later),
        no_target_date=tuple(actions.undated),
        comments=tuple(_comments(version_events, areas=areas)),
    )
    return dataclasses.replace(report, briefing=_briefing(report, assessment=assessment, as_at=when))


def _briefing(report: ForceReport, *, assessment: Assessment, as_at: datetime.datetime | None) -> Briefing:
    """The chief officers' briefing: only what was signed off by `as_at` (None: by now) is compared."""
    trend, area_status, benchmark = force_briefing_parts(
        assessment=assessment,
        areas=report.areas,
        changes=report.changes,
        as_at=as_at,
        force_name=report.force_name,
    )
    previous = previous_point(trend, report.changes)
    figures = MessageFigures(
        implemented_or_embedded=report.implemented_or_embedded,
        total=report.total,
        share=report.share,
        areas=report.areas,
        changes=report.changes,
        overdue=report.overdue,
        area_status=area_status,
        previous_share=previous.overall if previous else None,
        benchmark=benchmark,
    )
    return Briefing(
        key_messages=key_messages(figures),
        area_status=area_status,
        previous_round_name=report.changes.previous_round_name if report.changes else "",
        trend=trend,
        benchmark=benchmark,
    )


# Regional and national reports --------------------------------------------------------------------
