"""Put failed background tasks back on the queue: shared by `manage.py retry_failed_tasks` and the admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet


def failed_tasks_requeue(
    tasks: DBTaskResultQuerySet, *, dry_run: bool = False
) -> list[DBTaskResult[Any, Any]]:
    """Re-queue the failed tasks among `tasks`, in place, and return them (oldest failure first).

    Each keeps its id and arguments; the next free worker runs it again. Tasks in any other state are
    left alone, so a task that is waiting, running or done is never run twice by this.
    """
    with transaction.atomic():
        rows = list(tasks.failed().select_for_update().order_by("finished_at"))
        if not dry_run:
            DBTaskResult.objects.filter(id__in=[row.id for row in rows]).update(
                status=TaskResultStatus.READY.value,
                started_at=None,
                finished_at=None,
                return_value=None,
                exception_class_path="",
                traceback="",
            )
    return rows
