"""What django-axes knows of a sign-in (address typed, client address); what a locked-out person sees;
and the second, higher limit per network address across every account (credential stuffing)."""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

LOCKOUT_TEMPLATE = "accounts/locked_out.html"


def username_from_attempt(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The email address of an attempt, trimmed and lower-cased exactly as the sign-in form does."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    if not isinstance(raw, str):
        return None
    return raw.strip().lower() or None


def is_trusted_proxy(address: str | None) -> bool:
    """Whether an address belongs to one of the configured proxies (settings.TRUSTED_PROXIES)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks: list[str] = list(getattr(settings, "TRUSTED_PROXIES", []))
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: HttpRequest) -> str | None:
    """The client's network address as the nearest trusted proxy saw it.

    With no trusted proxies this is REMOTE_ADDR. Behind N proxies that each append to X-Forwarded-For,
    the client is the Nth entry from the right: entries further left were written by the client and
    could be anything. The header is believed only when the peer (and every proxy hop the header
    names before the client) is one of the configured proxy addresses: someone who reaches gunicorn
    directly could otherwise write a fresh X-Forwarded-For on every attempt and never be locked out.
    """
    proxies: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote: str | None = request.META.get("REMOTE_ADDR")
    if proxies <= 0 or not is_trusted_proxy(remote):
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    # The hops between the peer and the client, nearest first, must be proxies too.
    for hop in reversed(forwarded[len(forwarded) - proxies + 1 :]):
        if not is_trusted_proxy(hop):
            return hop
    return forwarded[-proxies]


def cool_off_minutes() -> int:
    """How long a lockout lasts, in whole minutes, for the message."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The GOV.UK lockout page, with status 429; it names neither the address typed nor the limit reached."""
    response = TemplateResponse(
        request,
        LOCKOUT_TEMPLATE,
        {"cool_off_minutes": cool_off_minutes()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response.render()
    return response


class AddressLimitHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler with a second limit: failures from one address across all accounts.

    axes has one failure limit for every lockout parameter, and the per-account limit (10) is far too
    low for an address a whole police station may share. So the per-account count stays axes' own, and
    when the address has failed AXES_ADDRESS_FAILURE_LIMIT times in the cool-off window, whatever the
    accounts tried, the address is reported as having reached the limit: every sign-in from it is then
    refused until the window passes, as for a locked account.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The per-account count, raised to the limit when the address as a whole is over its own."""
        per_account: int = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        if not address:
            return per_account
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        per_address = (
            AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
                total=Sum("failures_since_start")
            )["total"]
            or 0
        )
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            limit: int = get_failure_limit(request, credentials)
            return max(per_account, limit)
        return per_account
