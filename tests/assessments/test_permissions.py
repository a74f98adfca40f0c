"""Scope helpers: each role sees exactly its forces and regions; everything else is a 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.permissions import (
    can_edit_reference_data,
    can_see_national_overview,
    can_use_admin,
    visible_forces,
    visible_regions,
)
from tests.factories import verified_staff_login

# role -> (forces it sees, regions whose overview it sees, national overview, admin, edits reference data)
SCOPE_TABLE = {
    Role.SPOC: ({"cleveland"}, set(), False, False, False),
    Role.CHIEF_OFFICER: ({"cleveland"}, set(), False, False, False),
    Role.COORDINATOR: ({"cleveland", "durham"}, {"north-east"}, False, True, False),
    Role.NATIONAL: ({"cleveland", "durham", "gwent"}, {"north-east", "wales"}, True, True, True),
    Role.ADMINISTRATOR: ({"cleveland", "durham", "gwent"}, {"north-east", "wales"}, True, True, True),
}
ALL_FORCES = ("cleveland", "durham", "gwent")
ALL_REGIONS = ("north-east", "wales")


@pytest.mark.parametrize("role", list(SCOPE_TABLE))
def test_scope_helpers_follow_the_table(world, role):
    forces, regions, national, admin, reference = SCOPE_TABLE[role]
    user = world.user(role)
    assert set(visible_forces(user).values_list("code", flat=True)) == forces
    assert set(visible_regions(user).values_list("slug", flat=True)) == regions
    assert can_see_national_overview(user) is national
    assert can_use_admin(user) is admin
    assert can_edit_reference_data(user) is reference


def test_a_user_without_membership_sees_nothing(world):
    assert not visible_forces(world.nobody).exists()
    assert not visible_regions(world.nobody).exists()
    assert not can_use_admin(world.nobody)


def test_an_inactive_user_sees_nothing(world):
    world.spoc.is_active = False
    world.spoc.save()
    assert not visible_forces(world.spoc).exists()


@pytest.mark.parametrize("role", list(SCOPE_TABLE))
@pytest.mark.parametrize("force_code", ALL_FORCES)
def test_force_pages_are_404_out_of_scope(client, world, role, force_code):
    verified_staff_login(client, world.user(role))
    response = client.get(reverse("assessments:force_home", kwargs={"force_code": force_code}))
    expected = 200 if force_code in SCOPE_TABLE[role][0] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", list(SCOPE_TABLE))
@pytest.mark.parametrize("region_slug", ALL_REGIONS)
def test_region_pages_are_404_out_of_scope(client, world, role, region_slug):
    verified_staff_login(client, world.user(role))
    response = client.get(reverse("assessments:region_overview", kwargs={"region_slug": region_slug}))
    expected = 200 if region_slug in SCOPE_TABLE[role][1] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", list(SCOPE_TABLE))
def test_national_overview_is_404_except_for_national_roles(client, world, role):
    verified_staff_login(client, world.user(role))
    response = client.get(reverse("assessments:national_overview"))
    assert response.status_code == (200 if SCOPE_TABLE[role][2] else 404)


def test_a_force_that_does_not_exist_is_404_like_a_forbidden_one(client, world):
    client.force_login(world.spoc)
    missing = client.get("/forces/atlantis/")
    forbidden = client.get("/forces/gwent/")
    assert missing.status_code == forbidden.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", missing.content) == token.sub(b"", forbidden.content)
