"""Session limits: signed out after 30 idle minutes, or 10 hours after signing in, whichever comes first;
and the end of a person's signed report links when they sign out or lose a membership.

The times live in the session itself (seconds since the epoch). Django's own expiry slides with every
save, so the absolute limit is ours to enforce.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Membership, User

SIGNED_IN_AT = "msoic_signed_in_at"
LAST_SEEN_AT = "msoic_last_seen_at"
# Write "last seen" at most this often, so an ordinary page view does not always save the session.
LAST_SEEN_RESOLUTION_SECONDS = 30


class Expiry(StrEnum):
    """Why a session ended on its own."""

    IDLE = "idle"
    ABSOLUTE = "absolute"


def now() -> int:
    """The current time in whole seconds (a function, so tests can move the clock)."""
    return int(time.time())


def session_start(session: SessionBase, *, at: int | None = None) -> None:
    """Stamp a session as signed in now (called at every sign-in)."""
    moment = now() if at is None else at
    session[SIGNED_IN_AT] = moment
    session[LAST_SEEN_AT] = moment


def session_expiry(session: SessionBase, *, at: int | None = None) -> Expiry | None:
    """Whether a signed-in session has passed a limit; otherwise note the activity and return None."""
    moment = now() if at is None else at
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        # A session from before these limits existed: start counting now.
        session_start(session, at=moment)
        return None
    if moment - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return Expiry.ABSOLUTE
    if moment - last_seen_at >= settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return Expiry.IDLE
    if moment - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_AT] = moment
    return None


@receiver(user_logged_in, dispatch_uid="accounts.sessions.stamp_sign_in")
def stamp_sign_in(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """Start the session clocks when someone signs in (Django has already given the session a new key)."""
    session = getattr(request, "session", None)
    if isinstance(session, SessionBase):
        session_start(session)


def end_signed_links(user_id: int) -> None:
    """Raise the user's link epoch, so every signed report link issued to them stops working now."""
    User.objects.filter(pk=user_id).update(report_link_epoch=F("report_link_epoch") + 1)


@receiver(user_logged_out, dispatch_uid="accounts.sessions.end_links_on_sign_out")
def end_links_on_sign_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Signing out ends the links issued to the person, even to a copy of the old session cookie."""
    if isinstance(user, User):
        end_signed_links(user.pk)


@receiver(post_delete, sender=Membership, dispatch_uid="accounts.sessions.end_links_on_membership_removed")
def end_links_on_membership_removed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    """Losing a role ends the person's links at once, not when they expire (they may no longer see them)."""
    end_signed_links(instance.user_id)


@receiver(post_save, sender=Membership, dispatch_uid="accounts.sessions.end_links_on_membership_changed")
def end_links_on_membership_changed(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    """A role moved to another force or region is a removal from the old one."""
    if not created:
        end_signed_links(instance.user_id)
