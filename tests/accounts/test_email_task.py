"""Password reset email goes through the task queue: with the database backend it waits for a worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.tasks import send_email_message

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


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
