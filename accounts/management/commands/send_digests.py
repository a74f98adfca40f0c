"""Send the daily digests (meant for cron, once a day, after send_reminders)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from accounts.digests import digests_send


class Command(BaseCommand):
    """manage.py send_digests [--dry-run]"""

    help = "Email each person who chose a daily digest the notices held for them since their last one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count who would get one; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send(now=timezone.now(), dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"Digests {verb}: {sent}.")
