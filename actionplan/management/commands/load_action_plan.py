"""Load the action plan file: validate all of it first, write nothing if any part is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.loading import PlanFileInvalid, load_plan_file

DEFAULT_PATH = settings.BASE_DIR / "fixtures" / "action_plan.json"


class Command(BaseCommand):
    """manage.py load_action_plan [path]"""

    help = "Validate the action plan file and create or update the plan, areas and activities by code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="JSON file to load.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            result = load_plan_file(path)
        except PlanFileInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(f"Nothing was loaded: {len(invalid.problems)} problem(s) in {path}.") from None
        for line in result.created:
            self.stdout.write(f"  created {line}")
        for line in result.updated:
            self.stdout.write(f"  updated {line}")
        if result.not_in_file:
            self.stdout.write(
                "  kept (not in the file, may be referred to by returns): " + ", ".join(result.not_in_file)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Action plan loaded: {len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged."
            )
        )
