"""Workflow: submission by the table, the right actor, completeness, events, email after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from assessments import workflow
from assessments.models import ActivityReturn, Assessment, AssessmentEvent
from assessments.services import activity_return_save
from assessments.status import ALLOWED_TRANSITIONS, WorkflowStatus
from tests.assessments.workflow_states import call, first_code, make_complete, put_in_status, returns_state
from tests.conftest import complete_values
from tests.factories import user_with_role


def complete_everything(assessment, user):
    for activity_return in assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk, values=complete_values(), by=user, expected_revision=0
        )


def test_the_transition_table_is_the_designed_workflow():
    assert {
        WorkflowStatus.DRAFT: {WorkflowStatus.SUBMITTED},
        WorkflowStatus.SUBMITTED: {WorkflowStatus.RETURNED, WorkflowStatus.SIGNED_OFF},
        WorkflowStatus.RETURNED: {WorkflowStatus.SUBMITTED},
        WorkflowStatus.SIGNED_OFF: {WorkflowStatus.DRAFT},
    } == ALLOWED_TRANSITIONS


def test_submission_is_refused_until_every_activity_is_complete(world, home_assessment):
    first = home_assessment.returns.order_by("activity__area__number", "activity__order").first()
    activity_return_save(
        activity_return_id=first.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    with pytest.raises(workflow.IncompleteAssessment) as raised:
        workflow.submit(home_assessment, by=world.spoc)
    assert len(raised.value.incomplete) == home_assessment.returns.count() - 1
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.DRAFT
    assert not AssessmentEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_submitting_writes_one_event_and_emails_coordinators_after_commit(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED
    assert home_assessment.submitted_by == world.spoc
    event = AssessmentEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor, event.actor_role) == (
        "draft",
        "submitted",
        world.spoc,
        "Force SPOC",
    )
    # Issue 18 adds the submitting SPOC's receipt after the coordinators' message.
    for_review, receipt = mail.outbox
    assert for_review.to == [world.coordinator.email]  # not the other region's coordinator
    assert "Cleveland Police has submitted" in for_review.subject
    assert receipt.to == [world.spoc.email]


def test_no_email_leaves_when_the_transaction_rolls_back(
    world, home_assessment, django_capture_on_commit_callbacks
):
    complete_everything(home_assessment, world.spoc)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(home_assessment, by=world.spoc)
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.parametrize("role", [Role.CHIEF_OFFICER, Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR])
def test_only_the_forces_spoc_submits(world, home_assessment, role):
    complete_everything(home_assessment, world.spoc)
    with pytest.raises(PermissionDenied):
        workflow.submit(home_assessment, by=world.user(role))
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.DRAFT


@pytest.mark.parametrize("status", [WorkflowStatus.SUBMITTED, WorkflowStatus.SIGNED_OFF])
def test_submitting_from_the_wrong_state_is_an_invalid_transition(world, home_assessment, status):
    Assessment.objects.filter(pk=home_assessment.pk).update(
        status=status, signed_off_by=world.coordinator, signed_off_at="2026-11-01T10:00Z"
    )
    with pytest.raises(workflow.InvalidTransition):
        workflow.submit(home_assessment, by=world.spoc)
    assert not AssessmentEvent.objects.exists()


def test_events_are_append_only(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    event = AssessmentEvent.objects.get()
    event.comment = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_nothing_outside_workflow_assigns_a_status():
    """A syntax-tree guard: only workflow.py writes Assessment.status, in any form (tests/status_guard.py)."""
    from msoic.settings.env import BASE_DIR
    from tests.status_guard import GUARDED, offending_writes

    assessment_status = [guarded for guarded in GUARDED if guarded.model == "Assessment"]
    assert assessment_status[0].writer == "assessments/workflow.py"
    offenders = [str(write) for write in offending_writes(BASE_DIR, assessment_status)]
    assert offenders == []


# --- Returning for changes ---


@pytest.fixture
def submitted(world, home_assessment):
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SUBMITTED, world=world)
    return home_assessment


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_return_needs_a_reason(world, submitted, reason):
    with pytest.raises(workflow.ReturnNeedsReason):
        workflow.return_for_changes(
            submitted, by=world.coordinator, reason=reason, activity_comments={first_code(submitted): "Fix"}
        )
    submitted.refresh_from_db()
    assert submitted.status == WorkflowStatus.SUBMITTED
    assert not AssessmentEvent.objects.exists()


def test_a_return_needs_at_least_one_activity(world, submitted):
    with pytest.raises(workflow.ReturnNeedsActivities):
        workflow.return_for_changes(submitted, by=world.coordinator, reason="Thin", activity_comments={})
    submitted.refresh_from_db()
    assert submitted.status == WorkflowStatus.SUBMITTED
    assert not AssessmentEvent.objects.exists()


def test_a_return_refuses_activities_not_in_the_assessment(world, submitted):
    before = returns_state(submitted)
    with pytest.raises(workflow.ReturnNeedsActivities) as raised:
        workflow.return_for_changes(
            submitted,
            by=world.coordinator,
            reason="Thin",
            activity_comments={first_code(submitted): "Fix", "ZZ99": "No such activity"},
        )
    assert raised.value.unknown == ["ZZ99"]
    submitted.refresh_from_db()
    assert submitted.status == WorkflowStatus.SUBMITTED
    assert returns_state(submitted) == before
    assert not AssessmentEvent.objects.exists()


def test_a_return_opens_only_the_marked_activities_and_stores_the_comments(world, submitted):
    returns = list(
        submitted.returns.select_related("activity").order_by("activity__area__number", "activity__order")
    )
    first, second, untouched = returns[0], returns[1], returns[2:]
    ActivityReturn.objects.filter(pk=untouched[0].pk).update(coordinator_comment="From an earlier review")

    workflow.return_for_changes(
        submitted,
        by=world.coordinator,
        reason="  Two activities need more evidence  ",
        activity_comments={first.activity.code: "Add the policy", second.activity.code: "Date the training"},
    )

    submitted.refresh_from_db()
    assert submitted.status == WorkflowStatus.RETURNED
    opened = dict(
        submitted.returns.filter(reopened_for_changes=True).values_list(
            "activity__code", "coordinator_comment"
        )
    )
    assert opened == {first.activity.code: "Add the policy", second.activity.code: "Date the training"}
    untouched_now = ActivityReturn.objects.get(pk=untouched[0].pk)
    assert (untouched_now.reopened_for_changes, untouched_now.coordinator_comment) == (
        False,
        "From an earlier review",
    )
    event = AssessmentEvent.objects.get()
    assert event.comment == "Two activities need more evidence"
    assert event.actor_role == "Regional coordinator"
    # Only the marked activities can be edited by the SPOC now.
    first_now = ActivityReturn.objects.get(pk=first.pk)
    activity_return_save(
        activity_return_id=first.pk,
        values=complete_values(),
        by=world.spoc,
        expected_revision=first_now.revision,
    )
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=untouched[0].pk,
            values=complete_values(),
            by=world.spoc,
            expected_revision=untouched_now.revision,
        )


def test_a_reopen_needs_a_reason(world, home_assessment):
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SIGNED_OFF, world=world)
    with pytest.raises(workflow.ReopenNeedsReason):
        workflow.reopen(home_assessment, by=world.national, reason="  ")
    home_assessment.refresh_from_db()
    assert (home_assessment.status, home_assessment.version) == (WorkflowStatus.SIGNED_OFF, 1)
    assert not AssessmentEvent.objects.exists()


def test_reopening_clears_the_sign_off_and_starts_a_new_version(world, home_assessment):
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SIGNED_OFF, world=world)
    workflow.reopen(home_assessment, by=world.administrator, reason="Wrong force data")
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.DRAFT
    assert home_assessment.version == 2
    assert (
        home_assessment.signed_off_by,
        home_assessment.signed_off_at,
        home_assessment.signed_off_role,
    ) == (
        None,
        None,
        "",
    )
    assert (home_assessment.submitted_by, home_assessment.submitted_at) == (None, None)
    event = AssessmentEvent.objects.get()
    assert (event.version, event.comment, event.actor_role) == (2, "Wrong force data", "System administrator")
    # The answers carry on from the signed-off version.
    assert not home_assessment.returns.filter(is_complete=False).exists()


# --- Email goes after commit, to the right people ---

NEIGHBOUR_SPOC = "neighbour.spoc@force.example"


@pytest.mark.parametrize(
    ("transition", "starting", "actor", "recipients", "subject"),
    [
        (
            "return_for_changes",
            WorkflowStatus.SUBMITTED,
            "coordinator",
            ["spoc@force.example"],
            "returned for changes",
        ),
        (
            "sign_off",
            WorkflowStatus.SUBMITTED,
            "coordinator",
            ["chief@force.example", "spoc@force.example"],
            "has been signed off",
        ),
        ("reopen", WorkflowStatus.SIGNED_OFF, "national", ["spoc@force.example"], "has been reopened"),
    ],
)
def test_email_goes_only_after_commit_to_the_force(
    world,
    home_assessment,
    django_capture_on_commit_callbacks,
    transition,
    starting,
    actor,
    recipients,
    subject,
):
    user_with_role(Role.SPOC, force=world.neighbour_force, email=NEIGHBOUR_SPOC)
    make_complete(home_assessment)
    put_in_status(home_assessment, starting, world=world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call(transition, home_assessment, getattr(world, actor))
    # A sign-off also queues the render of its PDF, after the email (assessments/reports/renders.py).
    assert len(callbacks) == (2 if transition == "sign_off" else 1)
    assert mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == recipients
    assert subject in mail.outbox[0].subject
    assert (
        reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk}) in mail.outbox[0].body
    )


def test_a_refused_transition_queues_no_email(world, home_assessment, django_capture_on_commit_callbacks):
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SUBMITTED, world=world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        workflow.sign_off(home_assessment, by=world.national)
    assert callbacks == []
    assert mail.outbox == []


# --- Replaying history (the national data generator) ---


def test_a_replayed_review_is_dated_in_the_past_and_emails_nobody(
    world, home_assessment, django_capture_on_commit_callbacks
):
    """`at` dates each transition, its event, the returns' history and the snapshot; no email is queued."""
    import datetime

    from assessments.models import AssessmentSnapshot

    submitted_at = datetime.datetime(2024, 3, 4, 10, 0, tzinfo=datetime.UTC)
    returned_at = submitted_at + datetime.timedelta(days=2)
    resubmitted_at = returned_at + datetime.timedelta(days=3)
    signed_off_at = resubmitted_at + datetime.timedelta(days=1)
    make_complete(home_assessment)
    code = first_code(home_assessment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.submit(home_assessment, by=world.spoc, at=submitted_at)
        workflow.return_for_changes(
            home_assessment,
            by=world.coordinator,
            reason="Thin",
            activity_comments={code: "Fix"},
            at=returned_at,
        )
        workflow.submit(home_assessment, by=world.spoc, at=resubmitted_at)
        workflow.sign_off(home_assessment, by=world.coordinator, at=signed_off_at)
    assert callbacks == [] and mail.outbox == []
    home_assessment.refresh_from_db()
    assert (home_assessment.submitted_at, home_assessment.signed_off_at) == (resubmitted_at, signed_off_at)
    assert list(AssessmentEvent.objects.values_list("to_status", "created_at")) == [
        (WorkflowStatus.SUBMITTED, submitted_at),
        (WorkflowStatus.RETURNED, returned_at),
        (WorkflowStatus.SUBMITTED, resubmitted_at),
        (WorkflowStatus.SIGNED_OFF, signed_off_at),
    ]
    assert AssessmentSnapshot.objects.get().created_at == signed_off_at
    reopened = ActivityReturn.history.filter(
        assessment_id=home_assessment.pk, activity__code=code, reopened_for_changes=True
    ).get()
    assert (reopened.history_date, reopened.history_user) == (returned_at, world.coordinator)


def test_a_live_transition_dates_its_fields_and_event_alike(world, home_assessment):
    """Without `at` the transition takes the time once, so the event and the sign-off agree exactly."""
    make_complete(home_assessment)
    put_in_status(home_assessment, WorkflowStatus.SUBMITTED, world=world)
    signed = workflow.sign_off(home_assessment, by=world.coordinator)
    assert AssessmentEvent.objects.get().created_at == signed.signed_off_at


# --- Separation of duties (issue 21 item 2) ---


def _fresh(user):
    """The user re-read, so memberships changed in the test are seen (access is cached per object)."""
    return type(user).objects.get(pk=user.pk)


def _also_coordinator(world, user):
    Membership.objects.create(user=user, role=Role.COORDINATOR, region=world.home_region)
    return _fresh(user)


@pytest.mark.parametrize("decide", ["sign_off", "return_for_changes"])
def test_a_spoc_who_is_also_the_regions_coordinator_cannot_decide_on_their_own_force(
    world, home_assessment, decide
):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    both = _also_coordinator(world, world.spoc)
    with pytest.raises(PermissionDenied, match="You hold a role in this force"):
        call(decide, home_assessment, both)
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED


def test_a_chief_officer_of_the_force_who_coordinates_the_region_cannot_sign_off(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    chief = _also_coordinator(world, world.chief_officer)
    with pytest.raises(PermissionDenied, match="You hold a role in this force"):
        workflow.sign_off(home_assessment, by=chief)


def test_whoever_submitted_the_version_cannot_sign_it_off_after_leaving_the_force(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    Membership.objects.filter(user=world.spoc).delete()
    former_spoc = _also_coordinator(world, world.spoc)
    with pytest.raises(PermissionDenied, match="You submitted or edited this version"):
        workflow.sign_off(home_assessment, by=former_spoc)


def test_whoever_edited_a_return_in_the_version_cannot_sign_it_off(world, home_assessment):
    editor = user_with_role(Role.SPOC, force=world.home_force, email="editor@force.example")
    first = home_assessment.returns.order_by("pk").first()
    activity_return_save(
        activity_return_id=first.pk, values=complete_values(), by=editor, expected_revision=0
    )
    complete_everything_else = home_assessment.returns.exclude(pk=first.pk)
    for activity_return in complete_everything_else:
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=world.spoc,
            expected_revision=0,
        )
    workflow.submit(home_assessment, by=world.spoc)
    Membership.objects.filter(user=editor).delete()
    former_editor = _also_coordinator(world, editor)
    with pytest.raises(PermissionDenied, match="You submitted or edited this version"):
        workflow.sign_off(home_assessment, by=former_editor)
    # A coordinator with no part in the version signs off as before.
    workflow.sign_off(home_assessment, by=world.coordinator)


def test_a_coordinator_who_returned_the_version_may_still_sign_off_the_resubmission(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    workflow.return_for_changes(
        home_assessment,
        by=world.coordinator,
        reason="Fix",
        activity_comments={first_code(home_assessment): "x"},
    )
    workflow.submit(home_assessment, by=world.spoc)
    signed = workflow.sign_off(home_assessment, by=world.coordinator)
    assert signed.status == WorkflowStatus.SIGNED_OFF


def test_edits_in_an_earlier_version_do_not_bar_a_decision_on_the_next(world, home_assessment):
    complete_everything(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    workflow.sign_off(home_assessment, by=world.coordinator)
    workflow.reopen(home_assessment, by=world.national, reason="New evidence")
    successor = user_with_role(Role.SPOC, force=world.home_force, email="successor@force.example")
    workflow.submit(home_assessment, by=successor)
    Membership.objects.filter(user=world.spoc).delete()
    former_spoc = _also_coordinator(world, world.spoc)
    assert workflow.sign_off(home_assessment, by=former_spoc).status == WorkflowStatus.SIGNED_OFF


def _version_events(assessment):
    return list(AssessmentEvent.objects.filter(assessment=assessment).order_by("created_at", "pk"))


def test_the_separation_of_duties_answers_the_same_from_events_the_page_read_or_from_the_database(
    world, home_assessment
):
    """The review page passes the events it has read to decision_conflict; the workflow lets it read
    them. Both must give the same answer for the submitter, an editor, an unrelated coordinator, and
    after a reopen (when only edits in the new version count)."""
    from assessments.permissions import OWN_WORK, decision_conflict

    editor = user_with_role(Role.SPOC, force=world.home_force, email="editor@force.example")
    first = home_assessment.returns.order_by("pk").first()
    activity_return_save(
        activity_return_id=first.pk, values=complete_values(), by=editor, expected_revision=0
    )
    for activity_return in home_assessment.returns.exclude(pk=first.pk):
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=world.spoc,
            expected_revision=0,
        )
    workflow.submit(home_assessment, by=world.spoc)
    Membership.objects.filter(user__in=[editor, world.spoc]).delete()
    former_editor, former_spoc = _also_coordinator(world, editor), _also_coordinator(world, world.spoc)

    def both_ways(user):
        assessment = Assessment.objects.get(pk=home_assessment.pk)
        return decision_conflict(user, assessment), decision_conflict(
            user, assessment, events=_version_events(assessment)
        )

    assert both_ways(former_spoc) == (OWN_WORK, OWN_WORK)
    assert both_ways(former_editor) == (OWN_WORK, OWN_WORK)
    assert both_ways(world.coordinator) == (None, None)
    workflow.sign_off(home_assessment, by=world.coordinator)
    workflow.reopen(home_assessment, by=world.national, reason="New evidence")
    successor = user_with_role(Role.SPOC, force=world.home_force, email="successor@force.example")
    workflow.submit(home_assessment, by=successor)
    # Version 2: the earlier submitter and editor did nothing in it.
    assert both_ways(former_spoc) == (None, None)
    assert both_ways(former_editor) == (None, None)
