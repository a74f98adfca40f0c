"""Workflow: submission by the table, the right actor, completeness, events, email after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from assessments import workflow
from assessments.models import Assessment, AssessmentEvent
from assessments.services import activity_return_save
from assessments.status import ALLOWED_TRANSITIONS, WorkflowStatus
from tests.conftest import complete_values


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
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.coordinator.email]  # not the other region's coordinator
    assert "Cleveland Police has submitted" in mail.outbox[0].subject


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
    """A grep guard: only workflow.py writes Assessment.status."""
    import re

    from msoic.settings.env import BASE_DIR

    offenders = []
    for path in list((BASE_DIR / "assessments").rglob("*.py")) + list((BASE_DIR / "accounts").rglob("*.py")):
        if path.name == "workflow.py" or "migrations" in path.parts:
            continue
        text = path.read_text()
        # Attribute assignment (x.status = ...) or a bulk update(status=...) anywhere else is a bypass.
        if re.search(r"\w\.status\s*=[^=]|\.update\([^)]*\bstatus\s*=", text):
            offenders.append(str(path))
    assert offenders == []
