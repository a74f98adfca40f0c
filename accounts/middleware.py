"""Request-wide security rules: no caching of pages, session limits, and the second factor for staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts import second_factor
from accounts.sessions import session_expiry
from ops.logging import security_log

# Pages a staff member who has not yet passed the second factor may still reach (URL names, no namespace).
SECOND_FACTOR_PAGES = frozenset(
    {"two_factor_setup", "two_factor_verify", "two_factor_enrolment_link", "logout", "signed_out"}
)


def _user_id(request: HttpRequest) -> int | None:
    pk = getattr(getattr(request, "user", None), "pk", None)
    return pk if isinstance(pk, int) else None


class ResponseSecurityMiddleware:
    """Keep every page Django makes out of caches, record each refusal (403), and make the CSP nonce.

    Static files never reach this layer (WhiteNoise answers them first), so they stay cacheable. A view
    that wants a public page cached says so with Cache-Control: public, and only an anonymous visitor
    gets it that way; a signed-in person's pages and every download are always no-store.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Make this request's CSP nonce now, so every policy carries one and a template that needs an
        # inline script can use {{ request.csp_nonce }}; our own pages use none.
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            str(nonce)
        response = self.get_response(request)
        if self._must_not_store(request, response):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        if response.status_code == 403:
            security_log.warning(
                "Access refused",
                extra={"event": "access_refused", "user_id": _user_id(request), "status": 403},
            )
        return response

    @staticmethod
    def _must_not_store(request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.has_header("Content-Disposition"):
            return True
        public = "public" in response.get("Cache-Control", "")
        if not public:
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


class SessionTimeoutMiddleware:
    """Sign a person out after 30 idle minutes or 10 hours, and say why on the "signed out" page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            expiry = session_expiry(request.session)
            if expiry is not None:
                user_id = _user_id(request)
                logout(request)
                security_log.info(
                    "Session expired",
                    extra={"event": f"session_expired_{expiry.value}", "user_id": user_id},
                )
                query = urlencode({"reason": expiry.value})
                return HttpResponseRedirect(f"{reverse('signed_out')}?{query}")
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """The one place that decides: staff roles set up and pass a second factor before anything else.

    Coordinators, national staff and administrators (and break-glass superusers) who have not passed
    one in this session are sent to set up an authenticator app, or to enter a code, and then on to
    where they were going. Public pages (marked login_not_required, apart from the admin's login) and
    sign-out stay open. SPOCs and chief officers are never asked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        """Let the request through, or redirect a staff member who has not passed the second factor."""
        user = request.user
        if not user.is_authenticated or second_factor.is_verified(user):
            return None
        if not second_factor.needs_second_factor(user):
            return None
        match = request.resolver_match
        in_admin = match is not None and match.namespace == "admin"
        if match is not None and not match.namespace and match.url_name in SECOND_FACTOR_PAGES:
            return None
        if not in_admin and not getattr(view_func, "login_required", True):
            return None
        step = "two_factor_verify" if second_factor.confirmed_totp_device(user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
