"""The answers a force report shows, read from the live returns or from a sign-off snapshot.

A draft report reads the current ActivityReturn rows; a signed-off one reads the returns stored in its
snapshot and the coordinator comments as they stood at sign-off, from the returns' history. Both are
shaped alike here (a list of snapshot-style value mappings plus a comment per activity code) and then
turned into ActivityRow values grouped by process area in plan order, so force.py can assemble the
report without caring which source the answers came from.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from actionplan.models import Activity
from assessments.models import ActivityReturn, Assessment
from assessments.progress import awaiting_confirmation
from assessments.reports.data.common import status_counts
from assessments.reports.data.force_values import ActivityRow, AreaSection, EvidenceReference
from assessments.status import implementation_label


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def reference_list(raw: Any) -> tuple[EvidenceReference, ...]:
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
        status_label=implementation_label(status),
        not_applicable_reason=str(values.get("not_applicable_reason") or ""),
        evidence_summary=str(values.get("evidence_summary") or ""),
        evidence_references=reference_list(values.get("evidence_references")),
        next_steps=str(values.get("next_steps") or ""),
        action_owner=str(values.get("action_owner") or ""),
        target_date=_date(values.get("target_date")),
        carried_forward_unconfirmed=awaiting_confirmation(
            carried_forward=bool(values.get("carried_forward")), confirmed=bool(values.get("confirmed"))
        ),
        coordinator_comment=comment,
    )


def live_values(assessment: Assessment) -> tuple[list[dict[str, Any]], dict[str, str]]:
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


def area_sections(
    plan_id: int, values: list[dict[str, Any]], comments: Mapping[str, str]
) -> list[AreaSection]:
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
