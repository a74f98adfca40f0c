"""The rounds themselves: assessments, returns walked round to round, history, events and snapshots."""

from __future__ import annotations

import copy
import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from actionplan.models import ActionPlan, Activity
from assessments.generator.answers import ACTIVITY_COMMENTS, RETURN_REASONS, answers_for, next_status
from assessments.generator.people import BATCH, People
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot, Force, Round
from assessments.rules import return_problems
from assessments.snapshots import build_snapshot_data, snapshot_hash
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
    """Rows waiting to be written in bulk."""

    returns: list[ActivityReturn] = field(default_factory=list)
    # (return, its fields at the time, history type, user, date) for every saved version of a return.
    history: list[tuple[ActivityReturn, dict[str, Any], str, User, datetime.datetime]] = field(
        default_factory=list
    )
    events: list[AssessmentEvent] = field(default_factory=list)
    signed_off: list[Assessment] = field(default_factory=list)


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


def plan_assessments(
    *, rounds: list[Round], forces: list[Force], rng: random.Random
) -> list[list[Assessment]]:
    """One assessment per force per round (final statuses; the sign-off fields are set in fill_rounds)."""
    current = current_statuses(len(forces), rng)
    return [
        [
            Assessment(
                force=force,
                round=round_,
                status=current[index] if round_.is_open else WorkflowStatus.SIGNED_OFF,
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
    assessments: list[list[Assessment]],
    activities: list[Activity],
    people: People,
    rng: random.Random,
) -> None:
    """Walk every force and activity through the rounds, building returns, history and events."""
    national = people.national
    if national is None:
        raise RuntimeError("The national unit account is missing.")
    answers: dict[tuple[int, int], dict[str, Any]] = {}
    drive = {a.force_id: rng.uniform(0.2, 0.45) for a in assessments[0]} if assessments else {}
    for round_, row in zip(rounds, assessments, strict=True):
        opened_at = _at(round_.opens_on, 0, rng).replace(hour=7, minute=30)
        for index, assessment in enumerate(row):
            force = assessment.force
            spoc = people.spoc[force.pk]
            status = WorkflowStatus(assessment.status)
            # A draft is part done; the first force's (the demo SPOC's) a little over half.
            share = 1.0 if status != WorkflowStatus.DRAFT else 0.6 if index == 0 else rng.random()
            returns: list[ActivityReturn] = []
            for activity in activities:
                key = (force.pk, activity.pk)
                earlier = answers.get(key)
                activity_return = ActivityReturn(assessment=assessment, activity=activity)
                if earlier is not None:
                    _apply(activity_return, earlier)
                    activity_return.carried_forward = True
                writes.history.append((activity_return, _fields(activity_return), "+", national, opened_at))
                if rng.random() < share:
                    before = earlier["implementation_status"] if earlier else None
                    new_status = next_status(before, drive=drive[force.pk], rng=rng)
                    if earlier is None or new_status != before or rng.random() < 0.15:
                        values = answers_for(new_status, activity=activity, opens_on=round_.opens_on, rng=rng)
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
            if status != WorkflowStatus.DRAFT:
                coordinator = people.coordinator[force.region_id]
                _review(writes, assessment, returns, spoc=spoc, coordinator=coordinator, rng=rng)


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


def _event(
    assessment: Assessment,
    *,
    actor: User,
    role: Role,
    from_status: WorkflowStatus,
    to_status: WorkflowStatus,
    at: datetime.datetime,
    comment: str = "",
) -> AssessmentEvent:
    return AssessmentEvent(
        assessment=assessment,
        version=assessment.version,
        actor=actor,
        actor_name=actor.get_full_name(),
        actor_role=str(role.label),
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        created_at=at,
    )


def _review(
    writes: Writes,
    assessment: Assessment,
    returns: list[ActivityReturn],
    *,
    spoc: User,
    coordinator: User,
    rng: random.Random,
) -> None:
    """Submission, perhaps a return for changes, and (unless still waiting) sign-off, as events."""
    opens_on = assessment.round.opens_on
    submitted_at = _at(opens_on, rng.randint(26, 32), rng)
    target = WorkflowStatus(assessment.status)
    draft, submitted = WorkflowStatus.DRAFT, WorkflowStatus.SUBMITTED
    returned, signed_off = WorkflowStatus.RETURNED, WorkflowStatus.SIGNED_OFF
    writes.events.append(
        _event(
            assessment, actor=spoc, role=Role.SPOC, from_status=draft, to_status=submitted, at=submitted_at
        )
    )
    sent_back = target == returned or (target == signed_off and rng.random() < 0.15)
    if sent_back:
        returned_at = submitted_at + datetime.timedelta(days=2, hours=1)
        reason = rng.choice(RETURN_REASONS)
        writes.events.append(
            _event(
                assessment,
                actor=coordinator,
                role=Role.COORDINATOR,
                from_status=submitted,
                to_status=returned,
                at=returned_at,
                comment=reason,
            )
        )
        for activity_return in rng.sample(returns, k=min(len(returns), rng.randint(2, 4))):
            activity_return.reopened_for_changes = True
            activity_return.coordinator_comment = rng.choice(ACTIVITY_COMMENTS)
            writes.history.append((activity_return, _fields(activity_return), "~", coordinator, returned_at))
            if target == signed_off:
                # The SPOC answered the comment and resubmitted, which closes the activity again.
                activity_return.reopened_for_changes = False
                activity_return.revision += 1
                activity_return.updated_at = returned_at + datetime.timedelta(days=3)
                writes.history.append(
                    (activity_return, _fields(activity_return), "~", spoc, activity_return.updated_at)
                )
        if target == returned:
            return
        submitted_at = returned_at + datetime.timedelta(days=4)
        writes.events.append(
            _event(
                assessment,
                actor=spoc,
                role=Role.SPOC,
                from_status=returned,
                to_status=submitted,
                at=submitted_at,
            )
        )
    assessment.submitted_at = submitted_at
    assessment.submitted_by = spoc
    if target != signed_off:
        return
    signed_off_at = submitted_at + datetime.timedelta(days=rng.randint(2, 9), hours=2)
    assessment.signed_off_at = signed_off_at
    assessment.signed_off_by = coordinator
    assessment.signed_off_role = str(Role.COORDINATOR.label)
    writes.events.append(
        _event(
            assessment,
            actor=coordinator,
            role=Role.COORDINATOR,
            from_status=submitted,
            to_status=signed_off,
            at=signed_off_at,
            comment=rng.choice(["", "Signed off. Good progress on the marked areas."]),
        )
    )
    writes.signed_off.append(assessment)


def write_all(writes: Writes, *, assessments: list[Assessment], log: Any) -> None:
    """Assessments, returns, history, events and snapshots, each in bulk."""
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    ActivityReturn.objects.bulk_create(writes.returns, batch_size=BATCH)
    log(f"Returns written: {len(writes.returns)}")
    history_model = ActivityReturn.history.model
    historical = [
        history_model(
            id=activity_return.pk,
            assessment_id=activity_return.assessment_id,
            history_date=at,
            history_user=user,
            history_type=kind,
            history_change_reason=None,
            **values,
        )
        for activity_return, values, kind, user, at in writes.history
    ]
    history_model.objects.bulk_create(historical, batch_size=BATCH)
    log(f"History written: {len(historical)} saved versions")
    AssessmentEvent.objects.bulk_create(writes.events, batch_size=BATCH)
    snapshots = []
    for assessment in writes.signed_off:
        data = build_snapshot_data(assessment)
        snapshots.append(
            AssessmentSnapshot(
                assessment=assessment,
                version=assessment.version,
                created_at=assessment.signed_off_at or timezone.now(),
                data=data,
                sha256=snapshot_hash(data),
            )
        )
    AssessmentSnapshot.objects.bulk_create(snapshots, batch_size=200)
