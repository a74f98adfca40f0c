"""Create one demo account per role, and demo rounds for them to work in. Never for real data.

The accounts come first; then, when the action plan is loaded and no round exists yet, the demo's rounds
(assessments.demo): an earlier round signed off and an open one with Cleveland in draft and a neighbour
waiting for review, so every demo account has something to do on first sign-in.

The command lives in assessments because the SPOC, chief officer and coordinator accounts are scoped to a
force and a region, which are assessments' models; accounts imports nothing from assessments.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Membership, User
from accounts.roles import ADMIN_SITE_ROLES, Role
from accounts.second_factor import recovery_codes_replace, secret_for_manual_entry
from actionplan.models import ActionPlan
from assessments.demo import demo_rounds_create
from assessments.generator.people import DEMO_TOTP_KEY
from assessments.models import Force, Region

DEMO_PASSWORD = "try-the-service-locally"  # noqa: S105 - published in the README on purpose
DEMO_FORCE_CODE = "cleveland"
DEMO_REGION_SLUG = "north-east"
DEMO_ACCOUNTS: tuple[tuple[str, str, Role], ...] = (
    ("spoc@example.com", "Sam Spoc (demo)", Role.SPOC),
    ("chief@example.com", "Chris Chief (demo)", Role.CHIEF_OFFICER),
    ("coordinator@example.com", "Casey Coordinator (demo)", Role.COORDINATOR),
    ("national@example.com", "Nat National (demo)", Role.NATIONAL),
    ("admin@example.com", "Alex Admin (demo)", Role.ADMINISTRATOR),
)
WARNING = (
    "These demo accounts share a published password and are for local use only. "
    "Never create them on a server that holds real data."
)


class Command(BaseCommand):
    """manage.py create_demo_users"""

    help = "Create or refresh one demo account for each role, and demo rounds if none exist (local use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even when DEBUG is off (for throwaway test servers only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("Refusing to create demo accounts with DEBUG off. " + WARNING)
        try:
            force = Force.objects.get(code=DEMO_FORCE_CODE)
            region = Region.objects.get(slug=DEMO_REGION_SLUG)
        except (Force.DoesNotExist, Region.DoesNotExist):
            raise CommandError("Load the regions and forces first: manage.py load_forces") from None
        recovery: dict[str, list[str]] = {}
        users: dict[Role, User] = {}
        with transaction.atomic():
            for email, name, role in DEMO_ACCOUNTS:
                user = User.objects.filter(email=email).first() or User(email=email)
                user.full_name = name
                user.is_active = True
                user.set_password(DEMO_PASSWORD)
                user.save()
                users[role] = user
                scope: dict[str, Any] = {}
                if role in (Role.SPOC, Role.CHIEF_OFFICER):
                    scope = {"force": force}
                elif role == Role.COORDINATOR:
                    scope = {"region": region}
                Membership.objects.get_or_create(user=user, role=role, **scope)
                if role in ADMIN_SITE_ROLES:
                    recovery[email] = _demo_second_factor(user)
        self._rounds(force=force, users=users)
        self.stdout.write(self.style.WARNING(f"WARNING: {WARNING}"))
        for email, _name, role in DEMO_ACCOUNTS:
            where = {Role.SPOC: force.name, Role.CHIEF_OFFICER: force.name, Role.COORDINATOR: region.name}
            self.stdout.write(f"  {email:<26} {role.label:<22} {where.get(role, 'England and Wales')}")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "  Staff accounts also need a second factor. Add this key to an authenticator app "
            f"(time-based, 6 digits): {secret_for_manual_entry(_demo_device_probe())}"
        )
        self.stdout.write("  Or use one of these single-use recovery codes (new ones each run):")
        for email, codes in recovery.items():
            self.stdout.write(f"    {email:<26} {', '.join(codes[:3])}")

    def _rounds(self, *, force: Force, users: dict[Role, User]) -> None:
        """The demo rounds, unless a round exists already (then nothing changes) or no plan is loaded."""
        try:
            created = demo_rounds_create(
                force=force,
                spoc=users[Role.SPOC],
                coordinator=users[Role.COORDINATOR],
                national=users[Role.NATIONAL],
            )
        except ActionPlan.DoesNotExist:
            self.stdout.write("  No demo rounds: load the action plan first (manage.py load_action_plan).")
            return
        if created:
            self.stdout.write(
                f"  Demo rounds created: an earlier round signed off; an open round with {force.name} "
                "in draft and a neighbouring force waiting for review."
            )
        else:
            self.stdout.write("  Rounds already exist, so no demo rounds were added.")


def _demo_second_factor(user: User) -> list[str]:
    """Give a demo staff account an authenticator with the published key, and fresh recovery codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=DEMO_TOTP_KEY, confirmed=True)
    return recovery_codes_replace(user)


def _demo_device_probe() -> Any:
    """An unsaved device carrying the demo key, to print it in the form people type into their app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice(key=DEMO_TOTP_KEY)
