"""How long "Your report is being prepared" keeps refreshing, tracked in its own address.

The waiting page refreshes to `?waiting=<token>`: the thing waited for (a draft's content key, or a
signed-off version) signed with the time the wait began. The server keeps no state for a wait, so any
web host can answer any refresh; the signature means the start time cannot be moved to skip the wait or
the token reused for another report, and a forged or mangled token is refused (the view answers 404)
rather than trusted. Queueing never depends on the token: only the first request and an explicit "try
again" queue a render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

# After this long the page stops refreshing and says the report is taking longer than usual: a render
# takes seconds on the worker, so two minutes means the worker is stopped, far behind, or stuck.
WAIT_LIMIT_SECONDS = 120

_SALT = "assessments.reports.waiting"


class BadWaitToken(Exception):
    """The token was not made by this service (forged, truncated or signed with another key)."""


@dataclass(frozen=True)
class Wait:
    """What a waiting page is waiting for, and whether it has waited longer than WAIT_LIMIT_SECONDS."""

    subject: str
    too_long: bool


def wait_token(subject: str) -> str:
    """A token for a wait on `subject` that starts now."""
    return signing.TimestampSigner(salt=_SALT).sign(subject)


def wait_read(token: str) -> Wait:
    """The wait a token stands for; raises BadWaitToken when it was not made by `wait_token`."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        return Wait(subject=signer.unsign(token, max_age=WAIT_LIMIT_SECONDS), too_long=False)
    except signing.SignatureExpired:
        return Wait(subject=signer.unsign(token), too_long=True)
    except signing.BadSignature:
        raise BadWaitToken(token) from None
