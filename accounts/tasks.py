"""Background tasks for accounts: every email leaves the request path and is sent by the task worker.

A relay that refuses the connection, drops it, times out or answers with an SMTP error gets another try
later: the task queues a copy of itself to run after a growing pause (1, 5, 15, then 60 minutes), so a
message is tried five times over about an hour and a half. Only the last attempt raises, which marks that
task FAILED with its error, where administrators see it (the Emails page of the admin) and
`manage.py retry_failed_tasks` can run it once more. Earlier attempts end SUCCESSFUL, their return value
saying when the next try is; so re-running failed tasks never duplicates a retry that is already queued.

django-tasks 0.12 and django-tasks-db 0.13 have no retries of their own, hence this.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# The pause before attempt 2, 3, 4 and 5; after attempt 5 the task fails and stays failed.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=60),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task()
def send_email_message(
    *,
    subject: str,
    body: str,
    from_email: str | None,
    recipient_list: list[str],
    html_body: str | None = None,
    cc: list[str] | None = None,
    attempt: int = 1,
) -> dict[str, Any]:
    """Send one already-rendered email message, trying again later if the relay is unavailable.

    Returns {"sent": 1} once sent, or {"sent": 0, "next_attempt": n, "retry_at": ...} when another try
    is queued. Socket errors and timeouts (OSError) and SMTP errors (smtplib.SMTPException is an OSError)
    are worth retrying; anything else is a bug and fails at once.
    """
    message = EmailMultiAlternatives(subject, body, from_email, recipient_list, cc=cc or None)
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    try:
        sent = message.send()
    except OSError as error:
        retry_at = _queue_retry(
            attempt=attempt,
            kwargs={
                "subject": subject,
                "body": body,
                "from_email": from_email,
                "recipient_list": recipient_list,
                "html_body": html_body,
                "cc": cc,
            },
        )
        if retry_at is None:
            raise
        # The error's class only: SMTP replies can quote addresses, which stay out of the logs.
        logger.warning(
            "Email not sent (%s); attempt %d of %d queued",
            type(error).__name__,
            attempt + 1,
            MAX_ATTEMPTS,
            extra={"event": "email_retry_queued"},
        )
        return {"sent": 0, "next_attempt": attempt + 1, "retry_at": retry_at.isoformat()}
    return {"sent": sent}


def _queue_retry(*, attempt: int, kwargs: dict[str, Any]) -> datetime.datetime | None:
    """Queue the next attempt after its pause and return when it will run; None when no retry is left.

    A backend that cannot run a task later (the immediate backend the tests use) gets no retry: the
    attempt fails at once, as it would after the last retry.
    """
    if attempt >= MAX_ATTEMPTS or not send_email_message.get_backend().supports_defer:
        return None
    retry_at = timezone.now() + RETRY_DELAYS[attempt - 1]
    send_email_message.using(run_after=retry_at).enqueue(**kwargs, attempt=attempt + 1)
    return retry_at
