"""JSON log lines for production: one object per line, tagged with the request id, free of personal data.

Only a fixed set of fields is ever written. Messages and tracebacks pass through `scrub()`, which
removes email addresses and query strings, as a second line of defence: the first is that our own
code logs numeric user ids and paths, never addresses, names, bodies, cookies or tokens.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

REQUEST_LOGGER = "msoic.request"
SECURITY_LOGGER = "msoic.security"

security_log = logging.getLogger(SECURITY_LOGGER)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A "?" straight after a path or word character starts a query string; keep the "?" so the
# line still shows that one was there.
_QUERY = re.compile(r"(?<=[\w/])\?[^\s\"'<>]+")


@dataclass(frozen=True)
class RequestContext:
    """What every log line written while handling one request is tagged with."""

    request_id: str
    method: str
    raw_path: str
    # Called when a line is written, so it can use what URL resolution learnt (which parts are tokens).
    loggable_path: Callable[[], str]

    def path(self) -> str:
        """The path as it may appear in logs."""
        return self.loggable_path()


_current_request: ContextVar[RequestContext | None] = ContextVar("msoic_request", default=None)


def bind_request(context: RequestContext) -> Token[RequestContext | None]:
    """Tag log lines from this thread or task with the request until `unbind_request`."""
    return _current_request.set(context)


def unbind_request(token: Token[RequestContext | None]) -> None:
    """Stop tagging log lines with the request bound by `bind_request`."""
    _current_request.reset(token)


def current_request_id() -> str | None:
    """The id of the request being handled, if any (for error pages and outgoing calls)."""
    context = _current_request.get()
    return context.request_id if context else None


def scrub(text: str) -> str:
    """Remove email addresses and query strings from free text."""
    return _QUERY.sub("?[redacted]", _EMAIL.sub("[email]", text))


def clean_path(path: str) -> str:
    """A URL path without its query string, with any email address removed."""
    return scrub(path.split("?", 1)[0])


class JsonFormatter(logging.Formatter):
    """Format each record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Write time, level, logger, message and request id, plus request fields when known."""
        context = _current_request.get()
        message = record.getMessage()
        if context is not None and context.raw_path and context.raw_path in message:
            # Django's own lines ("Not Found: /path") quote the raw path, tokens and all.
            message = message.replace(context.raw_path, context.path())
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(message),
            "request_id": getattr(record, "request_id", None) or (context.request_id if context else None),
        }
        method = getattr(record, "method", None) or (context.method if context else None)
        path = getattr(record, "path", None) or (context.path() if context else None)
        # django.request records carry the status as status_code.
        status = getattr(record, "status", None) or getattr(record, "status_code", None)
        duration_ms = getattr(record, "duration_ms", None)
        user_id = getattr(record, "user_id", None)
        event = getattr(record, "event", None)
        if isinstance(event, str):
            entry["event"] = event
        if isinstance(method, str):
            entry["method"] = method
        if isinstance(path, str):
            entry["path"] = clean_path(path)
        if isinstance(status, int):
            entry["status"] = status
        if isinstance(duration_ms, int | float):
            entry["duration_ms"] = round(float(duration_ms), 1)
        # Only a numeric id: never an email address or a name.
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            entry["user_id"] = user_id
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = scrub(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)
