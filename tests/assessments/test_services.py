"""Opening rounds (with carry-forward) and saving returns (with lost-update protection)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from assessments.models import Action, ActivityReturn, Assessment
from assessments.services import StaleReturn, activity_return_save, round_open
from assessments.status import WorkflowStatus
from tests.conftest import complete_values, sign_off_for_test


def open_next_round(world, plan, name="2027-28 spring review"):
    return round_open(
        name=name,
        plan=plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 30),
        opened_by=world.national,
    )


def sign_off_directly(assessment, by):
    """Test shortcut: sign off (with the snapshot that carry-forward reads) without the review screens."""
    sign_off_for_test(assessment, by)


def test_opening_a_round_creates_one_assessment_per_force_with_a_return_per_activity(
    world, open_round, action_plan
):
    assessments = Assessment.objects.filter(round=open_round)
    assert assessments.count() == 3
    assert set(assessments.values_list("status", flat=True)) == {WorkflowStatus.DRAFT}
    for assessment in assessments:
        assert assessment.returns.count() == action_plan.activities.count()


def test_a_first_round_starts_empty(home_assessment):
    returns = home_assessment.returns.all()
    assert not any(r.implementation_status or r.carried_forward or r.is_complete for r in returns)


def test_only_national_roles_open_rounds(world, action_plan):
    for role in (Role.SPOC, Role.CHIEF_OFFICER, Role.COORDINATOR):
        with pytest.raises(PermissionDenied):
            round_open(
                name=f"Round by {role}",
                plan=action_plan,
                opens_on=datetime.date(2027, 1, 1),
                due_on=datetime.date(2027, 2, 1),
                opened_by=world.user(role),
            )


def test_one_assessment_per_force_per_round_is_enforced_by_the_database(home_assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(force=home_assessment.force, round=home_assessment.round)


def test_returns_carry_forward_from_the_last_signed_off_round_and_are_not_complete(
    world, home_assessment, action_plan
):
    first = home_assessment.returns.select_related("activity").get(activity__code="LG01")
    activity_return_save(
        activity_return_id=first.pk,
        values={
            **complete_values("in_progress"),
            "evidence_references": [{"title": "Policy", "location": "", "applies_on": "2026-03-01"}],
        },
        by=world.spoc,
        expected_revision=0,
    )
    sign_off_directly(home_assessment, world.coordinator)
    opened = open_next_round(world, action_plan)
    assert opened.returns_carried_forward == 1  # only answered activities carry forward
    new = ActivityReturn.objects.get(
        assessment__round=opened.round, assessment__force=world.home_force, activity__code="LG01"
    )
    assert new.implementation_status == "in_progress"
    assert new.action_owner == "Head of public protection"
    assert new.target_date == datetime.date(2027, 3, 31)
    assert new.evidence_references == [{"title": "Policy", "location": "", "applies_on": "2026-03-01"}]
    assert new.carried_forward and not new.confirmed and not new.is_complete
    # Forces with nothing signed off start empty.
    durham = ActivityReturn.objects.filter(
        assessment__round=opened.round, assessment__force=world.neighbour_force
    )
    assert not durham.filter(carried_forward=True).exists()


def test_carry_forward_ignores_unsigned_assessments(world, home_assessment, action_plan):
    first = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=first.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    opened = open_next_round(world, action_plan)
    assert opened.returns_carried_forward == 0


def test_saving_confirms_marks_complete_and_records_who(world, home_assessment):
    target = home_assessment.returns.get(activity__code="LG01")
    saved = activity_return_save(
        activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    assert saved.confirmed and saved.is_complete
    assert saved.updated_by == world.spoc
    assert saved.revision == 1
    assert saved.history.first().history_user == world.spoc


def test_a_stale_save_is_refused_and_overwrites_nothing(world, home_assessment):
    target = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=target.pk,
        values=complete_values(action_owner="First"),
        by=world.spoc,
        expected_revision=0,
    )
    with pytest.raises(StaleReturn) as raised:
        activity_return_save(
            activity_return_id=target.pk,
            values=complete_values(action_owner="Second"),
            by=world.spoc,
            expected_revision=0,
        )
    assert raised.value.current.action_owner == "First"
    target.refresh_from_db()
    assert target.action_owner == "First"
    assert target.revision == 1


@pytest.mark.parametrize("role", [Role.CHIEF_OFFICER, Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR])
def test_only_the_spoc_saves_returns(world, home_assessment, role):
    target = home_assessment.returns.get(activity__code="LG01")
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=target.pk, values=complete_values(), by=world.user(role), expected_revision=0
        )
    target.refresh_from_db()
    assert target.revision == 0


def test_a_spoc_of_another_force_cannot_save(world, open_round):
    durham = Assessment.objects.get(force=world.neighbour_force, round=open_round)
    target = durham.returns.get(activity__code="LG01")
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
        )


def test_a_submitted_assessment_cannot_be_saved(world, home_assessment):
    Assessment.objects.filter(pk=home_assessment.pk).update(status=WorkflowStatus.SUBMITTED)
    target = home_assessment.returns.get(activity__code="LG01")
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
        )


def test_a_returned_assessment_opens_only_the_marked_activities(world, home_assessment):
    Assessment.objects.filter(pk=home_assessment.pk).update(status=WorkflowStatus.RETURNED)
    home_assessment.returns.filter(activity__code="LG02").update(reopened_for_changes=True)
    closed = home_assessment.returns.get(activity__code="LG01")
    opened = home_assessment.returns.get(activity__code="LG02")
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=closed.pk, values=complete_values(), by=world.spoc, expected_revision=0
        )
    saved = activity_return_save(
        activity_return_id=opened.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    assert saved.is_complete


def test_carry_forward_reads_what_was_signed_off_not_later_edits(world, home_assessment, action_plan):
    from assessments import workflow

    target = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=target.pk,
        values=complete_values(action_owner="Signed owner"),
        by=world.spoc,
        expected_revision=0,
    )
    sign_off_directly(home_assessment, world.coordinator)
    workflow.reopen(home_assessment, by=world.national, reason="Correct an error")
    activity_return_save(
        activity_return_id=target.pk,
        values=complete_values(action_owner="Unsigned edit"),
        by=world.spoc,
        expected_revision=1,
    )
    opened = open_next_round(world, action_plan)
    carried = ActivityReturn.objects.get(
        assessment__round=opened.round, assessment__force=world.home_force, activity__code="LG01"
    )
    assert carried.action_owner == "Signed owner"


def test_a_save_keeps_a_reason_with_not_applicable_alone_and_the_database_refuses_the_rest(
    world, home_assessment
):
    activity_return = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=activity_return.pk,
        values=complete_values("implemented", not_applicable_reason="Typed, then hidden"),
        by=world.spoc,
        expected_revision=activity_return.revision,
    )
    activity_return.refresh_from_db()
    assert (activity_return.implementation_status, activity_return.not_applicable_reason) == (
        "implemented",
        "",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityReturn.objects.filter(pk=activity_return.pk).update(not_applicable_reason="Stray")


def test_the_migration_clears_reasons_kept_beside_another_status(world, home_assessment):
    """Saved before the rule held everywhere (a spreadsheet could keep one): cleared before the
    constraint is added, while a Not applicable reason stays. The constraint is set aside inside the
    test's transaction to plant the old data."""
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("assessments.migrations.0014_reason_only_when_not_applicable")
    table = ActivityReturn._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before ALTER
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT return_reason_only_when_not_applicable')
        else:
            cursor.execute("PRAGMA ignore_check_constraints = 1")
    try:
        ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG01").update(
            implementation_status="implemented", not_applicable_reason="Left from a spreadsheet"
        )
        ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG02").update(
            implementation_status="not_applicable", not_applicable_reason="No ports"
        )
    finally:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = 0")
    migration.clear_stray_reasons(apps, None)
    assert dict(
        ActivityReturn.objects.filter(assessment=home_assessment)
        .exclude(not_applicable_reason="")
        .values_list("activity__code", "not_applicable_reason")
    ) == {"LG02": "No ports"}


def _action_of(activity_return):
    assert activity_return.action_id is not None
    return Action.objects.get(pk=activity_return.action_id)


def _columns(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_save_works_on_the_rows_as_stored(world, home_assessment):
    # The save reads its rows through compiled reads (ops.prepared_reads) made into instances: each
    # column must come back exactly as the ORM reads it, JSON references and dates included.
    target = home_assessment.returns.get(activity__code="LG01")
    references = [{"title": "Policy <v2>", "location": "Intranet", "applies_on": "2026-10-01"}]
    first = activity_return_save(
        activity_return_id=target.pk,
        values=complete_values("in_progress", evidence_references=references),
        by=world.spoc,
        expected_revision=0,
    )
    saved = activity_return_save(
        activity_return_id=target.pk,
        values=complete_values("in_progress", evidence_references=references, evidence_summary="Changed"),
        by=world.spoc,
        expected_revision=first.revision,
    )
    assert _columns(saved) == _columns(ActivityReturn.objects.get(pk=target.pk))
    assert _columns(saved.assessment) == _columns(Assessment.objects.get(pk=home_assessment.pk))
    assert _columns(saved.action) == _columns(_action_of(saved))
    assert saved.evidence_references == references


def test_a_save_locks_the_assessment_the_return_and_the_action_and_nothing_else(world, home_assessment):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks (PostgreSQL runs this)")
    target = home_assessment.returns.get(activity__code="LG01")
    first = activity_return_save(
        activity_return_id=target.pk,
        values=complete_values("in_progress"),
        by=world.spoc,
        expected_revision=0,
    )
    with CaptureQueriesContext(connection) as captured:
        activity_return_save(
            activity_return_id=target.pk,
            values=complete_values("in_progress", evidence_summary="Changed"),
            by=world.spoc,
            expected_revision=first.revision,
        )
    locking = [query["sql"] for query in captured.captured_queries if "FOR UPDATE" in query["sql"]]
    tables = [sql.split(" FROM ", 1)[1].split()[0] for sql in locking]
    assert tables == ['"assessments_assessment"', '"assessments_activityreturn"', '"assessments_action"']
    # No join: FOR UPDATE without OF would lock every joined row too.
    assert not [sql for sql in locking if " JOIN " in sql]


def test_a_save_that_leaves_the_action_as_it_was_does_not_write_it(world, home_assessment):
    target = home_assessment.returns.get(activity__code="LG01")
    first = activity_return_save(
        activity_return_id=target.pk,
        values=complete_values("in_progress"),
        by=world.spoc,
        expected_revision=0,
    )
    before = _columns(_action_of(first))
    with CaptureQueriesContext(connection) as captured:
        second = activity_return_save(
            activity_return_id=target.pk,
            values=complete_values("in_progress", evidence_summary="Pilot extended"),
            by=world.spoc,
            expected_revision=first.revision,
        )
    assert second.action_id == first.action_id
    assert _columns(_action_of(first)) == before
    assert not [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "assessments_action"')]
    # A change to the action is still written, and a moved date still counts.
    third = activity_return_save(
        activity_return_id=target.pk,
        values=complete_values("in_progress", target_date=datetime.date(2027, 6, 30)),
        by=world.spoc,
        expected_revision=second.revision,
    )
    action = _action_of(third)
    assert action.target_date == datetime.date(2027, 6, 30) and action.target_moves == 1


def test_closing_an_action_locks_in_the_order_every_save_does(world, home_assessment):
    """The assessment, the return, then the action, before anything is written: a save of the same
    answer takes them in that order, so the two wait for each other rather than deadlock."""
    from assessments.actions import ActionClosure
    from assessments.services import action_close

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks (PostgreSQL runs this)")
    saved = activity_return_save(
        activity_return_id=home_assessment.returns.get(activity__code="LG01").pk,
        values=complete_values("in_progress"),
        by=world.spoc,
        expected_revision=0,
    )
    with CaptureQueriesContext(connection) as captured:
        action_close(action_id=saved.action_id, how=ActionClosure.DONE, by=world.spoc, note="Done")
    locking = [query["sql"] for query in captured.captured_queries if "FOR UPDATE" in query["sql"]]
    tables = [sql.split(" FROM ", 1)[1].split()[0] for sql in locking]
    assert tables == ['"assessments_assessment"', '"assessments_activityreturn"', '"assessments_action"']
    # No other table's rows: a join without FOR UPDATE OF would lock them too.
    assert all(" JOIN " not in sql or "FOR UPDATE OF" in sql for sql in locking)
