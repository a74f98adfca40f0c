"""The scales and state machines: how far a force has implemented an activity, where an assessment is in
review, and how far a report pack has got."""

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
