"""Give every request an id, return it in X-Request-ID, and write one access-log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

from ops.logging import REQUEST_LOGGER, RequestContext, bind_request, unbind_request

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Parts of a URL that are secrets or identify a person: logged as "[redacted]".
SENSITIVE_URL_KWARGS = frozenset({"uidb64", "token"})
# Load balancers ask for this every few seconds; log it only at DEBUG.
QUIET_PATHS = frozenset({"/health/"})

log = logging.getLogger(REQUEST_LOGGER)


def request_id_from(header: str | None) -> str:
    """Keep a well-formed incoming id (from the proxy or load balancer); otherwise make a new one."""
    if header and _VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def loggable_path(request: HttpRequest) -> str:
    """The request path with reset tokens and the like replaced, and never the query string."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SENSITIVE_URL_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), "[redacted]")
    return path


def signed_in_user_id(request: HttpRequest) -> int | None:
    """The numeric id of the signed-in user, if the request already looked the user up.

    Never triggers the lookup itself: a log line must not cost a database query, and the health
    check must not touch the database through the session.
    """
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject until something reads it
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    pk = getattr(wrapped, "pk", None)
    return pk if isinstance(pk, int) else None


class RequestIdMiddleware:
    """Outermost middleware: tags log lines with the request id and logs method, path, status, time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        method = request.method or ""
        token = bind_request(
            RequestContext(
                request_id=request_id,
                method=method,
                raw_path=request.path,
                loggable_path=lambda: loggable_path(request),
            )
        )
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = (time.perf_counter() - started) * 1000
            response[REQUEST_ID_HEADER] = request_id
            path = loggable_path(request)
            log.log(
                logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                "%s %s %s",
                method,
                path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": signed_in_user_id(request),
                },
            )
            return response
        finally:
            unbind_request(token)
