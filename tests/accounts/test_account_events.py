"""The audit log of account changes: a person's own changes, and roles changed in the admin (issue 21 item 3).

Own changes (password, second factor) are events whose actor is the account itself; roles added, changed
and removed in the admin name the administrator and the role. Nobody edits or deletes an event: the admin
offers no way, and on PostgreSQL a trigger refuses it whoever connects.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent, Membership
from accounts.roles import Role
from tests.factories import TEST_PASSWORD, verified_staff_login

NEW_PASSWORD = "Another-long-passphrase-2026"


def only_event(account) -> AccountEvent:
    [event] = AccountEvent.objects.filter(account=account)
    return event


# --- Own-account changes ------------------------------------------------------------------------------


def test_changing_your_own_password_is_an_account_event(client, world):
    world.spoc.set_password(TEST_PASSWORD)
    world.spoc.save()
    client.force_login(world.spoc)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = only_event(world.spoc)
    assert (event.kind, event.actor) == (AccountEvent.Kind.PASSWORD_CHANGED, world.spoc)


def test_a_refused_password_change_is_not_an_event(client, world):
    client.force_login(world.spoc)
    client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not AccountEvent.objects.exists()


def test_resetting_your_password_by_email_is_an_account_event(client, world):
    client.post(reverse("password_reset"), {"email": world.spoc.email})
    [message] = mail.outbox
    path = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/\S+/)", message.body).group(1)
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    event = only_event(world.spoc)
    assert (event.kind, event.actor) == (AccountEvent.Kind.PASSWORD_RESET, world.spoc)


def test_enrolling_your_own_app_is_an_account_event(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.enrolment import enrolment_link_issue
    from tests.factories import totp_code

    link = enrolment_link_issue(world.coordinator, actor=None, how="test")
    client.force_login(world.coordinator)
    client.get("/" + link.split("/", 3)[3], follow=True)
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    event = AccountEvent.objects.get(account=world.coordinator, kind=AccountEvent.Kind.SECOND_FACTOR_ENROLLED)
    assert event.actor == world.coordinator


def test_making_new_recovery_codes_is_an_account_event(client, world):
    verified_staff_login(client, world.coordinator)
    client.post(reverse("recovery_codes_new"))
    event = only_event(world.coordinator)
    assert (event.kind, event.actor) == (AccountEvent.Kind.RECOVERY_CODES_REPLACED, world.coordinator)


# --- Roles changed in the admin -----------------------------------------------------------------------


def change_form(user, memberships: list[dict[str, object]], *, initial: int) -> dict[str, object]:
    data: dict[str, object] = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, fields in enumerate(memberships):
        data[f"memberships-{index}-user"] = str(user.pk)
        for name, value in fields.items():
            data[f"memberships-{index}-{name}"] = str(value)
    return data


def post_roles(client, user, memberships, *, initial):
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), change_form(user, memberships, initial=initial)
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def existing(membership: Membership) -> dict[str, object]:
    return {
        "id": membership.pk,
        "role": membership.role,
        "force": membership.force_id or "",
        "region": membership.region_id or "",
    }


def test_adding_a_role_in_the_admin_is_an_account_event(client, world):
    verified_staff_login(client, world.administrator)
    held = world.spoc.memberships.get()
    post_roles(
        client,
        world.spoc,
        [existing(held), {"role": Role.SPOC.value, "force": world.neighbour_force.pk}],
        initial=1,
    )
    event = only_event(world.spoc)
    assert (event.kind, event.actor) == (AccountEvent.Kind.ROLE_ADDED, world.administrator)
    assert "Durham Constabulary" in event.detail


def test_changing_a_role_in_the_admin_is_an_account_event(client, world):
    verified_staff_login(client, world.administrator)
    held = world.spoc.memberships.get()
    moved = existing(held) | {"force": world.neighbour_force.pk}
    post_roles(client, world.spoc, [moved], initial=1)
    event = only_event(world.spoc)
    assert (event.kind, event.actor) == (AccountEvent.Kind.ROLE_CHANGED, world.administrator)
    # Says what it was and what it is now.
    assert "Cleveland Police" in event.detail and "Durham Constabulary" in event.detail


def test_removing_a_role_in_the_admin_is_an_account_event(client, world):
    verified_staff_login(client, world.administrator)
    held = world.spoc.memberships.get()
    post_roles(client, world.spoc, [existing(held) | {"DELETE": "on"}], initial=1)
    assert not Membership.objects.filter(pk=held.pk).exists()
    event = only_event(world.spoc)
    assert (event.kind, event.actor) == (AccountEvent.Kind.ROLE_REMOVED, world.administrator)
    assert "Cleveland Police" in event.detail


def test_saving_an_account_without_changing_roles_writes_no_event(client, world):
    verified_staff_login(client, world.administrator)
    post_roles(client, world.spoc, [existing(world.spoc.memberships.get())], initial=1)
    assert not AccountEvent.objects.filter(account=world.spoc).exists()


def test_an_administrator_cannot_edit_or_delete_an_event_in_the_admin(client, world):
    verified_staff_login(client, world.administrator)
    post_roles(client, world.spoc, [existing(world.spoc.memberships.get()) | {"DELETE": "on"}], initial=1)
    event = only_event(world.spoc)
    change_url = reverse("admin:accounts_accountevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="detail"' not in page.content.decode()  # shown, not editable
    client.post(change_url, {"detail": "nothing happened", "kind": AccountEvent.Kind.ROLE_ADDED})
    delete = client.post(reverse("admin:accounts_accountevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    bulk = client.post(
        reverse("admin:accounts_accountevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    event.refresh_from_db()
    assert event.kind == AccountEvent.Kind.ROLE_REMOVED and "Cleveland Police" in event.detail
    assert AccountEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_delete_or_change_account_events_on_postgresql(world):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = AccountEvent.objects.create(
        account=world.spoc, actor=world.administrator, kind=AccountEvent.Kind.ROLE_ADDED
    )
    for statement in (
        "DELETE FROM accounts_accountevent WHERE id = %s",
        "UPDATE accounts_accountevent SET actor_id = NULL WHERE id = %s",
        "UPDATE accounts_accountevent SET kind = 'role_removed' WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AccountEvent.objects.filter(pk=event.pk, kind=AccountEvent.Kind.ROLE_ADDED).exists()
