"""Outgoing email for the whole service: links that work, one message per notice, queued with its change.

Every email is a task (accounts.tasks.send_email_message) that the task worker sends with retries; no
request ever talks to the mail relay. With the database task backend the task row is written in the
caller's transaction, so it commits or rolls back with the change that caused it.

Links: production sets SERVICE_BASE_URL (start-up fails without it) and every link uses it, whatever
Host header a request carried. In development it is usually empty, and links use the site the person
was using, captured from their request when the message is queued (`site_of`); commands that run with
no request fall back to the address `make run` serves.

People may choose a daily digest instead of single emails (User.email_digest). `notice_split` holds a
notice for them as a DigestItem, unless the caller says it must go at once; accounts/digests.py sends the
digests. Which notices go at once is the caller's rule (assessments/notifications.py states it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_tasks_db import DatabaseBackend

from accounts.models import DigestItem, User
from accounts.tasks import send_email_message

# Where `make run` serves: links made with no configured base URL and no request to go by.
LOCAL_SITE = "http://127.0.0.1:8000"


def site_of(request: HttpRequest) -> str:
    """The scheme and host the person was using (e.g. http://localhost:8000), for links in development."""
    return request.build_absolute_uri("/").rstrip("/")


def service_url(path: str, *, site: str = "") -> str:
    """An absolute link to `path`: on the configured base URL, else the person's site, else LOCAL_SITE."""
    base = settings.SERVICE_BASE_URL or site or LOCAL_SITE
    return f"{base.rstrip('/')}{path}"


@dataclass(frozen=True)
class Email:
    """One message, already rendered, with its addresses."""

    subject: str
    body: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    html_body: str | None = None


@dataclass(frozen=True)
class Notice:
    """News for several people: one email for those who take single emails, a digest line for the rest.

    `subject` names what happened (the force and the round, for workflow news) and is the digest line;
    `link` is where to act or read more.
    """

    subject: str
    body: str
    link: str


def queue_now(emails: Sequence[Email]) -> None:
    """Queue the messages now: with the database backend, inside the caller's transaction.

    For callers whose transaction cannot fail after queuing (reminders, digests, the reset form). Under
    the immediate backend (tests) the messages are sent here and then.
    """
    for email in emails:
        send_email_message.enqueue(
            subject=email.subject,
            body=email.body,
            from_email=None,
            recipient_list=list(email.to),
            cc=list(email.cc),
            html_body=email.html_body,
        )


def queue_with_change(emails: Sequence[Email]) -> None:
    """Queue the messages so they go only if the current transaction commits.

    The database backend stores them in this transaction now. A backend that cannot share it (the
    immediate backend in tests, which sends as it queues) gets them from one on_commit callback, so a
    rolled-back change still sends nothing.
    """
    if not emails:
        return
    if isinstance(send_email_message.get_backend(), DatabaseBackend):
        queue_now(emails)
    else:
        transaction.on_commit(functools.partial(queue_now, list(emails)))


def notice_split(notice: Notice, *, recipients: Iterable[User], at_once: bool) -> Email | None:
    """Hold the notice for each recipient who chose the daily digest, unless it must go `at_once`.

    Returns the one email for everybody else (None when nobody is left). The digest items are written in
    the caller's transaction, like the email task.
    """
    people = {person.pk: person for person in recipients if person.is_active}
    waiting = [] if at_once else [person for person in people.values() if person.email_digest]
    DigestItem.objects.bulk_create(
        DigestItem(user=person, subject=notice.subject, link=notice.link) for person in waiting
    )
    addresses = sorted({person.email for person in people.values() if person not in waiting})
    if not addresses:
        return None
    return Email(subject=notice.subject, body=notice.body, to=tuple(addresses))
