"""Second factor for staff roles: an authenticator app (TOTP) plus single-use recovery codes.

Coordinators, national staff and administrators (anyone `can_use_admin`) must have a confirmed
authenticator app and must enter a code from it (or a recovery code) once per session.
accounts/middleware.py is the one place that enforces this; these are the reads and writes it and the
views use.

Recovery codes are stored as keyed digests, never as typed: a copy of the database alone does not
reveal a usable code. The key derives from SECRET_KEY, so rotating the key (not merely adding a
fallback) means staff make new recovery codes.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import Privilege, can_use_admin, privilege_of

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 12  # about 59 bits
# Lower-case letters and digits, without the look-alikes 0/o, 1/l/i.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")
_DIGEST_SALT = "msoic.accounts.recovery-code"


def needs_second_factor(user: Any) -> bool:
    """Staff roles (the admin's users) need a second factor; everyone does when the national setting
    REQUIRE_SECOND_FACTOR_FOR_ALL is on (docs/security.md recommends it: the service holds
    OFFICIAL-SENSITIVE material)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(settings.REQUIRE_SECOND_FACTOR_FOR_ALL) or can_use_admin(user)


def second_factor_required(account: Any) -> bool:
    """Whether an account must have a second factor, read afresh from its roles.

    For an account being changed in the admin, not the person signed in: `needs_second_factor` reads the
    roles remembered for the request, which are stale once the admin has saved new ones.
    """
    return bool(settings.REQUIRE_SECOND_FACTOR_FOR_ALL) or privilege_of(account) >= Privilege.COORDINATOR


def may_set_up_second_factor(user: Any) -> bool:
    """Anyone signed in may set up an authenticator app, SPOCs and chief officers included."""
    return bool(getattr(user, "is_authenticated", False))


def is_verified(user: Any) -> bool:
    """Whether this session has passed a second factor (django-otp's OTPMiddleware decides)."""
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check())


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return device


def pending_totp_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator app being set up; the same one (and secret) until it is confirmed."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for people who cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI, made here, never by a third party."""
    uri: str = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)
    return uri


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]+", "", code).lower()


def _digest(code: str) -> str:
    # StaticToken.token holds at most 16 characters: 64 bits of a keyed SHA-256.
    return salted_hmac(_DIGEST_SALT, _normalise(code), algorithm="sha256").hexdigest()[:16]


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(letters[index : index + 4] for index in range(0, RECOVERY_CODE_LENGTH, 4))


def recovery_codes_replace(user: Any) -> list[str]:
    """Make a fresh set of recovery codes, cancelling any earlier set; returns them for showing once."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(code)) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    """How many unused recovery codes the user has."""
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why not."""

    device: TOTPDevice | StaticDevice | None = None
    locked_until: datetime | None = None

    @property
    def accepted(self) -> bool:
        """True when a device accepted the code."""
        return self.device is not None

    @property
    def kind(self) -> str:
        """ "totp" or "recovery_code", for security events."""
        return "totp" if isinstance(self.device, TOTPDevice) else "recovery_code"


def _check_device(device: TOTPDevice | StaticDevice, token: str) -> CodeCheck:
    """Verify under a row lock, so two requests cannot both spend one code or one time step."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            return CodeCheck(locked_until=(info or {}).get("locked_until"))
        if locked.verify_token(token):
            return CodeCheck(device=locked)
    return CodeCheck()


def code_check(*, user: Any, code: str) -> CodeCheck:
    """Check a 6-digit code against the user's authenticator app, or anything else as a recovery code.

    A TOTP code is accepted once: django-otp records its time step and refuses that step or an earlier
    one again. A recovery code is deleted when used. Each device slows down repeated failures.
    """
    typed = _normalise(code)
    if _TOTP_CODE.fullmatch(typed):
        totp = confirmed_totp_device(user)
        return _check_device(totp, typed) if totp is not None else CodeCheck()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is None or not typed:
        return CodeCheck()
    return _check_device(recovery, _digest(typed))


def setup_confirm(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a pending authenticator app with its first code; other pending ones are discarded."""
    typed = _normalise(code)
    if not _TOTP_CODE.fullmatch(typed):
        return CodeCheck()
    result = _check_device(device, typed)
    if result.accepted:
        with transaction.atomic():
            TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
    return result


def mark_session_verified(request: Any, device: TOTPDevice | StaticDevice) -> None:
    """Record in the session that this person passed their second factor with this device."""
    otp_login(request, device)


def second_factor_reset(user: Any) -> None:
    """Remove a user's authenticator app and recovery codes (they lost their phone): they set up again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
