"""The admin is branded, open only to staff roles; reference data is read-only except for national roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from actionplan.models import Activity
from tests.factories import verified_staff_login


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SPOC, 302),
        (Role.CHIEF_OFFICER, 302),
        (Role.COORDINATOR, 200),
        (Role.NATIONAL, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_only_staff_roles_reach_the_admin(client, world, role, status):
    verified_staff_login(client, world.user(role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == status
    if status == 200:
        assert "Modern slavery action plan self-assessment" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "can_edit"), [(Role.COORDINATOR, False), (Role.NATIONAL, True), (Role.ADMINISTRATOR, True)]
)
def test_reference_data_is_read_only_for_coordinators(client, world, action_plan, role, can_edit):
    verified_staff_login(client, world.user(role))
    activity = Activity.objects.get(code="LG01")
    url = reverse("admin:actionplan_activity_change", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ('name="title"' in page.content.decode()) is can_edit
    response = client.post(url, {"title": "Tampered"})
    activity.refresh_from_db()
    assert activity.title != "Tampered"
    if not can_edit:
        assert response.status_code == 403


def test_nobody_deletes_reference_data(client, world, action_plan):
    verified_staff_login(client, world.administrator)
    activity = Activity.objects.get(code="LG01")
    response = client.post(reverse("admin:actionplan_activity_delete", args=[activity.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.COORDINATOR, 403), (Role.NATIONAL, 403), (Role.ADMINISTRATOR, 200)]
)
def test_only_administrators_manage_users(client, world, role, status):
    verified_staff_login(client, world.user(role))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == status


def test_other_packages_admins_open_to_superusers_only_whatever_permission_rows_say(client, world):
    administrator = world.user(Role.ADMINISTRATOR)
    # A stray permission row (granted by hand, say) must not open the sign-in lockout records.
    administrator.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    verified_staff_login(client, administrator)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert "Access attempts" not in client.get(reverse("admin:index")).content.decode()

    superuser = User.objects.create_superuser("break.glass@force.example", "a-long-test-password-1")
    verified_staff_login(client, superuser)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    # The package's own rules still apply to a superuser: axes records cannot be added by hand.
    assert client.get(reverse("admin:axes_accessattempt_add")).status_code == 403


def test_the_admin_sidebar_asks_no_permission_tables_for_staff_roles(client, world):
    verified_staff_login(client, world.user(Role.COORDINATOR))
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]]
