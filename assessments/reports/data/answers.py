"""The answers a force report shows, read from the live returns or from a sign-off snapshot.

A draft report reads the current ActivityReturn rows; a signed-off one reads the returns stored in its
snapshot and the coordinator comments as they stood at sign-off, from the returns' history. Both are
read into the same values here (a RecordedAnswer per activity, holding an assessments.answers.Answer,
plus a comment per activity code) and then turned into ActivityRow values grouped by process area in
plan order, so force.py can assemble the report without caring which source the answers came from.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from actionplan.models import Activity
from assessments.actions import CLOSED_BY_SPOC
from assessments.answers import ANSWER_FIELDS, Answer, answer_from_json
from assessments.models import ActivityReturn, Assessment
from assessments.progress import awaiting_confirmation
from assessments.reports.data.common import status_counts
from assessments.reports.data.force_values import ActivityRow, AreaSection
from assessments.status import implementation_label


@dataclass(frozen=True)
class RecordedAnswer:
    """One activity's answer as a report reads it: live from its return, or as a snapshot holds it."""

    code: str
    title: str  # as signed off, from a snapshot; "" for a live answer, which takes the plan's title
    answer: Answer
    carried_forward_unconfirmed: bool


class LiveAnswers(NamedTuple):
    answers: list[RecordedAnswer]
    comments: dict[str, str]
    # Activities whose action the SPOC has marked done or replaced (assessments.actions.CLOSED_BY_SPOC).
    closed_actions: frozenset[str]


def live_answers(assessment: Assessment) -> LiveAnswers:
    """The current answers, the coordinator's comment per activity and the activities whose action the
    SPOC closed, in one query (the draft report's query count is pinned)."""
    returns = ActivityReturn.objects.filter(assessment=assessment).values(
        "activity__code",
        *ANSWER_FIELDS,
        "carried_forward",
        "confirmed",
        "coordinator_comment",
        "action__closed_as",
    )
    answers: list[RecordedAnswer] = []
    comments: dict[str, str] = {}
    closed: set[str] = set()
    for row in returns:
        code = str(row["activity__code"])
        comments[code] = str(row["coordinator_comment"])
        answers.append(_recorded(code, "", row))
        if row["action__closed_as"] in CLOSED_BY_SPOC:
            closed.add(code)
    return LiveAnswers(answers, comments, frozenset(closed))


def snapshot_answers(data: Mapping[str, Any]) -> list[RecordedAnswer]:
    """The answers a sign-off snapshot holds, with each activity's title as it was signed off."""
    return [
        _recorded(str(row.get("activity_code")), str(row.get("activity_title") or ""), row)
        for row in data.get("returns", [])
    ]


def _recorded(code: str, title: str, values: Mapping[str, Any]) -> RecordedAnswer:
    return RecordedAnswer(
        code=code,
        title=title,
        answer=answer_from_json(values),
        carried_forward_unconfirmed=awaiting_confirmation(
            carried_forward=bool(values.get("carried_forward")), confirmed=bool(values.get("confirmed"))
        ),
    )


def comments_at(assessment: Assessment, when: datetime.datetime) -> dict[str, str]:
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


def activity_row(recorded: RecordedAnswer, *, title: str, comment: str) -> ActivityRow:
    """One answer as the report shows it."""
    answer = recorded.answer
    status = answer["implementation_status"]
    return ActivityRow(
        code=recorded.code,
        title=title,
        status=status,
        status_label=implementation_label(status),
        not_applicable_reason=answer["not_applicable_reason"],
        evidence_summary=answer["evidence_summary"],
        evidence_references=tuple(answer["evidence_references"]),
        next_steps=answer["next_steps"],
        action_owner=answer["action_owner"],
        target_date=answer["target_date"],
        carried_forward_unconfirmed=recorded.carried_forward_unconfirmed,
        coordinator_comment=comment,
    )


def area_sections(
    plan_id: int, answers: list[RecordedAnswer], comments: Mapping[str, str]
) -> list[AreaSection]:
    """The answers as rows grouped by process area, in plan order (one query for the plan)."""
    by_code = {recorded.code: recorded for recorded in answers}
    activities = (
        Activity.objects.filter(plan_id=plan_id).select_related("area").order_by("area__number", "order")
    )
    grouped: dict[int, tuple[Any, list[ActivityRow]]] = {}
    for activity in activities:
        recorded = by_code.get(activity.code)
        if recorded is None:
            continue
        _area, rows = grouped.setdefault(activity.area.number, (activity.area, []))
        # A snapshot keeps the title as signed; live answers take the plan's.
        title = recorded.title or activity.title
        rows.append(activity_row(recorded, title=title, comment=comments.get(activity.code, "")))
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
