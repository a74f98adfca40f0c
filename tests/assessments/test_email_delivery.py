"""Workflow email meets a real mail relay: refusing, hung, working. The change is always kept, the request
never touches the relay, and every message arrives exactly once when the relay is back.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...), with the database task backend the
service runs in production and Django's SMTP backend aimed at relays on 127.0.0.1 (tests/mail_relays.py).
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import Assessment
from assessments.status import WorkflowStatus
from tests.assessments.workflow_states import make_complete
from tests.mail_relays import (
    DATABASE_TASKS,
    closed_port,
    email_tasks,
    run_worker,
    silent_relay,
    smtp_settings,
    stub_relay,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def database_tasks():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def submit(client, world, assessment):
    make_complete(assessment)
    client.force_login(world.spoc)
    return client.post(
        reverse("assessments:submit", kwargs={"assessment_id": assessment.pk}), {"declaration": "on"}
    )


def make_retries_due():
    """Stand in for the minutes a retry waits."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_with_the_relay_refusing_the_submission_is_kept_and_sent_once_the_relay_is_back(
    client, world, home_assessment
):
    with smtp_settings(closed_port()):
        response = submit(client, world, home_assessment)
        assert response.status_code == 302
        assert response.url == reverse("assessments:submitted", kwargs={"assessment_id": home_assessment.pk})
        assert Assessment.objects.get(pk=home_assessment.pk).status == WorkflowStatus.SUBMITTED
        queued = email_tasks()
        assert [task.status for task in queued] == ["READY", "READY"]  # review request and receipt

        run_worker()  # the relay refuses: each message is put back for later, none is lost
    assert sorted(task.status for task in email_tasks()) == ["READY", "READY", "SUCCESSFUL", "SUCCESSFUL"]

    with stub_relay() as relay, smtp_settings(relay.port):
        make_retries_due()
        run_worker()
        make_retries_due()
        run_worker()  # a second pass finds nothing more to send
    received = sorted(message.recipients[0] for message in relay.messages)
    assert received == sorted([world.coordinator.email, world.spoc.email])
    assert {task.status for task in email_tasks()} == {"SUCCESSFUL"}


def test_with_the_relay_hanging_the_request_never_connects_and_the_worker_gives_up_and_retries(
    client, world, home_assessment
):
    with silent_relay() as relay, smtp_settings(relay.port, timeout=1):
        response = submit(client, world, home_assessment)
        assert response.status_code == 302
        assert relay.connections == []  # the request queued its email and left the relay alone
        run_worker()
        assert len(relay.connections) == 2
    first_attempts = [task for task in email_tasks() if task.status == "SUCCESSFUL"]
    assert [task.return_value["sent"] for task in first_attempts] == [0, 0]
    retries = [task for task in email_tasks() if task.status == "READY"]
    assert [task.args_kwargs["kwargs"]["attempt"] for task in retries] == [2, 2]
    assert all(task.run_after > timezone.now() for task in retries)


def test_with_the_relay_working_each_message_arrives_once_with_its_link(client, world, home_assessment):
    with stub_relay() as relay, smtp_settings(relay.port):
        submit(client, world, home_assessment)
        assert relay.messages == []  # nothing is sent from the request
        run_worker()
        run_worker()
    by_recipient = {message.recipients[0]: message.data for message in relay.messages}
    assert len(relay.messages) == 2
    review = reverse("admin:assessments_assessment_review", args=[home_assessment.pk])
    assert f"http://testserver{review}" in by_recipient[world.coordinator.email]
    assert "Subject: Received: Cleveland Police's" in by_recipient[world.spoc.email]


def test_a_rolled_back_change_leaves_no_email_task(world, home_assessment):
    from django.db import transaction

    from assessments import workflow

    make_complete(home_assessment)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit(home_assessment, by=world.spoc)
        assert len(email_tasks()) == 2  # queued inside the change's transaction...
        raise RuntimeError("something later in the same transaction fails")
    assert email_tasks() == []  # ...and gone with it
    assert Assessment.objects.get(pk=home_assessment.pk).status == WorkflowStatus.DRAFT
