"""Enrolment links: the first authenticator app on an account is set up only through a one-time link.

Without one, whoever holds a staff member's password could set up their own app and own the account
(issue 21 item 10). A link is issued when an account that must have a second factor is created or given
a staff role, when an administrator resets someone's app or sends a new link, or by
`manage.py enrolment_link` for the first superuser; people not required to have an app may email
themselves one from their account page. It goes to the account's email address (or the server's
console), so setting up an app needs the password and that mailbox or the server.

A link is a django.core.signing token (salted, timestamped) over the account's id and its
`second_factor_enrolment_epoch`. Issuing a link raises the epoch, so only the newest link works; using
one raises it again, so it works once; the timestamp ends it after ENROLMENT_LINK_MAX_AGE. Signing
rather than a stored token: no table of secrets, nothing in a copy of the database that opens an
account, and the one number per person already says which link is current. Rotating SECRET_KEY ends
every link issued before, which is what a rotation is for.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.mail import Email, queue_with_change, service_url
from accounts.models import AccountEvent, User
from accounts.second_factor import CodeCheck, confirmed_totp_device, setup_confirm

ENROLMENT_LINK_MAX_AGE = datetime.timedelta(hours=72)
ENROLMENT_LINK_LIFETIME = "72 hours"  # in words, for the email and the pages
_SALT = "msoic.accounts.enrolment-link"
# The link followed in this session, checked again at every step of the set-up.
SESSION_KEY = "msoic_enrolment_link"


class LinkCheck(StrEnum):
    """Whether a link may set up an app for this person, and if not, why (for the security log)."""

    VALID = "valid"
    NOT_A_LINK = "not_a_link"  # altered, cut short, or signed with another key
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    SPENT = "spent"  # used already, or a newer link was issued


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def _token(user: User) -> str:
    return _signer().sign_object({"user": user.pk, "epoch": user.second_factor_enrolment_epoch})


def _current_epoch(user: Any) -> int:
    epoch: int = User.objects.values_list("second_factor_enrolment_epoch", flat=True).get(pk=user.pk)
    return epoch


def link_check(user: Any, token: str) -> LinkCheck:
    """Check a link's token for this person: signature first, then age, owner and epoch."""
    try:
        payload = _signer().unsign_object(token, max_age=ENROLMENT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkCheck.EXPIRED
    except (signing.BadSignature, ValueError):
        return LinkCheck.NOT_A_LINK
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(key), int) for key in ("user", "epoch")
    ):
        return LinkCheck.NOT_A_LINK
    if payload["user"] != user.pk:
        return LinkCheck.NOT_YOURS
    if payload["epoch"] != _current_epoch(user):
        return LinkCheck.SPENT
    return LinkCheck.VALID


def enrolment_link_issue(user: User, *, actor: Any, how: str, site: str = "") -> str:
    """Issue a new link for the user, ending any earlier one, and record who issued it; returns the URL.

    `how` says by what means (emailed when the account was created, printed by a command...), for the
    account event. The URL is on SERVICE_BASE_URL when it is set, like every link the service sends.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            second_factor_enrolment_epoch=F("second_factor_enrolment_epoch") + 1
        )
        user.refresh_from_db(fields=["second_factor_enrolment_epoch"])
        AccountEvent.objects.create(
            account=user,
            actor_id=getattr(actor, "pk", None),
            kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED,
            detail=how,
        )
    return service_url(reverse("two_factor_enrolment_link", args=[_token(user)]), site=site)


def enrolment_link_send(user: User, *, actor: Any, why: str, site: str = "") -> None:
    """Issue a link and email it to the account's address, queued with the caller's change."""
    link = enrolment_link_issue(user, actor=actor, how=f"Emailed: {why}", site=site)
    body = render_to_string(
        "accounts/email/enrolment_link.txt",
        {"user": user, "link": link, "lifetime": ENROLMENT_LINK_LIFETIME},
    )
    queue_with_change(
        [
            Email(
                subject="Set up your authenticator app for the modern slavery self-assessment",
                body=body,
                to=(user.email,),
            )
        ]
    )


def needs_enrolment_link(user: User) -> bool:
    """Whether the account has no confirmed authenticator app, so it must be sent a link to set one up."""
    return user.is_active and confirmed_totp_device(user) is None


def session_link_remember(session: SessionBase, token: str) -> None:
    """Carry the followed link through the set-up steps (it is checked again at each one)."""
    session[SESSION_KEY] = token


def session_link(session: SessionBase) -> str:
    """The link followed in this session, or an empty string."""
    token = session.get(SESSION_KEY, "")
    return token if isinstance(token, str) else ""


def enrol_with_link(*, user: User, token: str, device: Any, code: str) -> CodeCheck | None:
    """Confirm the pending app with its first code, if the link is still good; None when it is not.

    The person's row is locked while the link is checked and spent, so one link sets up one app even
    when two set-ups race. Spending raises the epoch and records the enrolment, with the account as
    actor: they did it themselves.
    """
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        if link_check(user, token) is not LinkCheck.VALID:
            return None
        result = setup_confirm(device=device, code=code)
        if result.accepted:
            User.objects.filter(pk=user.pk).update(
                second_factor_enrolment_epoch=F("second_factor_enrolment_epoch") + 1
            )
            AccountEvent.objects.create(
                account=user,
                actor=user,
                kind=AccountEvent.Kind.SECOND_FACTOR_ENROLLED,
                detail="With an enrolment link",
            )
        return result
