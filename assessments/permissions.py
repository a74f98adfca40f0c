"""Who may see what. Every view fetches through these helpers, so anything out of scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import ADMIN_SITE_ROLES, Role
from assessments.models import ActivityReturn, Assessment, Force, Region
from assessments.status import EDITABLE_STATUSES, WorkflowStatus

_CACHE_ATTRIBUTE = "_msoic_access"


@dataclass(frozen=True)
class Access:
    """A user's memberships, boiled down to the scopes each role reaches."""

    spoc_force_ids: frozenset[int] = frozenset()
    chief_officer_force_ids: frozenset[int] = frozenset()
    coordinator_region_ids: frozenset[int] = frozenset()
    is_national: bool = False
    is_administrator: bool = False
    # (role, force code or region slug, display name) for each scoped membership, for navigation.
    scoped_memberships: tuple[tuple[Role, str, str], ...] = ()

    @property
    def nationwide(self) -> bool:
        """National staff and administrators see every force."""
        return self.is_national or self.is_administrator

    @property
    def force_ids(self) -> frozenset[int]:
        """Forces reached through a force role (SPOC or chief officer)."""
        return self.spoc_force_ids | self.chief_officer_force_ids

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the user holds somewhere."""
        held: set[Role] = set()
        if self.spoc_force_ids:
            held.add(Role.SPOC)
        if self.chief_officer_force_ids:
            held.add(Role.CHIEF_OFFICER)
        if self.coordinator_region_ids:
            held.add(Role.COORDINATOR)
        if self.is_national:
            held.add(Role.NATIONAL)
        if self.is_administrator:
            held.add(Role.ADMINISTRATOR)
        return frozenset(held)


NO_ACCESS = Access()


def access_for(user: Any) -> Access:
    """Read the user's memberships once per request and remember them on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, Access):
        return cached
    spoc: set[int] = set()
    chief: set[int] = set()
    regions: set[int] = set()
    national = administrator = False
    scoped: list[tuple[Role, str, str]] = []
    rows = user.memberships.order_by("role", "force__name", "region__name").values_list(
        "role", "force_id", "force__code", "force__name", "region_id", "region__slug", "region__name"
    )
    for role, force_id, force_code, force_name, region_id, region_slug, region_name in rows:
        if force_id is not None:
            scoped.append((Role(role), force_code, force_name))
        elif region_id is not None:
            scoped.append((Role(role), region_slug, region_name))
        if role == Role.SPOC:
            spoc.add(force_id)
        elif role == Role.CHIEF_OFFICER:
            chief.add(force_id)
        elif role == Role.COORDINATOR:
            regions.add(region_id)
        elif role == Role.NATIONAL:
            national = True
        elif role == Role.ADMINISTRATOR:
            administrator = True
    access = Access(
        frozenset(spoc), frozenset(chief), frozenset(regions), national, administrator, tuple(scoped)
    )
    setattr(user, _CACHE_ATTRIBUTE, access)
    return access


def visible_forces(user: Any) -> QuerySet[Force]:
    """Forces the user may see: their own, their region's, or all for national roles."""
    access = access_for(user)
    forces = Force.objects.select_related("region")
    if access.nationwide:
        return forces.all()
    return forces.filter(Q(pk__in=access.force_ids) | Q(region_id__in=access.coordinator_region_ids))


def visible_regions(user: Any) -> QuerySet[Region]:
    """Regions whose overview the user may see: coordinators their own; national staff all."""
    access = access_for(user)
    if access.nationwide:
        return Region.objects.all()
    return Region.objects.filter(pk__in=access.coordinator_region_ids)


def force_for_user_or_404(user: Any, code: str) -> Force:
    """The force with this code if the user may see it; otherwise 404, exactly as if it did not exist."""
    return get_object_or_404(visible_forces(user), code=code)


def region_for_user_or_404(user: Any, slug: str) -> Region:
    """The region with this slug if the user may see its overview; otherwise 404."""
    return get_object_or_404(visible_regions(user), slug=slug)


def can_use_admin(user: Any) -> bool:
    """Coordinators, national staff and administrators work in the admin; force users never do."""
    return bool(access_for(user).roles & ADMIN_SITE_ROLES) or bool(getattr(user, "is_superuser", False))


def can_see_national_overview(user: Any) -> bool:
    """Only national staff and administrators see every force side by side."""
    return access_for(user).nationwide


def can_edit_reference_data(user: Any) -> bool:
    """National staff and administrators maintain the action plan, regions and forces."""
    return access_for(user).nationwide or bool(getattr(user, "is_superuser", False))


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """Assessments of the forces the user may see, with force, region and round fetched."""
    access = access_for(user)
    assessments = Assessment.objects.select_related("force__region", "round__plan")
    if access.nationwide:
        return assessments.all()
    return assessments.filter(
        Q(force_id__in=access.force_ids) | Q(force__region_id__in=access.coordinator_region_ids)
    )


def assessment_for_user_or_404(user: Any, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; otherwise 404, as if it did not exist."""
    return get_object_or_404(visible_assessments(user), pk=assessment_id)


def is_spoc_for(user: Any, assessment: Assessment) -> bool:
    """True when the user is a SPOC of the assessment's force."""
    return assessment.force_id in access_for(user).spoc_force_ids


def can_edit_assessment(user: Any, assessment: Assessment) -> bool:
    """Only the force's SPOC edits, and only while the assessment is a draft or returned."""
    return is_spoc_for(user, assessment) and assessment.status in EDITABLE_STATUSES


def can_edit_return(user: Any, activity_return: ActivityReturn) -> bool:
    """A returned assessment opens only the activities the coordinator marked for changes."""
    assessment = activity_return.assessment
    if not can_edit_assessment(user, assessment):
        return False
    return assessment.status == WorkflowStatus.DRAFT or activity_return.reopened_for_changes


def can_submit(user: Any, assessment: Assessment) -> bool:
    """Only the force's SPOC submits, from draft or returned."""
    return can_edit_assessment(user, assessment)


def can_review(user: Any, assessment: Assessment) -> bool:
    """Only a coordinator of the force's region comments on, returns and signs off its assessment."""
    return assessment.force.region_id in access_for(user).coordinator_region_ids


def can_reopen(user: Any) -> bool:
    """National staff and administrators reopen a signed-off assessment as a new version."""
    return access_for(user).nationwide
