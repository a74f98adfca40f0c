"""Send the daily reminders (meant for cron, once a day)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments.reminders import send_reminders


class Command(BaseCommand):
    """manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]"""

    help = (
        "Remind SPOCs of assessments due within 14 days and coordinators of submissions waiting over 10 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for testing.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date written as YYYY-MM-DD.") from None
        sent, skipped = send_reminders(today=today, dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"Reminders {verb}: {sent}; already sent today: {skipped}.")
