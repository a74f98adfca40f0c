"""Refuse request input no database can take, before any view or admin page passes it to a query.

Two kinds of input reached the database and came back as server errors:

- a NUL character in a querystring (admin list filters, autocomplete): PostgreSQL rejects NUL in text,
  so the query fails inside the view. No page of the service has any use for it: 400, a clear page.
- a whole number in the URL past the 64-bit range (/reports/99999999999999999999/...): Django's int
  converter accepts any length, and SQLite cannot bind it. No row can have such an id: 404.

Ids given in the querystring are parsed by assessments.selectors.rounds.round_id_from, which applies
the same bound (MAX_DATABASE_ID) and accepts ASCII digits only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponseBase

# The largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
MAX_DATABASE_ID = 2**63 - 1


def has_nul(request: HttpRequest) -> bool:
    """Whether any querystring name or value carries a NUL character."""
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
    )


class BadInputMiddleware:
    """NUL in the querystring is a 400; a number in the URL too large for any id is a 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if has_nul(request):
            raise BadRequest("The address contains a character the service cannot read.")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        """Stop before the view: an int from the URL outside 1..2**63-1 names no row."""
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_DATABASE_ID:
                raise Http404("No such page.")
