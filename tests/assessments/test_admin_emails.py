"""People and roles → Emails: administrators see each email's addresses, subject and error, never its body."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from tests.factories import verified_staff_login
from tests.mail_relays import EMAIL_TASK

CHANGELIST = "admin:accounts_emaildelivery_changelist"
RESET_TOKEN = "set-password-token-abc123"
REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"


def email_task(status, *, to, subject, body="Body", attempt=1, **fields):
    finished = status in ("FAILED", "SUCCESSFUL")
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={
            "args": [],
            "kwargs": {
                "subject": subject,
                "body": body,
                "from_email": None,
                "recipient_list": to,
                "cc": [],
                "html_body": None,
                "attempt": attempt,
            },
        },
        task_path=EMAIL_TASK,
        backend_name="default",
        finished_at=timezone.now() if finished else None,
        **fields,
    )


@pytest.fixture
def emails(world):
    failed = email_task(
        "FAILED",
        to=[world.coordinator.email],
        subject="Cleveland Police has submitted its 2026-27 autumn review assessment (version 1)",
        attempt=5,
        exception_class_path="builtins.ConnectionRefusedError",
        traceback="Traceback (most recent call last):\n  ...\n" + REFUSED,
    )
    sent = email_task(
        "SUCCESSFUL",
        to=[world.spoc.email],
        subject="Reset your password for the modern slavery self-assessment service",
        body=f"https://msoic.example.police.uk/account/password-reset/MQ/{RESET_TOKEN}/",
        return_value={"sent": 1},
    )
    DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {"pack_id": 1}},
        task_path="assessments.reports.tasks.make_report_pack",
        backend_name="default",
    )
    return failed, sent


def test_an_administrator_sees_to_whom_about_what_and_why_it_failed_but_no_body(client, world, emails):
    failed, sent = emails
    verified_staff_login(client, world.administrator)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert world.coordinator.email in html and "has submitted its 2026-27 autumn review assessment" in html
    assert REFUSED in html
    assert "Failed" in html and "Sent" in html and "5 of 5" in html
    assert RESET_TOKEN not in html and "make_report_pack" not in html
    detail = client.get(reverse("admin:accounts_emaildelivery_change", args=[sent.pk])).content.decode()
    assert world.spoc.email in detail and RESET_TOKEN not in detail


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NATIONAL])
def test_other_staff_do_not_see_emails(client, world, emails, role):
    verified_staff_login(client, world.user(role))
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert reverse(CHANGELIST) not in client.get(reverse("admin:index")).content.decode()


def test_send_again_requeues_failed_emails_only(client, world, emails):
    failed, sent = emails
    verified_staff_login(client, world.administrator)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "send_again", "_selected_action": [str(failed.pk), str(sent.pk)]},
        follow=True,
    )
    assert "1 failed email queued to send again." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.traceback, sent.status) == ("READY", "", "SUCCESSFUL")
