"""The task list's reads: each activity's row and tag, area by area, and progress from the same rows."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from assessments.answers import SINGLE_VALUE_FIELDS
from assessments.models import ActivityReturn, Assessment
from assessments.progress import (
    AssessmentProgress,
    ReturnState,
    awaiting_confirmation,
    is_complete,
    progress_from,
    tally_of,
)
from assessments.status import TaskStatus

__all__ = [
    "AreaHeading",
    "ReturnState",
    "TaskRow",
    "TaskSection",
    "incomplete_rows",
    "progress_of",
    "task_list",
    "task_status_of",
]


@dataclass(frozen=True)
class AreaHeading:
    """A process area's number and title, as the task list and check-your-answers headings show them."""

    number: int
    title: str


@dataclass(frozen=True)
class TaskRow:
    """One activity on the task list or the check-your-answers page, as plain values.

    Read as plain column values rather than as ActivityReturn, Activity and ProcessArea instances:
    building three model instances for each of 50 rows took longer than the query itself, and the
    pages show only these columns. The answer fields are read only for the page that shows them
    (answers=True).
    """

    code: str
    title: str
    implementation_status: str
    is_complete: bool
    carried_forward: bool
    confirmed: bool
    reopened_for_changes: bool
    coordinator_comment: str
    not_applicable_reason: str = ""
    evidence_summary: str = ""
    next_steps: str = ""
    action_owner: str = ""
    target_date: datetime.date | None = None
    # Its status rose since the last sign-off without evidence of change (selectors.evidence).
    needs_evidence_of_change: bool = False

    @property
    def task_status(self) -> TaskStatus:
        """The row's tag on the task list (task_status_of)."""
        return task_status_of(self)


@dataclass(frozen=True)
class TaskSection:
    """One process area on the task list."""

    area: AreaHeading
    rows: list[TaskRow]


def task_status_of(activity_return: ReturnState) -> TaskStatus:
    """The tag for one activity: changes requested, carried forward, completed, in progress, not started."""
    if activity_return.reopened_for_changes:
        return TaskStatus.CHANGES_REQUESTED
    if getattr(activity_return, "needs_evidence_of_change", False):
        return TaskStatus.NEEDS_EVIDENCE_OF_CHANGE
    if awaiting_confirmation(
        carried_forward=activity_return.carried_forward, confirmed=activity_return.confirmed
    ):
        return TaskStatus.CARRIED_FORWARD
    if is_complete(activity_return):
        return TaskStatus.COMPLETED
    if activity_return.confirmed or activity_return.implementation_status:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def progress_of(sections: list[TaskSection]) -> AssessmentProgress:
    """The same figures as assessment_progress, counted from task-list rows already fetched.

    Saves the task list a second query over the same returns; both go through
    assessments.progress.progress_from, and tests/bench checks the two agree.
    """
    return progress_from(
        tally_of(section.area.number, section.area.title, row) for section in sections for row in section.rows
    )


# Each TaskRow field and the column it is read from; the answers only where a page shows them.
TASK_ROW_COLUMNS = {
    "code": "activity__code",
    "title": "activity__title",
    "implementation_status": "implementation_status",
    "is_complete": "is_complete",
    "carried_forward": "carried_forward",
    "confirmed": "confirmed",
    "reopened_for_changes": "reopened_for_changes",
    "coordinator_comment": "coordinator_comment",
}
ANSWER_COLUMNS = {name: name for name in SINGLE_VALUE_FIELDS if name not in TASK_ROW_COLUMNS}


def task_list(
    *, assessment: Assessment, answers: bool = False, needs_evidence: Collection[str] = ()
) -> list[TaskSection]:
    """The assessment's returns grouped by area in plan order, in one query, as plain rows.

    `answers=True` also reads the answer fields, for the check-your-answers page. `needs_evidence`
    names the activities whose status rose without evidence of change (selectors.evidence_breaches).
    """
    columns = {**TASK_ROW_COLUMNS, **(ANSWER_COLUMNS if answers else {})}
    returns = (
        ActivityReturn.objects.filter(assessment=assessment)
        .order_by("activity__area__number", "activity__order")
        .values_list(
            "activity__area_id", "activity__area__number", "activity__area__title", *columns.values()
        )
    )
    names = tuple(columns)
    sections: dict[int, TaskSection] = {}
    for area_id, number, title, *values in returns:
        section = sections.get(area_id)
        if section is None:
            section = sections[area_id] = TaskSection(area=AreaHeading(number=number, title=title), rows=[])
        row = dict(zip(names, values, strict=True))
        section.rows.append(TaskRow(**row, needs_evidence_of_change=row["code"] in needs_evidence))
    return list(sections.values())


def incomplete_rows(sections: list[TaskSection]) -> list[TaskRow]:
    """The rows that stop the assessment being submitted, in plan order.

    The same activities as incomplete_returns, picked from rows the page has already read.
    """
    return [row for section in sections for row in section.rows if not is_complete(row)]
