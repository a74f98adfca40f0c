"""The rounds themselves: assessments, returns walked round to round, their history, and the reviews.

Rounds, assessments (as drafts), returns and the returns' saved versions are written in bulk; every
review is then replayed through assessments.workflow, dated in the past with its `at` argument, so
statuses, events and sign-off snapshots are the ones the service itself writes.
"""

from __future__ import annotations

import copy
import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from accounts.models import User
from actionplan.models import ActionPlan, Activity
from assessments import workflow
from assessments.generator.answers import ACTIVITY_COMMENTS, RETURN_REASONS, answers_for, next_status, rises
from assessments.generator.people import BATCH, People
from assessments.models import ActivityReturn, Assessment, Force, Round
from assessments.rules import return_problems
from assessments.status import WorkflowStatus

# The current round's spread of workflow statuses (the first two forces are fixed, see current_statuses).
CURRENT_SPREAD = (
    (WorkflowStatus.DRAFT, 35),
    (WorkflowStatus.SUBMITTED, 25),
    (WorkflowStatus.RETURNED, 15),
    (WorkflowStatus.SIGNED_OFF, 25),
)


@dataclass
class Writes:
    """Rows the generator writes in bulk: the returns and their saved versions, before any review."""

    returns: list[ActivityReturn] = field(default_factory=list)
    # (return, its fields at the time, history type, user, date) for every saved version of a return.
    history: list[tuple[ActivityReturn, dict[str, Any], str, User, datetime.datetime]] = field(
        default_factory=list
    )


@dataclass(frozen=True)
class Submit:
    """The SPOC submits (or resubmits) the assessment."""

    by: User
    at: datetime.datetime


@dataclass(frozen=True)
class ReturnForChanges:
    """The coordinator returns the assessment with a reason and a comment per marked activity code."""

    by: User
    at: datetime.datetime
    reason: str
    activity_comments: dict[str, str]


@dataclass(frozen=True)
class ChangesAnswered:
    """The SPOC saves the reopened activities again (answers unchanged) before resubmitting.

    `history` holds the saved versions to write, one per reopened return.
    """

    by: User
    at: datetime.datetime
    returns: list[ActivityReturn]
    history: list[tuple[ActivityReturn, dict[str, Any], str, User, datetime.datetime]]


@dataclass(frozen=True)
class SignOff:
    """The coordinator signs the assessment off."""

    by: User
    at: datetime.datetime
    comment: str


Step = Submit | ReturnForChanges | ChangesAnswered | SignOff


@dataclass
class Planned:
    """One assessment, the workflow status it should end in, and the review steps that take it there."""

    assessment: Assessment
    target: WorkflowStatus
    steps: list[Step] = field(default_factory=list)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, min(day.day, 28))


def create_rounds(*, plan: ActionPlan, past_rounds: int, today: datetime.date) -> list[Round]:
    """Half-yearly rounds, oldest first; the last opened six weeks ago and is due in two."""
    current_opens = today - datetime.timedelta(days=42)
    rounds = []
    for back in range(past_rounds, -1, -1):
        opens_on = current_opens if back == 0 else _add_months(current_opens, -6 * back)
        season = "spring" if opens_on.month <= 6 else "autumn"
        rounds.append(
            Round(
                name=f"{opens_on.year} {season} review",
                plan=plan,
                opens_on=opens_on,
                due_on=opens_on + datetime.timedelta(days=56),
                is_open=back == 0,
            )
        )
    Round.objects.bulk_create(rounds)
    return rounds


def current_statuses(count: int, rng: random.Random) -> list[WorkflowStatus]:
    """The first force is a draft in progress and the second is waiting for review; the rest spread."""
    fixed = [WorkflowStatus.DRAFT, WorkflowStatus.SUBMITTED][:count]
    rest = count - len(fixed)
    pool: list[WorkflowStatus] = []
    for status, share in CURRENT_SPREAD:
        pool += [status] * round(rest * share / 100)
    pool = (pool + [WorkflowStatus.DRAFT] * rest)[:rest]
    rng.shuffle(pool)
    return fixed + pool


def plan_assessments(*, rounds: list[Round], forces: list[Force], rng: random.Random) -> list[list[Planned]]:
    """One draft assessment per force per round, with the status the workflow is to leave it in."""
    current = current_statuses(len(forces), rng)
    return [
        [
            Planned(
                assessment=Assessment(force=force, round=round_),
                target=current[index] if round_.is_open else WorkflowStatus.SIGNED_OFF,
            )
            for index, force in enumerate(forces)
        ]
        for round_ in rounds
    ]


def _at(day: datetime.date, days: int, rng: random.Random) -> datetime.datetime:
    """A working-hours moment `days` after `day`."""
    moment = datetime.datetime.combine(
        day + datetime.timedelta(days=days), datetime.time(rng.randint(8, 17), rng.randint(0, 59))
    )
    return moment.replace(tzinfo=datetime.UTC)


def fill_rounds(
    *,
    writes: Writes,
    rounds: list[Round],
    assessments: list[list[Planned]],
    activities: list[Activity],
    people: People,
    rng: random.Random,
) -> None:
    """Walk every force and activity through the rounds: returns, their saved versions, review steps."""
    national = people.national
    if national is None:
        raise RuntimeError("The national unit account is missing.")
    answers: dict[tuple[int, int], dict[str, Any]] = {}
    drive = {p.assessment.force_id: rng.uniform(0.2, 0.45) for p in assessments[0]} if assessments else {}
    for round_, row in zip(rounds, assessments, strict=True):
        opened_at = _at(round_.opens_on, 0, rng).replace(hour=7, minute=30)
        for index, planned in enumerate(row):
            force = planned.assessment.force
            spoc = people.spoc[force.pk]
            # A draft is part done; the first force's (the demo SPOC's) a little over half.
            share = 1.0 if planned.target != WorkflowStatus.DRAFT else 0.6 if index == 0 else rng.random()
            returns: list[ActivityReturn] = []
            for activity in activities:
                key = (force.pk, activity.pk)
                earlier = answers.get(key)
                activity_return = ActivityReturn(assessment=planned.assessment, activity=activity)
                if earlier is not None:
                    _apply(activity_return, earlier)
                    activity_return.carried_forward = True
                writes.history.append((activity_return, _fields(activity_return), "+", national, opened_at))
                if rng.random() < share:
                    before = earlier["implementation_status"] if earlier else None
                    new_status = next_status(before, drive=drive[force.pk], rng=rng)
                    if earlier is None or new_status != before or rng.random() < 0.15:
                        values = answers_for(
                            new_status,
                            activity=activity,
                            opens_on=round_.opens_on,
                            rng=rng,
                            rises=rises(before, new_status),
                        )
                    else:
                        values = earlier  # confirmed unchanged
                    _apply(activity_return, values)
                    saved_at = _at(round_.opens_on, rng.randint(1, 24), rng)
                    activity_return.confirmed = True
                    activity_return.is_complete = not return_problems(values)
                    activity_return.revision = 1
                    activity_return.updated_by = spoc
                    activity_return.updated_at = saved_at
                    answers[key] = values
                    writes.history.append((activity_return, _fields(activity_return), "~", spoc, saved_at))
                returns.append(activity_return)
            writes.returns += returns
            if planned.target != WorkflowStatus.DRAFT:
                coordinator = people.coordinator[force.region_id]
                _plan_review(planned, returns, spoc=spoc, coordinator=coordinator, rng=rng)


TRACKED = [
    f.attname for f in ActivityReturn.history.model.tracked_fields if f.attname not in ("id", "assessment_id")
]


def _fields(activity_return: ActivityReturn) -> dict[str, Any]:
    """The tracked fields as they stand now (the ids are filled in once the return is written)."""
    values = {name: getattr(activity_return, name) for name in TRACKED}
    values["evidence_references"] = copy.deepcopy(values["evidence_references"])
    return values


def _apply(activity_return: ActivityReturn, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(activity_return, name, copy.deepcopy(value) if name == "evidence_references" else value)


def _plan_review(
    planned: Planned,
    returns: list[ActivityReturn],
    *,
    spoc: User,
    coordinator: User,
    rng: random.Random,
) -> None:
    """Submission, perhaps a return for changes, and (unless still waiting) sign-off, as steps to replay.

    Nothing here changes the returns: the workflow does that when the steps are replayed.
    """
    opens_on = planned.assessment.round.opens_on
    target = planned.target
    submitted_at = _at(opens_on, rng.randint(26, 32), rng)
    planned.steps.append(Submit(by=spoc, at=submitted_at))
    returned, signed_off = WorkflowStatus.RETURNED, WorkflowStatus.SIGNED_OFF
    sent_back = target == returned or (target == signed_off and rng.random() < 0.15)
    if sent_back:
        returned_at = submitted_at + datetime.timedelta(days=2, hours=1)
        reason = rng.choice(RETURN_REASONS)
        marked = rng.sample(returns, k=min(len(returns), rng.randint(2, 4)))
        comments = {
            activity_return.activity.code: rng.choice(ACTIVITY_COMMENTS) for activity_return in marked
        }
        planned.steps.append(
            ReturnForChanges(by=coordinator, at=returned_at, reason=reason, activity_comments=comments)
        )
        if target == returned:
            return
        # The SPOC answers the comments, saving each reopened activity again, then resubmits.
        answered_at = returned_at + datetime.timedelta(days=3)
        history = []
        for activity_return in marked:
            values = _fields(activity_return)
            values.update(
                reopened_for_changes=True,
                coordinator_comment=comments[activity_return.activity.code],
                updated_by_id=spoc.pk,
                updated_at=answered_at,
            )
            history.append((activity_return, values, "~", spoc, answered_at))
        planned.steps.append(ChangesAnswered(by=spoc, at=answered_at, returns=marked, history=history))
        submitted_at = returned_at + datetime.timedelta(days=4)
        planned.steps.append(Submit(by=spoc, at=submitted_at))
    if target != signed_off:
        return
    signed_off_at = submitted_at + datetime.timedelta(days=rng.randint(2, 9), hours=2)
    comment = rng.choice(["", "Signed off. Good progress on the marked areas."])
    planned.steps.append(SignOff(by=coordinator, at=signed_off_at, comment=comment))


def write_all(writes: Writes, *, assessments: list[Planned], log: Any) -> Counts:
    """Assessments, returns and their saved versions in bulk; then each review through the workflow."""
    Assessment.objects.bulk_create([planned.assessment for planned in assessments], batch_size=BATCH)
    ActivityReturn.objects.bulk_create(writes.returns, batch_size=BATCH)
    log(f"Returns written: {len(writes.returns)}")
    _write_history(writes.history)
    log(f"History written: {len(writes.history)} saved versions")
    counts = Counts(history_rows=len(writes.history))
    for planned in assessments:
        for step in planned.steps:
            _replay(planned.assessment, step, counts)
    return counts


@dataclass
class Counts:
    """What the replayed review steps wrote, for the summary."""

    history_rows: int = 0
    events: int = 0
    snapshots: int = 0


def _replay(assessment: Assessment, step: Step, counts: Counts) -> None:
    """One review step: a workflow transition dated in the past (no email; see workflow.py), or a save."""
    if isinstance(step, Submit):
        # A resubmission closes the returned activities; the workflow keeps a history row for each.
        counts.history_rows += assessment.returns.filter(reopened_for_changes=True).count()
        workflow.submit(assessment, by=step.by, at=step.at)
    elif isinstance(step, ReturnForChanges):
        workflow.return_for_changes(
            assessment, by=step.by, reason=step.reason, activity_comments=step.activity_comments, at=step.at
        )
        counts.history_rows += len(step.activity_comments)  # the workflow saves each marked return
    elif isinstance(step, SignOff):
        workflow.sign_off(assessment, by=step.by, comment=step.comment, at=step.at)
        counts.snapshots += 1
    else:
        # Saving answers is not a transition: the same bulk writes as the returns themselves.
        ActivityReturn.objects.filter(pk__in=[r.pk for r in step.returns]).update(
            revision=F("revision") + 1, updated_by=step.by, updated_at=step.at
        )
        _write_history(step.history)
        counts.history_rows += len(step.history)
        return
    counts.events += 1


def _write_history(rows: list[tuple[ActivityReturn, dict[str, Any], str, User, datetime.datetime]]) -> None:
    """Saved versions of returns, each with its own user, date and values (as simple_history writes them)."""
    history_model = ActivityReturn.history.model
    history_model.objects.bulk_create(
        [
            history_model(
                id=activity_return.pk,
                assessment_id=activity_return.assessment_id,
                history_date=at,
                history_user=user,
                history_type=kind,
                history_change_reason=None,
                **values,
            )
            for activity_return, values, kind, user, at in rows
        ],
        batch_size=BATCH,
    )
