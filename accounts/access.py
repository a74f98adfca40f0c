"""What a user may do because of who they are: their memberships boiled down, and the yes/no checks that
need nothing else.

These answers depend only on a user's memberships and roles, so they live beside the memberships. The
checks that need an assessment, a force or a queryset of them stay in assessments/permissions.py, which
builds on `access_for` here; accounts itself never imports assessments.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from accounts.roles import ADMIN_SITE_ROLES, Role

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
    # Memberships point at forces and regions by string reference, so the lookups below reach their
    # codes and names through the ORM without importing the assessments app.
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


def can_use_admin(user: Any) -> bool:
    """Coordinators, national staff and administrators work in the admin; force users never do."""
    return bool(access_for(user).roles & ADMIN_SITE_ROLES) or bool(getattr(user, "is_superuser", False))


def can_see_national_overview(user: Any) -> bool:
    """Only national staff and administrators see every force side by side."""
    return access_for(user).nationwide


def can_edit_reference_data(user: Any) -> bool:
    """National staff and administrators maintain the action plan, regions and forces."""
    return access_for(user).nationwide or bool(getattr(user, "is_superuser", False))


def can_reopen(user: Any) -> bool:
    """National staff and administrators reopen a signed-off assessment as a new version."""
    return access_for(user).nationwide


class Privilege(IntEnum):
    """How much an account can do, highest last: the order that decides who may change whom.

    A break-glass superuser can do anything; an administrator manages people and reference data;
    national staff see and reopen every force; a coordinator decides for one region; force roles
    (SPOC, chief officer) act for one force. An account counts at its highest role.
    """

    NONE = 0
    FORCE = 1
    COORDINATOR = 2
    NATIONAL = 3
    ADMINISTRATOR = 4
    SUPERUSER = 5


def privilege_of(user: Any) -> Privilege:
    """The highest privilege the account holds, whether or not it is active (a disabled superuser
    re-enabled by an administrator would otherwise be a way in)."""
    if getattr(user, "is_superuser", False):
        return Privilege.SUPERUSER
    roles = set(user.memberships.values_list("role", flat=True)) if getattr(user, "pk", None) else set()
    if Role.ADMINISTRATOR in roles:
        return Privilege.ADMINISTRATOR
    if Role.NATIONAL in roles:
        return Privilege.NATIONAL
    if Role.COORDINATOR in roles:
        return Privilege.COORDINATOR
    if roles & {Role.SPOC, Role.CHIEF_OFFICER}:
        return Privilege.FORCE
    return Privilege.NONE


def may_manage_account(actor: Any, target: Any) -> bool:
    """Whether the actor may change the target's account (password, second factor, roles, details).

    Nobody changes an account with more privilege than their own, so an administrator cannot set the
    break-glass superuser's password or reset its second factor and sign in as it.
    """
    return privilege_of(actor) >= privilege_of(target)
