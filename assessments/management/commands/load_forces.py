"""Load the regions and forces file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.reference import ForcesFileInvalid, load_forces_file

DEFAULT_PATH = settings.BASE_DIR / "fixtures" / "regions_and_forces.json"


class Command(BaseCommand):
    """manage.py load_forces [path]"""

    help = "Validate the regions and forces file and create or update them by code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            result = load_forces_file(path)
        except ForcesFileInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(f"Nothing was loaded: {len(invalid.problems)} problem(s) in {path}.") from None
        for line in result.created + result.updated:
            self.stdout.write(f"  {line}")
        for line in result.region_kept:
            self.stdout.write(f"  region changed by an administrator, kept: {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions and forces loaded: {len(result.created)} created, {len(result.updated)} updated, "
                f"{result.unchanged} unchanged."
            )
        )
