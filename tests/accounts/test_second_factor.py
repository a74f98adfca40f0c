"""Staff roles set up an authenticator app and pass a code once per session; force roles never do."""

from __future__ import annotations

import base64
import logging
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.second_factor import RECOVERY_CODE_COUNT, recovery_codes_replace
from tests.factories import enrolment_link_path, totp_code, verified_staff_login

STAFF = [Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR]
FORCE_ROLES = [Role.SPOC, Role.CHIEF_OFFICER]
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def follow_enrolment_link(client, user) -> None:
    """Set-up needs a one-time enrolment link (issue 21 item 10): follow one, as the emailed link would."""
    assert client.get(enrolment_link_path(user))["Location"] == SETUP


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Follow an enrolment link and go through set-up with a real code; returns the device and codes."""
    follow_enrolment_link(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": totp_code(device), "next": "/"})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-9-]+)</code>", response.content.decode())
    return device, codes


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("url", ["/", "/action-plan/", "/admin/", "/account/"])
def test_staff_without_an_app_are_sent_to_set_one_up(client, world, role, url):
    client.force_login(world.user(role))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP + "?next=")


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("url", ["/", "/admin/", "/admin/actionplan/activity/"])
def test_staff_with_an_app_must_enter_a_code_on_site_and_admin(client, world, role, url):
    confirmed_device(world.user(role))
    client.force_login(world.user(role))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=")


@pytest.mark.parametrize("role", FORCE_ROLES)
def test_spocs_and_chief_officers_are_never_asked(client, world, role):
    client.force_login(world.user(role))
    assert client.get("/forces/cleveland/").status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")
    # Issue 21 item 4: the set-up page is now offered to them too (tests below), no longer sent home.


@pytest.mark.parametrize("role", STAFF)
def test_the_admin_itself_requires_a_verified_session(rf, world, role):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = world.user(role)
    request.user.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_unverified_staff_can_still_sign_out_and_read_public_pages(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("privacy")).status_code == 200
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_set_up_shows_a_local_qr_code_and_the_key_as_text(client, world):
    client.force_login(world.coordinator)
    follow_enrolment_link(client, world.coordinator)
    response = client.get(SETUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<img class="app-qr-code" src="data:image/svg+xml' in html
    assert 'alt="QR code to add Modern slavery self-assessment to your authenticator app"' in html
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', html)
    assert secret
    assert base64.b32decode(secret.group(1).replace(" ", "")) == device.bin_key
    assert "http://" not in html.split("data:image/svg+xml")[1].split('"')[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    # Reloading shows the same key until the app is confirmed.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=world.coordinator).count() == 1


def test_set_up_with_a_real_code_verifies_the_session_and_shows_ten_codes_once(client, world):
    client.force_login(world.coordinator)
    device, codes = enrol(client, world.coordinator)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    assert StaticToken.objects.filter(device__user=world.coordinator).count() == RECOVERY_CODE_COUNT
    # Stored as keyed digests, not as shown.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & {code.replace("-", "") for code in codes} and not stored & set(codes)
    assert client.get("/regions/north-east/").status_code == 200
    # Set-up is over: another visit goes on to where the person was going, and shows no codes.
    assert client.get(SETUP, follow=True).redirect_chain[-1][0] == "/regions/north-east/"


def test_set_up_refuses_a_wrong_code_with_an_error_summary(client, world):
    client.force_login(world.coordinator)
    follow_enrolment_link(client, world.coordinator)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    html = response.content.decode()
    assert "There is a problem" in html and "The code is not right" in html
    assert not TOTPDevice.objects.get(user=world.coordinator).confirmed
    assert client.get("/").status_code == 302


def test_an_empty_code_names_the_field(client, world):
    confirmed_device(world.national)
    client.force_login(world.national)
    html = client.post(VERIFY, {"code": ""}).content.decode()
    assert 'href="#id_code">Enter the 6-digit code from your authenticator app' in html


def test_a_code_verifies_the_session_and_carries_on_to_next(client, world):
    device = confirmed_device(world.national)
    client.force_login(world.national)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_next_must_stay_on_this_site(client, world):
    device = confirmed_device(world.national)
    client.force_login(world.national)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_verifying_gives_the_session_a_new_key(client, world):
    device = confirmed_device(world.national)
    client.force_login(world.national)
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.cookies["sessionid"].value != before


def test_the_same_code_cannot_be_used_twice(client, world, django_user_model):
    from django.test import Client

    device = confirmed_device(world.national)
    code = totp_code(device)
    client.force_login(world.national)
    assert client.post(VERIFY, {"code": code})["Location"] == reverse("home")
    other = Client()
    other.force_login(world.national)
    again = other.post(VERIFY, {"code": code})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()
    # Nor an earlier one still inside the tolerance window.
    device.refresh_from_db()
    device.throttle_reset()
    assert other.post(VERIFY, {"code": totp_code(device, steps_from_now=-1)}).status_code == 200


def test_a_recovery_code_works_once(client, world):
    from django.test import Client

    confirmed_device(world.coordinator)
    codes = recovery_codes_replace(world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/regions/north-east/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/regions/north-east/"
    assert f"You have {RECOVERY_CODE_COUNT - 1} left" in response.content.decode()
    other = Client()
    other.force_login(world.coordinator)
    again = other.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert StaticToken.objects.filter(device__user=world.coordinator).count() == RECOVERY_CODE_COUNT - 1


def test_failed_codes_are_throttled(client, world):
    device = confirmed_device(world.national)
    client.force_login(world.national)
    client.post(VERIFY, {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # After a few more failures the wait doubles each time (1 s, 2, 4, 8...).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=4)
    # The right code is refused while the device waits out its back-off.
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 200
    assert re.search(r"You have entered too many wrong codes\. Wait [5-8] seconds", response.content.decode())
    assert client.get("/national/").status_code == 302


def test_one_person_cannot_use_anothers_codes(client, world):
    other_device = confirmed_device(world.administrator)
    confirmed_device(world.national)
    codes = recovery_codes_replace(world.administrator)
    client.force_login(world.national)
    assert client.post(VERIFY, {"code": totp_code(other_device)}).status_code == 200
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, world):
    verified_staff_login(client, world.coordinator)
    old = recovery_codes_replace(world.coordinator)
    page = client.get(reverse("account")).content.decode()
    assert f"{RECOVERY_CODE_COUNT} unused" in page
    response = client.post(reverse("recovery_codes_new"))
    new = re.findall(r"<code>([a-z2-9-]+)</code>", response.content.decode())
    assert len(new) == RECOVERY_CODE_COUNT and not set(new) & set(old)
    assert StaticDevice.objects.filter(user=world.coordinator).count() == 1
    assert response["Cache-Control"].count("no-store") == 1


def test_an_administrator_can_reset_a_lost_app(client, world):
    confirmed_device(world.coordinator)
    recovery_codes_replace(world.coordinator)
    verified_staff_login(client, world.administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [world.coordinator.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()
    assert not StaticDevice.objects.filter(user=world.coordinator).exists()


def test_second_factor_events_are_logged_without_codes(client, world, caplog):
    caplog.set_level(logging.INFO, logger="msoic.security")
    device = confirmed_device(world.national)
    client.force_login(world.national)
    client.post(VERIFY, {"code": "123456"})
    device.refresh_from_db()
    device.throttle_reset()
    code = totp_code(device)
    client.post(VERIFY, {"code": code})
    events = [getattr(r, "event", None) for r in caplog.records if r.name == "msoic.security"]
    assert "second_factor_failed" in events
    assert "second_factor_verified_totp" in events
    text = " ".join(str(r.__dict__) for r in caplog.records)
    assert code not in text and "123456" not in text


# --- A second factor for every role (issue 21 item 4) ----------------------------------------------------


@pytest.mark.parametrize("role", FORCE_ROLES)
def test_spocs_and_chief_officers_can_set_up_an_app_from_their_account_page(client, world, role):
    user = world.user(role)
    client.force_login(user)
    account = client.get(reverse("account")).content.decode()
    assert "Set up an authenticator app" in account
    device, codes = enrol(client, user)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == RECOVERY_CODE_COUNT


@pytest.mark.parametrize("role", FORCE_ROLES)
def test_with_the_national_setting_on_a_spoc_without_an_app_is_sent_to_set_one_up(
    client, world, role, settings
):
    settings.REQUIRE_SECOND_FACTOR_FOR_ALL = True
    client.force_login(world.user(role))
    response = client.get("/forces/cleveland/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_with_the_national_setting_on_a_spoc_with_an_app_must_enter_a_code(client, world, settings):
    settings.REQUIRE_SECOND_FACTOR_FOR_ALL = True
    TOTPDevice.objects.create(user=world.spoc, name="Phone", confirmed=True)
    client.force_login(world.spoc)
    assert client.get("/forces/cleveland/")["Location"].startswith(VERIFY)
