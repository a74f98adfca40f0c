"""Reads for each page, scoped to the user. One selector per page, with its related rows fetched up front."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from accounts.roles import Role
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, Force
from assessments.permissions import access_for
from assessments.status import ImplementationStatus, TaskStatus, WorkflowStatus


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


class ReturnState(Protocol):
    """What decides an activity's task-list tag: a return, or a task-list row read from one."""

    @property
    def implementation_status(self) -> str: ...
    @property
    def is_complete(self) -> bool: ...
    @property
    def carried_forward(self) -> bool: ...
    @property
    def confirmed(self) -> bool: ...
    @property
    def reopened_for_changes(self) -> bool: ...


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
    if activity_return.carried_forward and not activity_return.confirmed:
        return TaskStatus.CARRIED_FORWARD
    if activity_return.is_complete:
        return TaskStatus.COMPLETED
    if activity_return.confirmed or activity_return.implementation_status:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def progress_of(sections: list[TaskSection]) -> AssessmentProgress:
    """The same figures as assessment_progress, counted from task-list rows already fetched.

    Saves the task list a second query over the same returns; tests/bench checks the two agree.
    """
    areas = []
    totals = {"complete": 0, "unconfirmed": 0, "reopened": 0}
    for section in sections:
        counts: dict[str, int] = {}
        complete = 0
        for row in section.rows:
            status = row.implementation_status or ""
            counts[status] = counts.get(status, 0) + 1
            complete += row.is_complete
            totals["unconfirmed"] += row.carried_forward and not row.confirmed
            totals["reopened"] += row.reopened_for_changes
        totals["complete"] += complete
        area = section.area
        areas.append(
            AreaProgress(
                number=area.number,
                title=area.title,
                counts=counts,
                total=len(section.rows),
                complete=complete,
            )
        )
    return AssessmentProgress(
        total=sum(area.total for area in areas),
        complete=totals["complete"],
        carried_forward_unconfirmed=totals["unconfirmed"],
        changes_requested=totals["reopened"],
        areas=sorted(areas, key=lambda area: area.number),
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
ANSWER_COLUMNS = {
    name: name
    for name in ("not_applicable_reason", "evidence_summary", "next_steps", "action_owner", "target_date")
}


def task_list(*, assessment: Assessment, answers: bool = False) -> list[TaskSection]:
    """The assessment's returns grouped by area in plan order, in one query, as plain rows.

    `answers=True` also reads the answer fields, for the check-your-answers page.
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
        section.rows.append(TaskRow(**dict(zip(names, values, strict=True))))
    return list(sections.values())


def incomplete_rows(sections: list[TaskSection]) -> list[TaskRow]:
    """The rows that stop the assessment being submitted, in plan order.

    The same activities as incomplete_returns, picked from rows the page has already read.
    """
    return [row for section in sections for row in section.rows if not row.is_complete]


@dataclass(frozen=True)
class ActivityPage:
    """One activity's return, with its neighbours for Previous and Next links.

    The neighbours' query also gives the return's id and whether it was reopened for changes
    (`return_state`), which is all that deciding who may edit it and saving it need. The whole
    return, with its activity, area and last editor, is read when first asked for
    (`activity_return`): a save that succeeds redirects without showing it, and the save itself
    reads the return again under a lock.
    """

    assessment: Assessment
    return_state: ActivityReturn
    previous_code: str | None
    next_code: str | None
    position: int
    total: int

    @cached_property
    def activity_return(self) -> ActivityReturn:
        """The return in full, with its activity, area and last editor (one query, on first use)."""
        activity_return = ActivityReturn.objects.select_related("activity__area", "updated_by").get(
            pk=self.return_state.pk
        )
        activity_return.assessment = self.assessment
        return activity_return

    @cached_property
    def change_request(self) -> AssessmentEvent | None:
        """Who sent this activity back for changes, and when: the latest return of this version.

        Only activities reopened with a comment have one (one query, on first use). Comments are
        written only by workflow.return_for_changes, which records the coordinator in that event.
        """
        current = self.activity_return
        if not (current.reopened_for_changes and current.coordinator_comment):
            return None
        return (
            AssessmentEvent.objects.filter(
                assessment=self.assessment,
                version=self.assessment.version,
                to_status=WorkflowStatus.RETURNED,
            )
            .order_by("-created_at", "-pk")
            .first()
        )


def activity_page(*, assessment: Assessment, code: str) -> ActivityPage:
    """The return for one activity code in this assessment (404 if the code is not in it)."""
    returns = ActivityReturn.objects.filter(assessment=assessment)
    index_rows = list(
        returns.order_by("activity__area__number", "activity__order").values_list(
            "activity__code", "pk", "reopened_for_changes"
        )
    )
    codes = [row[0] for row in index_rows]
    if code not in codes:
        raise Http404
    index = codes.index(code)
    _, pk, reopened_for_changes = index_rows[index]
    # A return with only these two fields loaded, as QuerySet.only() makes: any other field is read
    # from the database when used, never assumed.
    return_state = ActivityReturn.from_db(
        returns.db, ["id", "reopened_for_changes"], [pk, reopened_for_changes]
    )
    return_state.assessment = assessment
    return ActivityPage(
        assessment=assessment,
        return_state=return_state,
        previous_code=codes[index - 1] if index > 0 else None,
        next_code=codes[index + 1] if index + 1 < len(codes) else None,
        position=index + 1,
        total=len(codes),
    )


def return_history(*, activity_return: ActivityReturn) -> list[Any]:
    """Every saved version of a return, newest first, with who made it."""
    return list(
        activity_return.history.select_related("history_user").order_by("-history_date", "-history_id")
    )


def incomplete_returns(*, assessment: Assessment) -> list[ActivityReturn]:
    """Activities that stop the assessment being submitted."""
    return list(
        ActivityReturn.objects.filter(assessment=assessment, is_complete=False)
        .select_related("activity")
        .order_by("activity__area__number", "activity__order")
    )
