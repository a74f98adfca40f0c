"""The scales, their labels and the state machines: how far a force has implemented an activity, where
an assessment is in review, the task list's tag for an activity, and how far a report pack has got.

Each scale has one label function here, and every page, export, report and PDF calls it rather than
building labels of its own. They are dictionary look-ups made once at import: pages call them once
per activity (50 on a task list, 44 x 50 on the national heat map), and `TextChoices.values` or
`ImplementationStatus(value).label` would build a list or an enum member on every call.
"""

from __future__ import annotations

from django.db import models


class ImplementationStatus(models.TextChoices):
    """The force's own judgement of an activity (not an inspection grade)."""

    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    EMBEDDED = "embedded", "Embedded"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


IMPLEMENTATION_HINTS: dict[str, str] = {
    ImplementationStatus.NOT_STARTED: "Nothing is in place yet and no work is planned.",
    ImplementationStatus.PLANNED: "Work is agreed, with an owner and a date, but has not started.",
    ImplementationStatus.IN_PROGRESS: "Work has started but the activity is not yet fully in place.",
    ImplementationStatus.IMPLEMENTED: "The activity is fully in place. Say what evidence shows it.",
    ImplementationStatus.EMBEDDED: (
        "Implemented, in routine use, and checked by the force's own performance regime."
    ),
    ImplementationStatus.NOT_APPLICABLE: "The activity does not apply to this force. Give the reason.",
}

# Progress order, used to say whether an activity went up or down between rounds.
# "Not applicable" sits outside the scale and is never counted as an improvement or regression.
IMPLEMENTATION_RANK: dict[str, int] = {
    ImplementationStatus.NOT_STARTED: 0,
    ImplementationStatus.PLANNED: 1,
    ImplementationStatus.IN_PROGRESS: 2,
    ImplementationStatus.IMPLEMENTED: 3,
    ImplementationStatus.EMBEDDED: 4,
}

NEEDS_EVIDENCE = frozenset({ImplementationStatus.IMPLEMENTED, ImplementationStatus.EMBEDDED})
# "Implemented or embedded": the top of the scale, the share every report, overview and benchmark counts.
TOP_OF_SCALE = frozenset({ImplementationStatus.IMPLEMENTED, ImplementationStatus.EMBEDDED})
NEEDS_PLAN = frozenset({ImplementationStatus.PLANNED, ImplementationStatus.IN_PROGRESS})


class WorkflowStatus(models.TextChoices):
    """Where an assessment is in the review workflow."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    SIGNED_OFF = "signed_off", "Signed off"


# The only legal moves. workflow.py checks every transition against this table.
ALLOWED_TRANSITIONS: dict[WorkflowStatus, frozenset[WorkflowStatus]] = {
    WorkflowStatus.DRAFT: frozenset({WorkflowStatus.SUBMITTED}),
    WorkflowStatus.SUBMITTED: frozenset({WorkflowStatus.RETURNED, WorkflowStatus.SIGNED_OFF}),
    WorkflowStatus.RETURNED: frozenset({WorkflowStatus.SUBMITTED}),
    WorkflowStatus.SIGNED_OFF: frozenset({WorkflowStatus.DRAFT}),
}

EDITABLE_STATUSES = frozenset({WorkflowStatus.DRAFT, WorkflowStatus.RETURNED})


class PackState(models.TextChoices):
    """How far a report pack has got (ReportPack.State); not a workflow status."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Making the reports"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"


# The only legal moves of a pack. assessments/reports/pack_workflow.py checks every move against it;
# ready and failed are final (a new request starts a new pack).
PACK_TRANSITIONS: dict[PackState, frozenset[PackState]] = {
    PackState.QUEUED: frozenset({PackState.RUNNING, PackState.FAILED}),
    PackState.RUNNING: frozenset({PackState.READY, PackState.FAILED}),
    PackState.READY: frozenset(),
    PackState.FAILED: frozenset(),
}

# A pack in one of these holds its round and scope: a second request joins it.
ACTIVE_PACK_STATES = frozenset({PackState.QUEUED, PackState.RUNNING})


class TaskStatus(models.TextChoices):
    """The tag shown against an activity on the task list."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    NEEDS_EVIDENCE_OF_CHANGE = "needs_evidence_of_change", "Needs evidence of change"


NOT_ANSWERED = "Not answered"

_IMPLEMENTATION_LABELS: dict[str, str] = {value: str(label) for value, label in ImplementationStatus.choices}
_WORKFLOW_LABELS: dict[str, str] = {value: str(label) for value, label in WorkflowStatus.choices}
_TASK_LABELS: dict[str, str] = {value: str(label) for value, label in TaskStatus.choices}


def implementation_label(status: str | None) -> str:
    """An implementation status in words; "Not answered" for a blank (or missing, None) answer.

    A value outside the scale also reads "Not answered": the database refuses one, but a snapshot or
    a hand-edited file is plain JSON or text, and a report must still say something true.
    """
    return _IMPLEMENTATION_LABELS.get(status or "", NOT_ANSWERED)


def workflow_label(status: str) -> str:
    """A workflow status in words ("Returned for changes").

    An unknown value is shown as it is, as Django's get_status_display() does: the database refuses
    one, so this only keeps a page up if that ever changes.
    """
    return _WORKFLOW_LABELS.get(status, status)


def task_label(status: str) -> str:
    """A task-list tag in words ("Carried forward"); an unknown value as it is."""
    return _TASK_LABELS.get(status, status)
