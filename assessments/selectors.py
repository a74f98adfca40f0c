"""Reads for each page, scoped to the user. One selector per page, with its related rows fetched up front."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from accounts.roles import Role
from assessments.models import Force, Region
from assessments.permissions import access_for


@dataclass(frozen=True)
class Destination:
    """A place a signed-in user can start from: their force, their region, or the national picture."""

    label: str
    description: str
    url: str


def home_destinations(*, user: Any) -> list[Destination]:
    """Where each of the user's roles starts, in a stable order; no database query beyond memberships."""
    access = access_for(user)
    destinations: list[Destination] = []
    for role, key, name in access.scoped_memberships:
        if role in (Role.SPOC, Role.CHIEF_OFFICER):
            url = reverse("assessments:force_home", kwargs={"force_code": key})
        else:
            url = reverse("assessments:region_overview", kwargs={"region_slug": key})
        destinations.append(Destination(label=name, description=Role(role).label, url=url))
    if access.nationwide:
        destinations.append(
            Destination(
                label="All forces in England and Wales",
                description="National overview",
                url=reverse("assessments:national_overview"),
            )
        )
    return destinations


def region_overview_forces(*, region: Region) -> QuerySet[Force]:
    """The region's forces in name order."""
    return region.forces.order_by("name")


def national_overview_regions() -> QuerySet[Region]:
    """Every region with its forces, in two queries."""
    return Region.objects.order_by("name").prefetch_related(
        Prefetch("forces", queryset=Force.objects.order_by("name"))
    )
