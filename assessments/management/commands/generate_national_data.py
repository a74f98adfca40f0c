"""Generate a national picture to try the service with: invented data, for local use and benchmarks only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.generator import (
    GENERATED_PASSWORD,
    NATIONAL_EMAIL,
    WARNING,
    GeneratorRefused,
    generate_national_data,
)
from assessments.models import Round


class Command(BaseCommand):
    """manage.py generate_national_data [--seed N] [--forces N] [--past-rounds N] [--reset | --if-empty]"""

    help = (
        "Generate every force's users, signed-off past rounds and an open current round (invented data, "
        "local use only). Refuses when rounds exist unless --reset (deletes all assessment data) or "
        "--if-empty (does nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same data (default 2026).")
        parser.add_argument("--forces", type=int, default=None, help="Only the first N forces of the file.")
        parser.add_argument(
            "--past-rounds", type=int, default=8, help="Signed-off rounds before the open one."
        )
        what_if_data = parser.add_mutually_exclusive_group()
        what_if_data.add_argument(
            "--reset",
            action="store_true",
            help="Delete all assessment data first (rounds to snapshots); keeps users, the plan and forces.",
        )
        what_if_data.add_argument(
            "--if-empty", action="store_true", help="Do nothing, successfully, when rounds already exist."
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even when DEBUG is off (for throwaway benchmark or test servers only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("Refusing to generate national data with DEBUG off. " + WARNING)
        if options["forces"] is not None and options["forces"] < 1:
            raise CommandError("--forces must be at least 1.")
        if options["past_rounds"] < 0:
            raise CommandError("--past-rounds cannot be negative.")
        if options["if_empty"] and Round.objects.exists():
            self.stdout.write("Rounds already exist: no national data generated.")
            return
        try:
            result = generate_national_data(
                seed=options["seed"],
                forces=options["forces"],
                past_rounds=options["past_rounds"],
                reset=options["reset"],
                stdout=self.stdout,
            )
        except GeneratorRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(result.forces)} forces, {len(result.rounds)} rounds, {result.assessments} "
                f"assessments, {result.returns} returns, {result.history_rows} history rows, "
                f"{result.events} events and {result.snapshots} snapshots in {result.seconds:.1f}s "
                f"(seed {result.seed})."
            )
        )
        self.stdout.write(self.style.WARNING(f"WARNING: {WARNING}"))
        for address, role in (
            ("spoc.<force code>@example.com", "strategic SPOC, e.g. spoc.cleveland@example.com"),
            ("spoc2.<force code>@example.com", "tactical SPOC"),
            ("chief.<force code>@example.com", "chief officer"),
            ("coordinator.<region>@example.com", "regional coordinator, e.g. coordinator.north-east@…"),
            (NATIONAL_EMAIL, "national unit"),
        ):
            self.stdout.write(f"  {address:<34} {role}")
        self.stdout.write(f"  Password for every generated account: {GENERATED_PASSWORD}")
