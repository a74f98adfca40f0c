"""Daily digests: one email a day listing the notices held for each person who chose a digest.

`manage.py send_digests` runs from cron after `send_reminders`, so the morning's reminders ride in the
same digest. Each person's digest is built in one transaction that locks their waiting items, queues the
email and marks the items sent, so an item is never in two digests and a second run the same day finds
nothing new to send.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse

from accounts.mail import Email, queue_now, service_url
from accounts.models import DigestItem, User

SUBJECT = "Your daily summary from the modern slavery self-assessment service"


def digests_send(*, now: datetime.datetime, dry_run: bool = False) -> int:
    """Send every waiting digest; return how many people got one (or would, with `dry_run`).

    Items held for someone who has since been deactivated are marked sent without an email: they can no
    longer act on them.
    """
    user_ids = sorted(set(DigestItem.objects.filter(sent_at__isnull=True).values_list("user_id", flat=True)))
    if dry_run:
        return len(user_ids)
    sent = 0
    for user_id in user_ids:
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update()
                .filter(user_id=user_id, sent_at__isnull=True)
                .select_related("user")
            )
            if not items:
                continue  # another run took them first
            person = items[0].user
            if person.is_active:
                queue_now([digest_email(person=person, items=items)])
                sent += 1
            DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
    return sent


def digest_email(*, person: User, items: list[DigestItem]) -> Email:
    """The digest: one line and one link per notice, oldest first, and how to change the choice."""
    updates = "is 1 update" if len(items) == 1 else f"are {len(items)} updates"
    lines = [f"Since your last summary there {updates}:"]
    for item in items:
        lines += ["", f"- {item.subject}", f"  {item.link}"]
    lines += [
        "",
        "You get this summary because you chose a daily digest instead of single emails. Returns for "
        "changes, submissions waiting for your review and reopened assessments still come at once.",
        "",
        "Change this on your account page:",
        service_url(reverse("email_preference")),
    ]
    return Email(subject=SUBJECT, body="\n".join(lines) + "\n", to=(person.email,))
