"""Emails in the admin, for system administrators: to whom, about what, whether each went, and why not.

Every email is a task (accounts.tasks.send_email_message); this lists those tasks as emails under
People and roles → Emails. It shows addresses, subject, attempt and the error, never the body: bodies
hold password-reset links, and workflow emails hold nothing more than their subject says anyway. A
failed email can be sent again from here (the action) or with `manage.py retry_failed_tasks`.

It lives in assessments, not accounts, because the admin's access rules are in assessments.permissions
and accounts imports nothing from assessments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import TaskResultStatus

from accounts.models import EmailDelivery
from accounts.tasks import MAX_ATTEMPTS, send_email_message
from assessments.dates import short_datetime
from assessments.permissions import access_for
from ops.task_queue import failed_tasks_requeue

DETAILS = ("enqueued_at", "outcome", "recipients", "subject", "attempt", "error", "finished_at", "id")


def _is_administrator(request: HttpRequest) -> bool:
    return access_for(request.user).is_administrator or bool(getattr(request.user, "is_superuser", False))


def _message(delivery: EmailDelivery) -> dict[str, Any]:
    kwargs = (delivery.args_kwargs or {}).get("kwargs", {})
    return kwargs if isinstance(kwargs, dict) else {}


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only list of email tasks, newest first, with a "Send again" action for failed ones."""

    list_display = ["enqueued_at", "outcome", "recipients", "subject", "attempt", "error"]
    list_filter = ["status"]
    ordering = ["-enqueued_at"]
    actions = ["send_again"]
    fields = DETAILS
    readonly_fields = DETAILS

    def get_queryset(self, request: HttpRequest) -> QuerySet[EmailDelivery]:
        return super().get_queryset(request).filter(task_path=send_email_message.module_path)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Pruned by `manage.py prune_db_task_results` (docs/operations.md), not by hand.
        return False

    @admin.display(description="outcome")
    def outcome(self, delivery: EmailDelivery) -> str:
        """What happened, in words: waiting, sending, sent, tried again later, or failed."""
        if delivery.status == TaskResultStatus.SUCCESSFUL:
            result = delivery.return_value if isinstance(delivery.return_value, dict) else {}
            if result.get("sent", 1):
                return "Sent"
            return f"Not sent: tried again as attempt {result.get('next_attempt', '?')}"
        if delivery.status == TaskResultStatus.FAILED:
            return "Failed"
        if delivery.status == TaskResultStatus.RUNNING:
            return "Sending"
        if delivery.run_after and delivery.run_after > timezone.now() and delivery.run_after.year < 9999:
            return f"Waiting until {short_datetime(delivery.run_after)}"
        return "Waiting"

    @admin.display(description="to")
    def recipients(self, delivery: EmailDelivery) -> str:
        """Every address the message goes to, copies included."""
        message = _message(delivery)
        return ", ".join([*message.get("recipient_list", []), *(message.get("cc") or [])])

    @admin.display(description="subject")
    def subject(self, delivery: EmailDelivery) -> str:
        return str(_message(delivery).get("subject", ""))

    @admin.display(description="attempt")
    def attempt(self, delivery: EmailDelivery) -> str:
        return f"{_message(delivery).get('attempt', 1)} of {MAX_ATTEMPTS}"

    @admin.display(description="error")
    def error(self, delivery: EmailDelivery) -> str:
        """The last line of the traceback (such as "ConnectionRefusedError: ..."), when it failed."""
        lines = [line for line in delivery.traceback.splitlines() if line.strip()]
        return lines[-1] if lines else ""

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[EmailDelivery]) -> None:
        """Put failed emails back on the queue (others are left alone), as retry_failed_tasks does."""
        requeued = failed_tasks_requeue(queryset)  # type: ignore[arg-type]
        messages.success(
            request, f"{len(requeued)} failed email{'' if len(requeued) == 1 else 's'} queued to send again."
        )
