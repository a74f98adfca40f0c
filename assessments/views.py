"""Pages for forces, regions and the national picture. Views parse, call one selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import selectors
from assessments.permissions import can_see_national_overview, force_for_user_or_404, region_for_user_or_404


def start(request: HttpRequest) -> HttpResponse:
    """After sign-in: send a user with one place to work straight there; otherwise let them choose."""
    destinations = selectors.home_destinations(user=request.user)
    if len(destinations) == 1:
        return redirect(destinations[0].url)
    return render(request, "assessments/start.html", {"destinations": destinations})


def force_home(request: HttpRequest, force_code: str) -> HttpResponse:
    """A force's home page for its SPOC and chief officer (and those who oversee it)."""
    force = force_for_user_or_404(request.user, force_code)
    return render(request, "assessments/force_home.html", {"force": force})


def region_overview(request: HttpRequest, region_slug: str) -> HttpResponse:
    """A region's forces, for its coordinator and national staff."""
    region = region_for_user_or_404(request.user, region_slug)
    forces = selectors.region_overview_forces(region=region)
    return render(request, "assessments/region_overview.html", {"region": region, "forces": forces})


def national_overview(request: HttpRequest) -> HttpResponse:
    """Every region and force, for national staff and administrators."""
    if not can_see_national_overview(request.user):
        raise Http404
    regions = selectors.national_overview_regions()
    return render(request, "assessments/national_overview.html", {"regions": regions})
