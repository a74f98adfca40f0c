"""First enrolment of a second factor needs a one-time enrolment link, not the password alone (issue 21, 10).

A link is signed, bound to one account and to that account's enrolment epoch (raised when a link is issued
or used, so a used or older link dies), and expires after ENROLMENT_LINK_MAX_AGE. Tests assert states:
expiry is reached by shrinking the signer's max_age, never by waiting.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import enrolment
from accounts.models import AccountEvent, User
from accounts.roles import Role
from accounts.second_factor import second_factor_reset
from tests.factories import totp_code, verified_staff_login

SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")
NEED_A_LINK = "You need an enrolment link to set up your authenticator"
LINK_REFUSED = "This enrolment link cannot be used"
BASE = "https://msoic.example.police.uk"
LINK_PATTERN = r"https?://\S+/account/two-factor/enrol/[^/\s]+/"


def link_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def issue(user: User) -> str:
    """A fresh link for the user, as the management command or an administrator would issue it."""
    return link_path(enrolment.enrolment_link_issue(user, actor=None, how="test"))


def enrol_through(client, user: User, path: str):
    """Follow the link, then set up the app with a real code; returns the final response."""
    client.get(path, follow=True)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(SETUP, {"code": totp_code(device)})


def assert_not_enrolled(client, user: User) -> None:
    page = client.get(SETUP)
    assert page.status_code == 200
    assert NEED_A_LINK in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Nor can a code be posted past the refusal.
    client.post(SETUP, {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- The set-up page refuses without a link ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR])
def test_staff_without_an_app_and_without_a_link_cannot_enrol(client, world, role):
    user = world.user(role)
    client.force_login(user)
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert NEED_A_LINK in html
    assert "Ask your administrator" in html
    # No secret is made or shown to the password holder.
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "setup-key" not in html and "data:image/svg+xml" not in html
    assert_not_enrolled(client, user)


def test_a_valid_link_lets_the_person_enrol_once(client, world):
    path = issue(world.coordinator)
    client.force_login(world.coordinator)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "data:image/svg+xml" in page and NEED_A_LINK not in page
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    done = client.post(SETUP, {"code": totp_code(device)})
    assert done.status_code == 200 and "Authenticator app set up" in done.content.decode()
    assert TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).count() == 1
    events = AccountEvent.objects.filter(account=world.coordinator)
    assert events.filter(kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED, actor=None).count() == 1
    assert events.filter(kind=AccountEvent.Kind.SECOND_FACTOR_ENROLLED, actor=world.coordinator).count() == 1


def test_a_link_sends_someone_signed_out_through_sign_in_first(client, world):
    path = issue(world.coordinator)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_used_link_is_refused(client, world):
    path = issue(world.coordinator)
    client.force_login(world.coordinator)
    enrol_through(client, world.coordinator, path)
    # The phone is lost and the app removed without a new link: the old link must not work again.
    second_factor_reset(world.coordinator)
    client.force_login(world.coordinator)
    assert LINK_REFUSED in client.get(path, follow=True).content.decode()
    assert_not_enrolled(client, world.coordinator)


def test_an_expired_link_is_refused(client, world, monkeypatch):
    path = issue(world.coordinator)
    monkeypatch.setattr(enrolment, "ENROLMENT_LINK_MAX_AGE", datetime.timedelta(seconds=-1))
    client.force_login(world.coordinator)
    assert LINK_REFUSED in client.get(path, follow=True).content.decode()
    assert_not_enrolled(client, world.coordinator)


def test_a_link_that_expires_between_following_it_and_entering_the_code_is_refused(
    client, world, monkeypatch
):
    path = issue(world.coordinator)
    client.force_login(world.coordinator)
    client.get(path, follow=True)
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    monkeypatch.setattr(enrolment, "ENROLMENT_LINK_MAX_AGE", datetime.timedelta(seconds=-1))
    response = client.post(SETUP, {"code": totp_code(device)})
    assert NEED_A_LINK in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).exists()


def test_another_persons_link_is_refused(client, world):
    path = issue(world.national)
    client.force_login(world.coordinator)
    assert LINK_REFUSED in client.get(path, follow=True).content.decode()
    assert_not_enrolled(client, world.coordinator)


def test_a_tampered_link_is_refused(client, world):
    path = issue(world.coordinator)
    token = path.rstrip("/").rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    client.force_login(world.coordinator)
    response = client.get(path.replace(token, flipped), follow=True)
    assert response.status_code == 200
    assert LINK_REFUSED in response.content.decode()
    assert client.get(path.replace(token, "nonsense"), follow=True).status_code == 200
    assert_not_enrolled(client, world.coordinator)


def test_issuing_a_new_link_kills_the_older_one(client, world):
    old = issue(world.coordinator)
    new = issue(world.coordinator)
    client.force_login(world.coordinator)
    assert LINK_REFUSED in client.get(old, follow=True).content.decode()
    assert client.get(new)["Location"].startswith(SETUP)


def test_someone_with_an_app_is_unaffected(client, world):
    device = TOTPDevice.objects.create(user=world.national, name="Phone", confirmed=True)
    client.force_login(world.national)
    assert client.get("/")["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == reverse("home")


# --- Links sent by email ------------------------------------------------------------------------------


def add_user_post(email: str, *, role: Role | None = None, region=None) -> dict[str, object]:
    data: dict[str, object] = {
        "email": email,
        "full_name": "Nia Newcomer",
        "usable_password": "true",
        "password1": "A-long-passphrase-2026",
        "password2": "A-long-passphrase-2026",
        "memberships-TOTAL_FORMS": "1" if role else "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if role:
        data["memberships-0-role"] = role.value
        if region is not None:
            data["memberships-0-region"] = str(region.pk)
    return data


def links_in(message) -> list[str]:
    return re.findall(LINK_PATTERN, message.body)


@override_settings(SERVICE_BASE_URL=BASE)
def test_creating_a_staff_account_emails_an_enrolment_link_on_the_base_url(
    client, world, django_capture_on_commit_callbacks
):
    verified_staff_login(client, world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_add"),
            add_user_post("nia@force.example", role=Role.COORDINATOR, region=world.home_region),
            HTTP_HOST="testserver",
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(email="nia@force.example")
    [message] = [m for m in mail.outbox if m.to == ["nia@force.example"]]
    [link] = links_in(message)
    assert link.startswith(f"{BASE}/account/two-factor/enrol/")
    assert "72 hours" in message.body
    assert AccountEvent.objects.filter(
        account=newcomer, actor=world.administrator, kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED
    ).exists()
    # The newcomer signs in with their password and follows the link.
    newcomer_client = type(client)()
    newcomer_client.force_login(newcomer)
    assert enrol_through(newcomer_client, newcomer, link_path(link)).status_code == 200
    assert TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_creating_a_spoc_account_sends_no_link_unless_everyone_needs_a_second_factor(
    client, world, settings, django_capture_on_commit_callbacks
):
    verified_staff_login(client, world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:accounts_user_add"), add_user_post("plain@force.example"))
    assert not [m for m in mail.outbox if m.to == ["plain@force.example"]]
    settings.REQUIRE_SECOND_FACTOR_FOR_ALL = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:accounts_user_add"), add_user_post("all@force.example"))
    assert len([m for m in mail.outbox if m.to == ["all@force.example"]]) == 1


def test_giving_a_staff_role_to_an_account_without_an_app_emails_a_link(
    client, world, django_capture_on_commit_callbacks
):
    spoc = world.spoc
    membership = spoc.memberships.get()
    verified_staff_login(client, world.administrator)
    data = {
        "email": spoc.email,
        "full_name": spoc.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-user": str(spoc.pk),
        "memberships-0-role": Role.SPOC.value,
        "memberships-0-force": str(world.home_force.pk),
        "memberships-1-user": str(spoc.pk),
        "memberships-1-role": Role.COORDINATOR.value,
        "memberships-1-region": str(world.home_region.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_change", args=[spoc.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len([m for m in mail.outbox if m.to == [spoc.email]]) == 1


def test_an_administrators_reset_emails_a_new_link_and_kills_the_old(
    client, world, django_capture_on_commit_callbacks
):
    old = issue(world.coordinator)
    TOTPDevice.objects.create(user=world.coordinator, name="Phone", confirmed=True)
    verified_staff_login(client, world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [world.coordinator.pk]},
        )
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()
    [message] = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    [new] = links_in(message)
    person = type(client)()
    person.force_login(world.coordinator)
    assert LINK_REFUSED in person.get(old, follow=True).content.decode()
    assert enrol_through(person, world.coordinator, link_path(new)).status_code == 200
    assert TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).exists()


def test_an_administrator_can_send_a_new_link(client, world, django_capture_on_commit_callbacks):
    old = issue(world.national)
    verified_staff_login(client, world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_enrolment_link", "_selected_action": [world.national.pk]},
            follow=True,
        )
    assert "Sent an enrolment link to 1 person" in response.content.decode()
    [message] = [m for m in mail.outbox if m.to == [world.national.email]]
    [new] = links_in(message)
    person = type(client)()
    person.force_login(world.national)
    assert LINK_REFUSED in person.get(old, follow=True).content.decode()
    assert person.get(link_path(new))["Location"].startswith(SETUP)
    assert (
        AccountEvent.objects.filter(
            account=world.national, actor=world.administrator, kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED
        ).count()
        == 1
    )


def test_an_administrator_cannot_send_a_link_for_a_superuser(client, world):
    superuser = User.objects.create_superuser(
        email="breakglass@force.example", full_name="Break Glass", password="x" * 20
    )
    verified_staff_login(client, world.administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_enrolment_link", "_selected_action": [superuser.pk]},
        follow=True,
    )
    assert "more privilege than your own" in response.content.decode()
    assert not AccountEvent.objects.filter(account=superuser).exists()


# --- The first superuser ------------------------------------------------------------------------------


@override_settings(SERVICE_BASE_URL=BASE)
def test_the_first_superuser_enrols_with_a_link_the_command_prints(client, db, capsys):
    superuser = User.objects.create_superuser(
        email="breakglass@force.example", full_name="Break Glass", password="x" * 20
    )
    client.force_login(superuser)
    assert NEED_A_LINK in client.get("/admin/", follow=True).content.decode()
    call_command("enrolment_link", "breakglass@force.example")
    [link] = re.findall(LINK_PATTERN, capsys.readouterr().out)
    assert link.startswith(BASE)
    event = AccountEvent.objects.get(account=superuser, kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED)
    assert event.actor is None and "enrolment_link" in event.detail
    assert enrol_through(client, superuser, link_path(link)).status_code == 200
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()


def test_the_command_refuses_an_unknown_address(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No account"):
        call_command("enrolment_link", "nobody@force.example")


# --- Someone not required to have a second factor sets one up voluntarily ------------------------------


def test_a_spoc_asks_for_a_link_by_email_to_set_up_an_app(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.spoc)
    account = client.get(reverse("account")).content.decode()
    assert "Set up an authenticator app" in account
    assert NEED_A_LINK in client.get(SETUP).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("two_factor_enrolment_link_request"), follow=True)
    assert "We have sent a link to spoc@force.example" in response.content.decode()
    [message] = [m for m in mail.outbox if m.to == [world.spoc.email]]
    [link] = links_in(message)
    assert enrol_through(client, world.spoc, link_path(link)).status_code == 200
    assert AccountEvent.objects.filter(
        account=world.spoc, actor=world.spoc, kind=AccountEvent.Kind.ENROLMENT_LINK_ISSUED
    ).exists()


def test_staff_cannot_email_themselves_a_link(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two_factor_enrolment_link_request"))
    assert not mail.outbox
    assert not AccountEvent.objects.filter(account=world.coordinator).exists()


@pytest.mark.parametrize(
    "token",
    ["²①", "x" * 3000, "a:b:c", "eyJ1c2VyIjoxfQ:1tQ:" + "A" * 43, "-" * 10, "e30:zzzzzzz:sig"],
)
def test_a_malformed_link_is_a_clear_refusal_never_a_server_error(client, world, token):
    client.force_login(world.coordinator)
    response = client.get(f"/account/two-factor/enrol/{token}/")
    assert response.status_code == 200
    assert LINK_REFUSED in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()
