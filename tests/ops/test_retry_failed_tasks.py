"""manage.py retry_failed_tasks puts failed tasks back on the queue, and only failed ones."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def task_row(status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"recipient_list": ["sam@force.example"]}},
        task_path="accounts.tasks.send_email_message",
        backend_name="default",
        finished_at=timezone.now() if status in ("FAILED", "SUCCESSFUL") else None,
        exception_class_path="smtplib.SMTPServerDisconnected" if status == "FAILED" else "",
        traceback="Traceback ..." if status == "FAILED" else "",
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("retry_failed_tasks", *args, stdout=out)
    return out.getvalue()


def test_all_failed_tasks_are_requeued_in_place(db):
    failed, succeeded = task_row("FAILED"), task_row("SUCCESSFUL")
    output = run("--all")
    failed.refresh_from_db()
    succeeded.refresh_from_db()
    assert failed.status == "READY" and failed.traceback == "" and failed.finished_at is None
    assert succeeded.status == "SUCCESSFUL"
    assert "Re-queued 1 failed task(s)." in output
    assert "sam@force.example" not in output


def test_dry_run_changes_nothing(db):
    failed = task_row("FAILED")
    output = run("--all", "--dry-run")
    failed.refresh_from_db()
    assert failed.status == "FAILED"
    assert str(failed.id) in output


def test_named_ids_only(db):
    first, second = task_row("FAILED"), task_row("FAILED")
    run(str(first.id))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("READY", "FAILED")


@pytest.mark.parametrize(("args", "message"), [((), "or pass --all"), (("nope",), "is not a task id")])
def test_bad_arguments_are_explained(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("retry_failed_tasks", *args)
