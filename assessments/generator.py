"""A deterministic national data set: every force, its people, signed-off past rounds and a live one.

Used by `manage.py generate_national_data` (and `make run NATIONAL_DATA=1`), by the page benchmarks in
bench/pages.py and by the flat-query tests. The same seed and the same `today` give the same data.

Everything is written in bulk inside one transaction, so the full national picture (44 forces, 50
activities, nine rounds) takes seconds rather than minutes, and a failure leaves nothing behind.
Statuses follow a seeded random walk per force and activity: mostly up, sometimes down, some
activities not applicable throughout. Past rounds are signed off with the same snapshot data and hash
that workflow.sign_off stores, and the same append-only events; the current round is open with forces
spread over draft, submitted, returned and signed off.
"""

from __future__ import annotations

import copy
import datetime
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from actionplan.loading import load_plan_file
from actionplan.models import ActionPlan, Activity
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
    Force,
    Region,
    Round,
)
from assessments.reference import apply_forces_data, load_forces_file, validate_forces_data
from assessments.rules import return_problems
from assessments.snapshots import build_snapshot_data, snapshot_hash
from assessments.status import IMPLEMENTATION_RANK, ImplementationStatus, WorkflowStatus
from msoic.settings.env import BASE_DIR

GENERATED_PASSWORD = "try-the-national-picture-locally"  # noqa: S105 - published in the README on purpose
WARNING = (
    "The generated accounts share a published password and the data is invented. "
    "For local trials and benchmarks only: never generate it on a server that holds real data."
)
PLAN_FILE = BASE_DIR / "fixtures" / "action_plan.json"
FORCES_FILE = BASE_DIR / "fixtures" / "regions_and_forces.json"
NATIONAL_EMAIL = "national.unit@example.com"
BATCH = 1000

# The current round's spread of workflow statuses (the first two forces are fixed, see _current_statuses).
CURRENT_SPREAD = (
    (WorkflowStatus.DRAFT, 35),
    (WorkflowStatus.SUBMITTED, 25),
    (WorkflowStatus.RETURNED, 15),
    (WorkflowStatus.SIGNED_OFF, 25),
)
RANKED = [status for status, _rank in sorted(IMPLEMENTATION_RANK.items(), key=lambda item: item[1])]
FIRST_NAMES: tuple[str, ...] = (
    "Alex",
    "Amira",
    "Ben",
    "Bethan",
    "Callum",
    "Chloe",
    "Deepa",
    "Ellis",
    "Fatima",
    "Grace",
)
FIRST_NAMES += ("Hamza", "Isla", "Jas", "Kieran", "Megan", "Nia", "Priya", "Rhys", "Usha", "Zara")
SURNAMES: tuple[str, ...] = (
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
)
SURNAMES += ("Morgan", "Owen", "Patel", "Quinn", "Roberts", "Shah", "Taylor", "Walker", "Wright")
OWNERS = (
    "Head of public protection",
    "Detective Superintendent, serious and organised crime",
    "Force crime registrar",
    "Head of learning and development",
    "Modern slavery tactical lead",
    "Head of intelligence",
    "Strategic SPOC",
)
NOT_APPLICABLE_REASONS = (
    "The force has no port, airport or border crossing in its area.",
    "Delivered for this force by the regional organised crime unit under a collaboration agreement.",
    "Covered by a national team; the force has no separate capability to assess.",
)
EVIDENCE = (
    "Approved by the chief officer group; minutes and the action log are on the governance site.",
    "Audited by the force crime registrar this quarter: {share}% of cases met the standard.",
    "Reported monthly to the performance board with NRM, Duty to Notify and crime outcome figures.",
    "Training records show {share}% of the target staff completed the input this year.",
    "Checked in the last dip sample of {count} cases; findings shared with supervisors.",
    "Written into the force procedure, reviewed with partners at the anti-slavery partnership.",
)
NEXT_STEPS = (
    "Agree the approach at the next governance group and assign a lead.",
    "Finish the pilot in one district, then roll out force-wide.",
    "Draft the procedure, consult the regional coordinator and publish it.",
    "Book the remaining training dates and record completion centrally.",
    "Build the monthly return into the performance framework.",
)
RETURN_REASONS = (
    "Thank you. A few activities need clearer evidence before I can sign this off.",
    "Nearly there: please add dates to the evidence on the activities marked.",
    "The marked activities need an owner and a realistic target date.",
)
ACTIVITY_COMMENTS = (
    "Say which audit this refers to and when it took place.",
    "The target date has passed: set a new one or explain the delay.",
    "Embedded needs evidence that the force checks this routinely; add it or choose Implemented.",
    "Please attach the policy reference and the date it was approved.",
)


class Writer(Protocol):
    """Anything with write(text): a management command's stdout, sys.stdout, io.StringIO."""

    def write(self, text: str, /) -> Any: ...


class GeneratorRefused(Exception):
    """The database already holds assessment data and no reset was asked for; nothing was written."""


@dataclass(frozen=True)
class GeneratedData:
    """What one run created, for the command's summary and for tests and benchmarks."""

    seed: int
    forces: list[Force]
    rounds: list[Round]
    current_round: Round
    users: int
    assessments: int
    returns: int
    history_rows: int
    events: int
    snapshots: int
    seconds: float


@dataclass
class _People:
    """The generated accounts, by force and region."""

    spoc: dict[int, User] = field(default_factory=dict)
    tactical_spoc: dict[int, User] = field(default_factory=dict)
    chief: dict[int, User] = field(default_factory=dict)
    coordinator: dict[int, User] = field(default_factory=dict)
    national: User | None = None
    created: int = 0


@dataclass
class _Writes:
    """Rows waiting to be written in bulk."""

    returns: list[ActivityReturn] = field(default_factory=list)
    # (return, its fields at the time, history type, user, date) for every saved version of a return.
    history: list[tuple[ActivityReturn, dict[str, Any], str, User, datetime.datetime]] = field(
        default_factory=list
    )
    events: list[AssessmentEvent] = field(default_factory=list)
    signed_off: list[Assessment] = field(default_factory=list)


def generate_national_data(
    *,
    seed: int,
    forces: int | None = None,
    past_rounds: int = 8,
    stdout: Writer | None = None,
    reset: bool = False,
    today: datetime.date | None = None,
) -> GeneratedData:
    """Load the plan and forces, then write users, past signed-off rounds and an open current round.

    `forces` takes the first N forces of the reference file (all forces in the database when None).
    Refuses (GeneratorRefused) when any round exists, unless `reset` is true: a reset empties every
    table of assessment data first (rounds, assessments, returns and their history, events, snapshots,
    stored reports, reminders) with raw DELETE, or TRUNCATE on PostgreSQL, whose audit trigger refuses
    row deletes of events and history; events also refuse Model.delete(). Users, the plan and forces
    are kept.
    """
    started = time.perf_counter()

    def log(message: str) -> None:
        if stdout is not None:
            stdout.write(f"[{time.perf_counter() - started:6.1f}s] {message}\n")

    if past_rounds < 0:
        raise ValueError("past_rounds cannot be negative.")
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not security
    today = today or timezone.localdate()
    with transaction.atomic():
        if Round.objects.exists():
            if not reset:
                raise GeneratorRefused(
                    "Rounds already exist, so nothing was generated. Use --reset to delete all assessment "
                    "data first (users, the action plan, regions and forces are kept)."
                )
            log(f"Deleted existing assessment data: {_delete_assessment_data()} rows")
        plan, activities = _load_plan()
        force_list = _load_forces(forces)
        log(f"Reference data ready: {len(activities)} activities, {len(force_list)} forces")
        people = _people(force_list)
        log(f"Accounts ready: {people.created} created")
        rounds = _rounds(plan=plan, past_rounds=past_rounds, today=today)
        assessments = _assessments(rounds=rounds, forces=force_list, rng=rng)
        log(f"Rounds ready: {len(rounds)} rounds, {sum(len(row) for row in assessments)} assessments")
        writes = _Writes()
        _fill(
            writes=writes,
            rounds=rounds,
            assessments=assessments,
            activities=activities,
            people=people,
            rng=rng,
        )
        _write(writes, assessments=[a for row in assessments for a in row], log=log)
        log("Snapshots and events written")
    elapsed = time.perf_counter() - started
    log(f"Done in {elapsed:.1f}s")
    return GeneratedData(
        seed=seed,
        forces=force_list,
        rounds=rounds,
        current_round=rounds[-1],
        users=people.created,
        assessments=sum(len(row) for row in assessments),
        returns=len(writes.returns),
        history_rows=len(writes.history),
        events=len(writes.events),
        snapshots=len(writes.signed_off),
        seconds=elapsed,
    )


def _delete_assessment_data() -> int:
    """Delete every row of assessment data, referencing tables first; reference data stays."""
    keep = {Region, Force}
    doomed = [model for model in apps.get_app_config("assessments").get_models() if model not in keep]
    ordered: list[type[models.Model]] = []
    pending = list(doomed)
    while pending:
        # A table can go once no other pending table points at it.
        for model in pending:
            referenced_by = [
                other
                for other in pending
                if other is not model
                and any(
                    getattr(f, "related_model", None) is model
                    for f in other._meta.get_fields()
                    if f.many_to_one or f.one_to_one
                )
            ]
            if not referenced_by:
                ordered.append(model)
                pending.remove(model)
                break
        else:
            raise RuntimeError("Circular references between assessment tables; delete by hand.")
    deleted = 0
    tables = [connection.ops.quote_name(model._meta.db_table) for model in ordered]
    with connection.cursor() as cursor:
        for model in ordered:
            for file_field in [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]:
                for name in model._default_manager.exclude(**{file_field.name: ""}).values_list(
                    file_field.name, flat=True
                ):
                    default_storage.delete(name)
            deleted += model._default_manager.count()
        if connection.vendor == "postgresql":
            # The audit trigger (migration 0006) refuses row deletes of events and return history;
            # emptying whole tables with TRUNCATE, as test databases are emptied, is what a reset means.
            # Deferred foreign-key checks of rows written earlier in this transaction (as in tests)
            # must run before TRUNCATE will go ahead; they are deferred again afterwards.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE TABLE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the models
    return deleted


def _load_plan() -> tuple[ActionPlan, list[Activity]]:
    load_plan_file(PLAN_FILE)
    plan = ActionPlan.objects.get(is_current=True)
    activities = list(plan.activities.select_related("area").order_by("area__number", "order"))
    return plan, activities


def _load_forces(count: int | None) -> list[Force]:
    if count is None:
        load_forces_file(FORCES_FILE)
        return list(Force.objects.select_related("region").order_by("pk"))
    data = json.loads(FORCES_FILE.read_text(encoding="utf-8"))
    problems = validate_forces_data(data)
    if problems:
        raise ValueError("; ".join(problems))
    chosen = data["forces"][:count]
    slugs = {force["region"] for force in chosen}
    apply_forces_data({"regions": [r for r in data["regions"] if r["slug"] in slugs], "forces": chosen})
    by_code = {force.code: force for force in Force.objects.select_related("region")}
    return [by_code[force["code"]] for force in chosen]


def _people(forces: list[Force]) -> _People:
    """Per force a strategic SPOC, a tactical SPOC and a chief officer; per region a coordinator."""
    names = random.Random(0)  # noqa: S311 - names only; fixed so each email keeps its name
    wanted: list[tuple[str, Role, Force | None, Region | None]] = []
    for force in forces:
        wanted += [
            (f"spoc.{force.code}@example.com", Role.SPOC, force, None),
            (f"spoc2.{force.code}@example.com", Role.SPOC, force, None),
            (f"chief.{force.code}@example.com", Role.CHIEF_OFFICER, force, None),
        ]
    regions = {force.region_id: force.region for force in forces}
    for region in sorted(regions.values(), key=lambda r: r.slug):
        wanted.append((f"coordinator.{region.slug}@example.com", Role.COORDINATOR, None, region))
    wanted.append((NATIONAL_EMAIL, Role.NATIONAL, None, None))
    existing = {user.email: user for user in User.objects.filter(email__in=[w[0] for w in wanted])}
    password = make_password(GENERATED_PASSWORD)  # hashed once: one published password for all
    new = []
    for email, role, scoped_force, scoped_region in wanted:
        if email not in existing:
            scope = scoped_force or scoped_region or "national unit"
            full_name = f"{names.choice(FIRST_NAMES)} {names.choice(SURNAMES)} ({role.label}, {scope})"
            user = User(email=email, full_name=full_name[:150], password=password)
            existing[email] = user
            new.append(user)
    User.objects.bulk_create(new, batch_size=BATCH)
    if any(user.pk is None for user in new):
        existing = {user.email: user for user in User.objects.filter(email__in=[w[0] for w in wanted])}
    held = set(
        Membership.objects.filter(user__in=existing.values()).values_list(
            "user_id", "role", "force_id", "region_id"
        )
    )
    memberships = []
    people = _People(created=len(new))
    for email, role, scoped_force, scoped_region in wanted:
        user = existing[email]
        key = (
            user.pk,
            role.value,
            scoped_force.pk if scoped_force else None,
            scoped_region.pk if scoped_region else None,
        )
        if key not in held:
            memberships.append(Membership(user=user, role=role, force=scoped_force, region=scoped_region))
        if scoped_force is not None and role == Role.CHIEF_OFFICER:
            people.chief[scoped_force.pk] = user
        elif scoped_force is not None:
            target = people.spoc if email.startswith("spoc.") else people.tactical_spoc
            target[scoped_force.pk] = user
        elif scoped_region is not None:
            people.coordinator[scoped_region.pk] = user
        else:
            people.national = user
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return people


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, min(day.day, 28))


def _rounds(*, plan: ActionPlan, past_rounds: int, today: datetime.date) -> list[Round]:
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


def _current_statuses(count: int, rng: random.Random) -> list[WorkflowStatus]:
    """The first force is a draft in progress and the second is waiting for review; the rest spread."""
    fixed = [WorkflowStatus.DRAFT, WorkflowStatus.SUBMITTED][:count]
    rest = count - len(fixed)
    pool: list[WorkflowStatus] = []
    for status, share in CURRENT_SPREAD:
        pool += [status] * round(rest * share / 100)
    pool = (pool + [WorkflowStatus.DRAFT] * rest)[:rest]
    rng.shuffle(pool)
    return fixed + pool


def _assessments(*, rounds: list[Round], forces: list[Force], rng: random.Random) -> list[list[Assessment]]:
    """One assessment per force per round (final statuses; the sign-off fields are set in _fill)."""
    current = _current_statuses(len(forces), rng)
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


def _step(previous: str | None, *, drive: float, rng: random.Random) -> str:
    """One round of the random walk: up with probability `drive`, down one time in twelve."""
    if previous is None:
        if rng.random() < 0.03:
            return ImplementationStatus.NOT_APPLICABLE
        return rng.choices(RANKED, weights=[30, 30, 25, 10, 5])[0]
    if previous == ImplementationStatus.NOT_APPLICABLE:
        return previous
    rank = IMPLEMENTATION_RANK[previous]
    roll = rng.random()
    if roll < drive and rank < len(RANKED) - 1:
        rank += 1
    elif roll > 1 - 1 / 12 and rank > 0:
        rank -= 1
    return RANKED[rank]


def _content(
    status: str, *, activity: Activity, opens_on: datetime.date, rng: random.Random
) -> dict[str, Any]:
    """Answers that satisfy the rules for this status, written as a SPOC might."""
    values: dict[str, Any] = {
        "implementation_status": status,
        "not_applicable_reason": "",
        "evidence_summary": "",
        "evidence_references": [],
        "next_steps": "",
        "action_owner": "",
        "target_date": None,
    }
    if status == ImplementationStatus.NOT_APPLICABLE:
        values["not_applicable_reason"] = rng.choice(NOT_APPLICABLE_REASONS)
        return values
    rank = IMPLEMENTATION_RANK[status]
    if rank >= 2:
        summary = rng.choice(EVIDENCE).format(share=rng.randint(60, 99), count=rng.randint(12, 60))
        values["evidence_summary"] = f"{activity.title}: {summary}"
        applies_on = opens_on - datetime.timedelta(days=rng.randint(10, 150))
        values["evidence_references"] = [
            {
                "title": f"{activity.code} evidence pack",
                "location": f"Force intranet > Modern slavery > {activity.code}",
                "applies_on": applies_on.isoformat(),
            }
        ][: rng.randint(0, 1) + (1 if rank >= 3 else 0)]
    if rank <= 3:
        values["next_steps"] = rng.choice(NEXT_STEPS)
        values["action_owner"] = rng.choice(OWNERS)
        values["target_date"] = opens_on + datetime.timedelta(days=rng.randint(60, 270))
    return values


def _fill(
    *,
    writes: _Writes,
    rounds: list[Round],
    assessments: list[list[Assessment]],
    activities: list[Activity],
    people: _People,
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
                    new_status = _step(before, drive=drive[force.pk], rng=rng)
                    if earlier is None or new_status != before or rng.random() < 0.15:
                        values = _content(new_status, activity=activity, opens_on=round_.opens_on, rng=rng)
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
    writes: _Writes,
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


def _write(writes: _Writes, *, assessments: list[Assessment], log: Any) -> None:
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
