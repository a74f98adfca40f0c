"""Sign-in by email and password, sign-out, password reset, and where each role lands."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import SIGN_IN_FAILED
from accounts.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, totp_code, verified_staff_login

LANDING = {
    Role.SPOC: "/forces/cleveland/",
    Role.CHIEF_OFFICER: "/forces/cleveland/",
    Role.COORDINATOR: "/regions/north-east/",
    Role.NATIONAL: "/national/",
    Role.ADMINISTRATOR: "/national/",
}


STAFF_ROLES = {Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", list(LANDING))
def test_each_role_signs_in_and_lands_on_its_home(client, world, role):
    user = world.user(role)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    response = client.post(
        reverse("login"), {"username": user.email.upper(), "password": TEST_PASSWORD}, follow=True
    )
    if role in STAFF_ROLES:
        # Staff roles pass their second factor before anything else, then carry on where they were going.
        assert response.redirect_chain[-1][0] == reverse("two_factor_verify") + "?next=/"
        response = client.post(
            reverse("two_factor_verify"), {"code": totp_code(device), "next": "/"}, follow=True
        )
    assert response.redirect_chain[-1][0] == LANDING[role]
    assert response.status_code == 200


def test_signing_in_gives_the_session_a_new_key(client, world):
    client.get(reverse("login"))
    client.session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("login"), {"username": world.spoc.email, "password": TEST_PASSWORD})
    assert client.cookies["sessionid"].value != before
    assert client.session["_auth_user_id"] == str(world.spoc.pk)


def test_wrong_password_shows_an_error_summary_and_does_not_sign_in(client, world):
    response = client.post(reverse("login"), {"username": world.spoc.email, "password": "wrong one"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert SIGN_IN_FAILED in html
    assert "Error: Sign in" in html  # the page title says there is an error
    assert "_auth_user_id" not in client.session


def test_empty_form_names_each_missing_field(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert 'href="#id_username">Enter your email address' in html
    assert 'href="#id_password">Enter your password' in html


def test_sign_out_needs_post_and_ends_the_session(client, world):
    client.force_login(world.spoc)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/forces/cleveland/").status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/forces/cleveland/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_a_user_with_several_roles_chooses_where_to_start(client, world):
    MembershipFactory(user=world.spoc, role=Role.COORDINATOR, region=world.other_region)
    verified_staff_login(client, world.spoc)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose where to start" in html
    assert "Cleveland Police" in html and "Wales" in html


def test_a_user_with_no_role_is_told_what_to_do(client, world):
    client.force_login(world.nobody)
    response = client.get(reverse("home"))
    assert "not linked to a force or region" in response.content.decode()


def test_password_reset_sends_one_working_link(client, world):
    response = client.post(reverse("password_reset"), {"email": world.spoc.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "three unrelated words here", "new_password2": "three unrelated words here"},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    world.spoc.refresh_from_db()
    assert world.spoc.check_password("three unrelated words here")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [("short pass", "at least 12 characters"), ("password1234", "too common")],
)
def test_new_passwords_must_be_long_and_uncommon(client, world, password, message):
    client.post(reverse("password_reset"), {"email": world.spoc.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert message in response.content.decode()
