"""A deterministic national data set: every force, its people, signed-off past rounds and a live one.

Used by `manage.py generate_national_data` (and `make run NATIONAL_DATA=1`), by the page benchmarks in
bench/pages.py and by the flat-query tests. The same seed and the same `today` give the same data.

Everything happens inside one transaction, so a failure leaves nothing behind. Answers are written in
bulk; every status change, event and sign-off snapshot is written by assessments.workflow itself
(submit, return_for_changes, sign_off), acting as the generated SPOC or coordinator and dated in the
past through the workflow's `at` argument, which also keeps the thousands of replayed transitions from
emailing anyone. Statuses follow a seeded random walk per force and activity: mostly up, sometimes
down, some activities not applicable throughout. Past rounds are signed off; the current round is
open with forces spread over draft, submitted, returned and signed off.

The package: `people` makes the accounts, `answers` what SPOCs write and how statuses move round to
round, `rounds` the assessments, returns, history and the review steps it replays through the
workflow; this module runs them in order.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from actionplan.loading import load_plan_file
from actionplan.models import ActionPlan, Activity
from assessments.generator.people import GENERATED_PASSWORD, NATIONAL_EMAIL, create_people
from assessments.generator.rounds import Writes, create_rounds, fill_rounds, plan_assessments, write_all
from assessments.models import Force, Region, Round
from assessments.reference import apply_forces_data, load_forces_file, validate_forces_data
from assessments.services import actions_from_returns

__all__ = [
    "GENERATED_PASSWORD",
    "NATIONAL_EMAIL",
    "WARNING",
    "GeneratedData",
    "GeneratorRefused",
    "generate_national_data",
]

WARNING = (
    "The generated accounts share a published password and the data is invented. "
    "For local trials and benchmarks only: never generate it on a server that holds real data."
)
PLAN_FILE = settings.BASE_DIR / "fixtures" / "action_plan.json"
FORCES_FILE = settings.BASE_DIR / "fixtures" / "regions_and_forces.json"


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
        people = create_people(force_list)
        log(f"Accounts ready: {people.created} created")
        rounds = create_rounds(plan=plan, past_rounds=past_rounds, today=today)
        assessments = plan_assessments(rounds=rounds, forces=force_list, rng=rng)
        planned = [item for row in assessments for item in row]
        log(f"Rounds ready: {len(rounds)} rounds, {len(planned)} assessments")
        writes = Writes()
        fill_rounds(
            writes=writes,
            rounds=rounds,
            assessments=assessments,
            activities=activities,
            people=people,
            rng=rng,
        )
        counts = write_all(writes, assessments=planned, log=log)
        log(f"Reviews replayed through the workflow: {counts.events} events, {counts.snapshots} sign-offs")
        # The answers were written in bulk, so their actions follow them through the same rule as a save.
        raised = actions_from_returns(force_ids=[force.pk for force in force_list])
        log(f"Actions raised: {raised}")
    elapsed = time.perf_counter() - started
    log(f"Done in {elapsed:.1f}s")
    return GeneratedData(
        seed=seed,
        forces=force_list,
        rounds=rounds,
        current_round=rounds[-1],
        users=people.created,
        assessments=len(planned),
        returns=len(writes.returns),
        history_rows=counts.history_rows,
        events=counts.events,
        snapshots=counts.snapshots,
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
