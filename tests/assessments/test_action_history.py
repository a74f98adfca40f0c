"""Actions kept across rounds (issue 15): raised in a round, target moves counted, closed by the SPOC.

The decision for every save is assessments.actions.action_on_save (tested as a table first); the writes
in assessments.services follow it: a save, a SPOC marking an action done or replacing it, carrying
answers into a new round, and the bulk pass the data generator uses.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from assessments.actions import (
    ActionClosure,
    ActionState,
    ActionStep,
    ActionValues,
    action_on_save,
    action_state,
    is_open_action,
    open_action_q,
)
from assessments.models import Action, ActivityReturn, Assessment
from assessments.services import (
    ActionNotOpen,
    CannotReplaceNow,
    ReplacementNotAnAction,
    action_close,
    actions_from_returns,
    activity_return_save,
    round_open,
)
from tests.conftest import complete_values, sign_off_for_test

TODAY = datetime.date(2026, 11, 1)
PAST = datetime.date(2026, 6, 30)
LATER = datetime.date(2027, 3, 31)
STEP = ActionValues(next_steps="Train staff", action_owner="DCI Shaw", target_date=PAST)
MOVED = ActionValues(next_steps="Train staff", action_owner="DCI Shaw", target_date=LATER)
OTHER = ActionValues(next_steps="Write the policy", action_owner="DI Rao", target_date=LATER)
NO_ACTION = ActionValues(next_steps="", action_owner="", target_date=None)


@pytest.mark.parametrize(
    ("closed_as", "current", "saved", "status", "step", "moved", "closed_after"),
    [
        # No action yet: a next step below Implemented raises one; anything else raises nothing.
        (None, None, STEP, "in_progress", ActionStep.RAISE, False, ""),
        (None, None, STEP, "implemented", ActionStep.NOTHING, False, ""),
        (None, None, NO_ACTION, "planned", ActionStep.NOTHING, False, ""),
        # An open action follows the answer; a new date is a move; implemented closes it.
        ("", STEP, STEP, "in_progress", ActionStep.UPDATE, False, ""),
        ("", STEP, MOVED, "in_progress", ActionStep.UPDATE, True, ""),
        ("", STEP, OTHER, "planned", ActionStep.UPDATE, True, ""),
        ("", STEP, STEP, "implemented", ActionStep.UPDATE, False, "achieved"),
        ("", STEP, STEP, "embedded", ActionStep.UPDATE, False, "achieved"),
        # Dropping back below Implemented opens it again.
        ("achieved", STEP, STEP, "in_progress", ActionStep.UPDATE, False, ""),
        # Done or replaced stays closed while the answer still shows it; a new next step is a new action.
        ("done", STEP, STEP, "in_progress", ActionStep.KEEP_CLOSED, False, "done"),
        ("replaced", STEP, STEP, "in_progress", ActionStep.KEEP_CLOSED, False, "replaced"),
        ("done", STEP, OTHER, "in_progress", ActionStep.RAISE, False, ""),
        ("done", STEP, OTHER, "implemented", ActionStep.KEEP_CLOSED, False, "done"),
    ],
)
def test_what_a_save_does_to_an_action(closed_as, current, saved, status, step, moved, closed_after):
    decision = action_on_save(
        current_closed_as=closed_as, current=current, saved=saved, implementation_status=status
    )
    assert decision.step is step
    assert decision.target_moved is moved
    assert decision.closed_as == closed_after


@pytest.mark.parametrize(
    ("status", "closed_as", "target", "state"),
    [
        ("in_progress", "", PAST, ActionState.OVERDUE),  # Cumbria: below Implemented, past its date
        ("in_progress", "", LATER, ActionState.OPEN),
        ("in_progress", "", None, ActionState.OPEN),  # listed as "no target date"
        ("implemented", "", PAST, ActionState.NONE),  # Warwickshire: never overdue once implemented
        ("implemented", "achieved", PAST, ActionState.NONE),
        ("in_progress", "done", PAST, ActionState.DONE),  # done leaves the register, never overdue
        ("planned", "replaced", PAST, ActionState.REPLACED),
        ("", "", None, ActionState.NONE),
    ],
)
def test_an_actions_state_in_a_word(status, closed_as, target, state):
    values = {"next_steps": "Train staff", "action_owner": "DCI Shaw", "target_date": target}
    assert action_state(implementation_status=status, closed_as=closed_as, today=TODAY, **values) is state
    expected_open = state in (ActionState.OPEN, ActionState.OVERDUE)
    assert is_open_action(implementation_status=status, closed_as=closed_as, **values) is expected_open


def _save(assessment, by, code, **values):
    activity_return = assessment.returns.get(activity__code=code)
    return activity_return_save(
        activity_return_id=activity_return.pk,
        values=complete_values(**values),
        by=by,
        expected_revision=activity_return.revision,
    )


def test_a_save_raises_an_action_in_its_round_and_counts_target_moves(world, home_assessment):
    saved = _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST)
    action = saved.action
    assert action.raised_in == home_assessment.round
    assert (action.next_steps, action.target_date, action.target_moves) == (
        "Roll out to all districts",
        PAST,
        0,
    )
    _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST)
    _save(home_assessment, world.spoc, "LG01", status="planned", target_date=LATER)
    action.refresh_from_db()
    assert action.target_moves == 1 and action.target_date == LATER
    assert Action.objects.count() == 1


def test_implemented_closes_the_action_and_dropping_back_opens_it(world, home_assessment):
    action = _save(home_assessment, world.spoc, "LG01", status="in_progress").action
    _save(home_assessment, world.spoc, "LG01", status="implemented")
    action.refresh_from_db()
    assert action.closed_as == ActionClosure.ACHIEVED and action.closed_at is not None
    _save(home_assessment, world.spoc, "LG01", status="in_progress")
    action.refresh_from_db()
    assert action.closed_as == "" and action.closed_at is None


def test_done_leaves_the_register_with_who_and_when(world, home_assessment):
    action = _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST).action
    open_returns = ActivityReturn.objects.filter(open_action_q(), assessment=home_assessment)
    assert open_returns.count() == 1
    action_close(action_id=action.pk, how="done", by=world.spoc, note="Training delivered in October")
    action.refresh_from_db()
    assert action.closed_as == "done" and action.closed_by == world.spoc and action.closed_at
    assert action.close_note == "Training delivered in October"
    assert open_returns.count() == 0
    # Saving the answer again, unchanged, does not bring it back.
    _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST)
    assert open_returns.count() == 0
    with pytest.raises(ActionNotOpen):
        action_close(action_id=action.pk, how="done", by=world.spoc)


def test_only_the_forces_spoc_closes_its_actions(world, home_assessment):
    action = _save(home_assessment, world.spoc, "LG01", status="in_progress").action
    for person in (world.chief_officer, world.coordinator, world.national):
        with pytest.raises(PermissionDenied):
            action_close(action_id=action.pk, how="done", by=person)
    action.refresh_from_db()
    assert action.closed_as == ""


def test_replacing_writes_the_new_next_step_in_its_place(world, home_assessment):
    old = _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST).action
    closed = action_close(
        action_id=old.pk, how="replaced", by=world.spoc, note="Plan changed", replacement=OTHER
    )
    old.refresh_from_db()
    assert old.closed_as == "replaced" and old.replaced_by == closed.replacement
    current = home_assessment.returns.get(activity__code="LG01")
    assert current.action == closed.replacement
    assert (current.next_steps, current.action_owner, current.target_date) == (
        "Write the policy",
        "DI Rao",
        LATER,
    )
    assert closed.replacement.closed_as == "" and closed.replacement.target_moves == 0
    assert ActivityReturn.objects.filter(open_action_q(), assessment=home_assessment).get() == current


def test_a_replacement_without_an_owner_or_date_writes_nothing(world, home_assessment):
    old = _save(home_assessment, world.spoc, "LG01", status="in_progress").action
    with pytest.raises(ReplacementNotAnAction):
        action_close(
            action_id=old.pk,
            how="replaced",
            by=world.spoc,
            replacement=ActionValues(next_steps="Something", action_owner=" ", target_date=None),
        )
    old.refresh_from_db()
    assert old.closed_as == "" and Action.objects.count() == 1


def test_replacing_needs_an_editable_assessment_but_done_does_not(world, home_assessment):
    old = _save(home_assessment, world.spoc, "LG01", status="in_progress").action
    sign_off_for_test(home_assessment, world.coordinator)
    with pytest.raises(CannotReplaceNow):
        action_close(action_id=old.pk, how="replaced", by=world.spoc, replacement=OTHER)
    old.refresh_from_db()
    assert old.closed_as == "" and Action.objects.count() == 1
    action_close(action_id=old.pk, how="done", by=world.spoc)
    old.refresh_from_db()
    assert old.closed_as == "done"


def test_the_database_refuses_two_open_actions_and_a_closure_without_a_time(world, home_assessment):
    action = _save(home_assessment, world.spoc, "LG01", status="in_progress").action
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(
            force=action.force, activity=action.activity, raised_in=action.raised_in, next_steps="Again"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(closed_as="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(closed_as="replaced", closed_at=action.raised_at)


def test_carry_forward_keeps_raised_in_and_moves(world, home_assessment, action_plan):
    first = home_assessment.round
    _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST)
    action = _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=LATER).action
    done = _save(home_assessment, world.spoc, "LG02", status="planned").action
    action_close(action_id=done.pk, how="done", by=world.spoc)
    sign_off_for_test(home_assessment, world.coordinator)
    spring = round_open(
        name="Spring 27",
        plan=action_plan,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 1),
        opened_by=world.national,
    ).round
    carried = Assessment.objects.get(force=world.home_force, round=spring)
    lg01 = carried.returns.get(activity__code="LG01")
    assert lg01.carried_forward and lg01.action == action
    assert lg01.action.raised_in == first and lg01.action.target_moves == 1
    # A done action stays done in the new round, and off the register.
    assert carried.returns.get(activity__code="LG02").action == done
    assert list(
        ActivityReturn.objects.filter(open_action_q(), assessment=carried).values_list(
            "activity__code", flat=True
        )
    ) == ["LG01"]
    # Moving the date again in the new round counts on the same action.
    saved = _save(carried, world.spoc, "LG01", status="in_progress", target_date=datetime.date(2027, 6, 1))
    assert saved.action == action
    action.refresh_from_db()
    assert action.target_moves == 2 and action.raised_in == first


def test_the_bulk_pass_follows_the_same_rule_as_a_save(world, home_assessment, action_plan):
    """The generator writes answers in bulk; actions_from_returns gives them the actions a save would."""
    first = home_assessment.round
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG01").update(
        implementation_status="in_progress", next_steps="Train staff", action_owner="DCI", target_date=PAST
    )
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG02").update(
        implementation_status="implemented", next_steps="Old plan", action_owner="DCI", target_date=PAST
    )
    sign_off_for_test(home_assessment, world.coordinator)
    spring = round_open(
        name="Spring 27",
        plan=action_plan,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 1),
        opened_by=world.national,
    ).round
    ActivityReturn.objects.filter(assessment__round=spring, activity__code="LG01").update(target_date=LATER)
    assert actions_from_returns(force_ids=[world.home_force.pk]) == 1
    action = Action.objects.get()
    assert (action.activity.code, action.raised_in, action.target_moves) == ("LG01", first, 1)
    assert ActivityReturn.objects.filter(action=action).count() == 2
    # Running it again raises nothing more.
    assert actions_from_returns(force_ids=[world.home_force.pk]) == 0


def test_the_data_migration_raises_actions_from_open_next_steps(world, home_assessment, action_plan):
    """Existing answers get the actions a save would have given them, in a fixed number of queries."""
    import importlib

    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    migration = importlib.import_module("assessments.migrations.0010_action_register")
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG01").update(
        implementation_status="in_progress", next_steps="Train staff", action_owner="DCI", target_date=PAST
    )
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG02").update(
        implementation_status="embedded", next_steps="Stale", action_owner="DCI", target_date=PAST
    )
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG03").update(
        implementation_status="planned", next_steps="Words alone", action_owner="", target_date=None
    )
    sign_off_for_test(home_assessment, world.coordinator)
    spring = round_open(
        name="Spring 27",
        plan=action_plan,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 1),
        opened_by=world.national,
    ).round
    ActivityReturn.objects.filter(assessment__round=spring, activity__code="LG01").update(target_date=LATER)
    with CaptureQueriesContext(connection) as captured:
        migration.actions_from_open_next_steps(apps, None)
    assert len(captured) <= 8, len(captured)
    action = Action.objects.get()
    assert (action.activity.code, action.raised_in, action.target_moves, action.closed_as) == (
        "LG01",
        home_assessment.round,
        1,
        "",
    )
    assert set(ActivityReturn.objects.filter(action=action).values_list("assessment__round", flat=True)) == {
        home_assessment.round_id,
        spring.pk,
    }


def test_the_force_report_leaves_out_actions_marked_done(world, home_assessment):
    from assessments.reports.data import force_report_data

    action = _save(home_assessment, world.spoc, "LG01", status="in_progress", target_date=PAST).action
    _save(home_assessment, world.spoc, "LG02", status="in_progress", target_date=PAST)
    assert [a.code for a in force_report_data(assessment=home_assessment, today=TODAY).overdue] == [
        "LG01",
        "LG02",
    ]
    action_close(action_id=action.pk, how="done", by=world.spoc)
    assert [a.code for a in force_report_data(assessment=home_assessment, today=TODAY).overdue] == ["LG02"]


@pytest.mark.parametrize(
    ("next_steps", "owner", "target"),
    [
        ("Train staff", "DCI Shaw", None),
        (" \t\n", "DCI Shaw", PAST),  # blank next steps: nothing to do
        ("Train staff", "\u00a0\u2003\n", None),  # blank owner, no date: commits nobody
        ("Train staff", "\u00a0", PAST),
        ("\ufeff Train", "", PAST),
        ("", "", None),
    ],
)
def test_the_query_and_the_python_rule_agree_on_blank_text(world, home_assessment, next_steps, owner, target):
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG01").update(
        implementation_status="in_progress", next_steps=next_steps, action_owner=owner, target_date=target
    )
    in_database = ActivityReturn.objects.filter(
        open_action_q(), assessment=home_assessment, activity__code="LG01"
    ).exists()
    in_python = is_open_action(
        implementation_status="in_progress", next_steps=next_steps, action_owner=owner, target_date=target
    )
    assert in_database is in_python
