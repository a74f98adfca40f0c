"""Background tasks for accounts: email leaves the request path and is sent by the task worker."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email_message(
    *,
    subject: str,
    body: str,
    from_email: str | None,
    recipient_list: list[str],
    html_body: str | None = None,
) -> int:
    """Send one already-rendered email message; returns how many were sent (0 or 1).

    An SMTP failure raises, so the task is marked failed and can be re-run
    (manage.py retry_failed_tasks) rather than lost.
    """
    message = EmailMultiAlternatives(subject, body, from_email, recipient_list)
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    return message.send()
