"""Nobody changes an account with more privilege than their own (issue 21 item 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import Privilege, may_manage_account, privilege_of
from accounts.models import AccountEvent, User
from tests.factories import verified_staff_login


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(
        email="breakglass@force.example", full_name="Break Glass", password="x" * 20
    )
    TOTPDevice.objects.create(user=user, name="Break-glass app", confirmed=True)
    return user


def test_the_order_of_privilege(world, superuser):
    assert privilege_of(superuser) == Privilege.SUPERUSER
    assert privilege_of(world.administrator) == Privilege.ADMINISTRATOR
    assert privilege_of(world.national) == Privilege.NATIONAL
    assert privilege_of(world.coordinator) == Privilege.COORDINATOR
    assert privilege_of(world.spoc) == privilege_of(world.chief_officer) == Privilege.FORCE
    assert not may_manage_account(world.administrator, superuser)
    assert may_manage_account(world.administrator, world.coordinator)
    assert may_manage_account(superuser, world.administrator)


def test_an_administrator_cannot_set_the_superusers_password(client, world, superuser):
    verified_staff_login(client, world.administrator)
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("Taken-over-2026!")


def test_an_administrator_cannot_change_the_superusers_account(client, world, superuser):
    verified_staff_login(client, world.administrator)
    url = reverse("admin:accounts_user_change", args=[superuser.pk])
    response = client.post(url, {"email": "mine@force.example", "full_name": "Mine", "is_active": "on"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "breakglass@force.example"


def test_an_administrator_cannot_reset_the_superusers_second_factor(client, world, superuser):
    verified_staff_login(client, world.administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [superuser.pk, world.coordinator.pk]},
        follow=True,
    )
    assert "more privilege than your own" in response.content.decode()
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()


def test_an_administrator_still_manages_a_coordinator(client, world):
    verified_staff_login(client, world.administrator)
    url = reverse("admin:auth_user_password_change", args=[world.coordinator.pk])
    assert client.get(url).status_code == 200


# --- The audit log of account changes -------------------------------------------------------------------


def test_setting_a_password_in_the_admin_is_an_account_event(client, world):
    verified_staff_login(client, world.administrator)
    url = reverse("admin:auth_user_password_change", args=[world.coordinator.pk])
    response = client.post(
        url, {"password1": "A-new-long-passphrase-2026", "password2": "A-new-long-passphrase-2026"}
    )
    assert response.status_code == 302
    event = AccountEvent.objects.get()
    assert (event.account, event.actor, event.kind) == (
        world.coordinator,
        world.administrator,
        AccountEvent.Kind.PASSWORD_SET,
    )


def test_resetting_a_second_factor_is_an_account_event(client, world):
    verified_staff_login(client, world.administrator)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [world.coordinator.pk]},
    )
    assert AccountEvent.objects.filter(
        account=world.coordinator, actor=world.administrator, kind=AccountEvent.Kind.SECOND_FACTOR_RESET
    ).exists()


def test_account_events_are_append_only_and_read_only_in_the_admin(client, world):
    event = AccountEvent.objects.create(account=world.spoc, kind=AccountEvent.Kind.ROLE_ADDED)
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        AccountEvent.objects.all().delete()
    verified_staff_login(client, world.administrator)
    assert client.get(reverse("admin:accounts_accountevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_accountevent_add")).status_code == 403
    change = client.post(reverse("admin:accounts_accountevent_change", args=[event.pk]), {"detail": "x"})
    assert change.status_code in (200, 403)
    event.refresh_from_db()
    assert event.detail == ""
    delete = client.post(reverse("admin:accounts_accountevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AccountEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_account_events_on_postgresql(world):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = AccountEvent.objects.create(account=world.spoc, kind=AccountEvent.Kind.ROLE_ADDED)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_accountevent SET detail = 'x' WHERE id = %s", [event.pk])
