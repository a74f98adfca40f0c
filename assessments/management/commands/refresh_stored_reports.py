"""Render every signed-off version whose PDF is missing or in an older layout (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.reports.renders import queue_missing_renders, refresh_stored_reports


class Command(BaseCommand):
    """manage.py refresh_stored_reports"""

    help = (
        "Render and store the PDF of every signed-off version that has none in the current report layout "
        "(REPORT_TEMPLATE_VERSION). Skips versions already stored, so it is safe to run on a timer; exits "
        "non-zero if any could not be made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="queue one render task per version for the task worker instead of rendering here "
            "(after generating national data: hundreds of renders the worker can make in the background)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            queued = queue_missing_renders()
            self.stdout.write(self.style.SUCCESS(f"{queued} renders queued for the task worker."))
            return
        made = 0
        failed = 0
        for snapshot, error in refresh_stored_reports():
            if error is None:
                made += 1
            else:
                failed += 1
                self.stderr.write(
                    f"FAILED: assessment {snapshot.assessment_id} version {snapshot.version}: {error}"
                )
        if failed:
            raise CommandError(f"{failed} reports could not be made; {made} stored.")
        self.stdout.write(
            self.style.SUCCESS(f"{made} reports stored; every signed-off version is up to date.")
        )
