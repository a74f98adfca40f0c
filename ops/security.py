"""Security events (sign-in, sign-out, failed sign-in, lockout) written to the msoic.security logger.

Second-factor, session-expiry, password-change and refused-access events are written where they happen
(accounts/views.py, accounts/middleware.py).

Lines carry the numeric user id at most: never the email address typed, never the password.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ops.logging import security_log


def _user_id(user: Any) -> int | None:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


@receiver(user_logged_in, dispatch_uid="ops.security.signed_in")
def log_signed_in(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """Record a successful sign-in."""
    security_log.info("Signed in", extra={"event": "signed_in", "user_id": _user_id(user)})


@receiver(user_logged_out, dispatch_uid="ops.security.signed_out")
def log_signed_out(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """Record a sign-out."""
    security_log.info("Signed out", extra={"event": "signed_out", "user_id": _user_id(user)})


@receiver(user_login_failed, dispatch_uid="ops.security.sign_in_failed")
def log_sign_in_failed(sender: Any, **kwargs: Any) -> None:
    """Record a failed sign-in without the address or password that were typed."""
    security_log.warning("Sign-in failed", extra={"event": "sign_in_failed"})


@receiver(user_locked_out, dispatch_uid="ops.security.locked_out")
def log_locked_out(sender: Any, **kwargs: Any) -> None:
    """Record a lockout (too many failures for one address from one place), without the address."""
    security_log.warning("Sign-in locked out", extra={"event": "sign_in_locked_out"})
