"""Put failed background tasks back on the queue, in place, so a worker runs them again."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks_db.models import DBTaskResult

from ops.task_queue import failed_tasks_requeue


class Command(BaseCommand):
    """manage.py retry_failed_tasks [ID ...] [--all] [--task PATH] [--dry-run]"""

    help = (
        "Re-queue failed background tasks so the next free worker runs them again. "
        "Name task ids, or pass --all (optionally narrowed with --task)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task_ids", nargs="*", metavar="ID", help="Ids of failed tasks to re-run.")
        parser.add_argument("--all", action="store_true", help="Re-run every failed task.")
        parser.add_argument(
            "--task", metavar="PATH", help="Only tasks of this kind, e.g. accounts.tasks.send_email_message."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be re-run; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task_ids: list[str] = options["task_ids"]
        if not task_ids and not options["all"]:
            raise CommandError("Name the failed task ids to re-run, or pass --all.")
        for task_id in task_ids:
            try:
                uuid.UUID(task_id)
            except ValueError:
                raise CommandError(f"{task_id!r} is not a task id (task ids look like a UUID).") from None
        tasks = DBTaskResult.objects.all()
        if task_ids:
            tasks = tasks.filter(id__in=task_ids)
        if options["task"]:
            tasks = tasks.filter(task_path=options["task"])
        rows = failed_tasks_requeue(tasks, dry_run=options["dry_run"])
        for row in rows:
            # Ids, kinds and error classes only: task arguments can hold addresses and links.
            when = f"{row.finished_at:%Y-%m-%d %H:%M}" if row.finished_at else "(unknown time)"
            self.stdout.write(f"  {row.id}  {row.task_path}  failed {when}  {row.exception_class_path}")
        if options["dry_run"]:
            self.stdout.write(f"Would re-run {len(rows)} failed task(s). Nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(f"Re-queued {len(rows)} failed task(s)."))
