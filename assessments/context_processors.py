"""Navigation for the service header, chosen by the signed-in user's roles.

It lives in assessments, not accounts, because the links depend on where each role works (its force,
its region, the national overview), which only assessments' home selector knows; accounts imports
nothing from assessments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accounts.access import can_use_admin
from assessments.selectors import home_destinations


@dataclass(frozen=True)
class NavItem:
    """One link in the service navigation."""

    label: str
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, object]:
    """Offer each role the places it works in, and mark the current one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    links: list[tuple[str, str]] = [("Home", reverse("home"))]
    destinations = home_destinations(user=user)
    if len(destinations) == 1 and destinations[0].url != reverse("home"):
        links.append((_short_label(destinations[0].description), destinations[0].url))
    links.append(("Action plan", reverse("actionplan:plan")))
    if can_use_admin(user):
        links.append(("Review and admin", reverse("admin:index")))
    items = []
    for label, url in links:
        active = path == url if url == reverse("home") else path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    return {"nav_items": items}


def _short_label(role_description: str) -> str:
    labels = {
        "Force SPOC": "Your force",
        "Chief officer": "Your force",
        "Regional coordinator": "Your region",
        "National overview": "All forces",
    }
    return labels.get(role_description, role_description)
