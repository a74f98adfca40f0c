"""The email task: queued, sent by the worker, retried while the relay is down, failed after the last try."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tasks import MAX_ATTEMPTS, RETRY_DELAYS, send_email_message
from tests.mail_relays import (
    DATABASE_TASKS,
    EMAIL_TASK,
    closed_port,
    email_tasks,
    run_worker,
    smtp_settings,
    stub_relay,
)


def test_the_task_sends_one_message(db):
    send_email_message.enqueue(
        subject="Hello",
        body="Body",
        from_email=None,
        recipient_list=["a@force.example"],
        html_body="<p>Body</p>",
    )
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == ("Hello", "Body", ["a@force.example"])
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_reset_request_is_queued_and_sent_by_the_worker(client, world):
    response = client.post(reverse("password_reset"), {"email": world.spoc.email})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    [queued] = DBTaskResult.objects.all()
    assert (queued.status, queued.task_path) == ("READY", "accounts.tasks.send_email_message")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    [message] = mail.outbox
    assert message.to == [world.spoc.email]
    assert "/account/password-reset/" in message.body


# --- Retries: a relay that is down is tried again later, and only the last attempt fails ---


def queue_one(**overrides):
    kwargs = {"subject": "Hello", "body": "Body", "from_email": None, "recipient_list": ["a@force.example"]}
    send_email_message.enqueue(**{**kwargs, **overrides})


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_refused_connection_queues_the_next_attempt_after_a_pause():
    with smtp_settings(closed_port()):
        queue_one()
        before = timezone.now()
        run_worker()
    first, retry = email_tasks()
    assert first.status == "SUCCESSFUL" and first.return_value["sent"] == 0
    assert first.return_value["next_attempt"] == 2
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["kwargs"]["recipient_list"] == ["a@force.example"]
    assert before + RETRY_DELAYS[0] <= retry.run_after <= timezone.now() + RETRY_DELAYS[0]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_last_attempt_fails_with_its_error_and_retry_failed_tasks_sends_it():
    with smtp_settings(closed_port()):
        queue_one(attempt=MAX_ATTEMPTS)
        run_worker()
    [failed] = email_tasks()
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"

    call_command("retry_failed_tasks", "--all", "--task", EMAIL_TASK, stdout=StringIO())
    with stub_relay() as relay, smtp_settings(relay.port):
        run_worker()
        run_worker()  # nothing left: a second pass sends nothing more
    [sent] = email_tasks()
    assert sent.status == "SUCCESSFUL" and sent.return_value == {"sent": 1}
    [message] = relay.messages
    assert message.recipients == ["a@force.example"]


def test_a_backend_that_cannot_wait_fails_at_once(db):
    """The immediate backend (tests) cannot run a task later: no retry, the task just fails."""
    with smtp_settings(closed_port()):
        result = send_email_message.enqueue(
            subject="Hello", body="Body", from_email=None, recipient_list=["a@force.example"]
        )
    assert result.status == "FAILED"
    assert mail.outbox == []
