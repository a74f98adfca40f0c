"""Print a one-time enrolment link for an account: how the first superuser sets up their authenticator app.

The first (break-glass) superuser is made with `createsuperuser` on the server, before there is anyone in
the admin to send them a link, and the mail relay may not be set up yet. Whoever can run commands on the
server can already do anything, so a link printed here asks no more of them; it is still recorded as an
account event with no actor ("a command on the server").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.enrolment import ENROLMENT_LINK_LIFETIME, enrolment_link_issue, needs_enrolment_link
from accounts.models import User


class Command(BaseCommand):
    """manage.py enrolment_link EMAIL"""

    help = (
        "Print a one-time link with which the account sets up its authenticator app. "
        "Any earlier link for the account stops working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The account's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account has the email address {options['email']}.")
        if not needs_enrolment_link(user):
            raise CommandError(
                f"{user.email} is closed or already has an authenticator app. "
                "To replace an app, reset it in the admin first."
            )
        link = enrolment_link_issue(user, actor=None, how="Printed by manage.py enrolment_link")
        self.stdout.write(
            f"Enrolment link for {user.email} (works once, for {ENROLMENT_LINK_LIFETIME}; "
            f"sign in as {user.email} and then open it):\n{link}"
        )
