"""A session ends after 30 idle minutes, after 10 hours, on a password change elsewhere, or on closing."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts.sessions import LAST_SEEN_AT, LAST_SEEN_RESOLUTION_SECONDS, SIGNED_IN_AT, now
from tests.factories import TEST_PASSWORD

HOME = "/forces/cleveland/"
MINUTE = 60
HOUR = 60 * MINUTE


def shift(client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = now() - signed_in_ago
    session[LAST_SEEN_AT] = now() - last_seen_ago
    session.save()


def test_signing_in_starts_both_clocks(client, world):
    client.force_login(world.spoc)
    assert abs(client.session[SIGNED_IN_AT] - now()) <= 2
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


def test_activity_within_the_limits_keeps_the_session(client, world):
    client.force_login(world.spoc)
    shift(client, signed_in_ago=9 * HOUR, last_seen_ago=29 * MINUTE)
    assert client.get(HOME).status_code == 200
    # ...and moves "last seen" on.
    assert now() - client.session[LAST_SEEN_AT] <= LAST_SEEN_RESOLUTION_SECONDS


@pytest.mark.parametrize(
    ("signed_in_ago", "last_seen_ago", "reason", "explanation"),
    [
        (HOUR, 31 * MINUTE, "idle", "You have not used the service for 30 minutes"),
        (10 * HOUR + 1, MINUTE, "absolute", "You have been signed in for 10 hours"),
    ],
)
def test_a_session_past_a_limit_ends_with_a_page_saying_why(
    client, world, caplog, signed_in_ago, last_seen_ago, reason, explanation
):
    caplog.set_level(logging.INFO, logger="msoic.security")
    client.force_login(world.spoc)
    shift(client, signed_in_ago=signed_in_ago, last_seen_ago=last_seen_ago)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signed_out')}?reason={reason}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You have been signed out" in page.content.decode()
    assert explanation in page.content.decode()
    assert f"session_expired_{reason}" in [getattr(r, "event", None) for r in caplog.records]
    # Going back takes them to sign in, not to the page.
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_the_session_cookie_lasts_no_longer_than_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * HOUR
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * MINUTE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, world, caplog):
    caplog.set_level(logging.INFO, logger="msoic.security")
    elsewhere = Client()
    elsewhere.force_login(world.spoc)
    client.force_login(world.spoc)
    assert elsewhere.get(HOME).status_code == 200
    new = "four unrelated words for a passphrase"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert client.get(HOME).status_code == 200
    other = elsewhere.get(HOME)
    assert other.status_code == 302 and other["Location"].startswith(reverse("login"))
    world.spoc.refresh_from_db()
    assert world.spoc.check_password(new)
    assert "password_changed" in [getattr(r, "event", None) for r in caplog.records]
    assert new not in " ".join(str(r.__dict__) for r in caplog.records)


def test_a_wrong_current_password_changes_nothing(client, world):
    client.force_login(world.spoc)
    response = client.post(
        reverse("password_change"),
        {"old_password": "a guess that is wrong", "new_password1": "x" * 20, "new_password2": "x" * 20},
    )
    assert "Your current password is not right" in response.content.decode()
    world.spoc.refresh_from_db()
    assert world.spoc.check_password(TEST_PASSWORD)


def test_a_deactivated_user_is_out_on_the_next_request(client, world):
    client.force_login(world.spoc)
    assert client.get(HOME).status_code == 200
    world.spoc.is_active = False
    world.spoc.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_account_page_links_to_password_change(client, world):
    client.force_login(world.spoc)
    html = client.get(reverse("account")).content.decode()
    assert reverse("password_change") in html
    assert "Recovery codes" not in html  # SPOCs have no second factor
    assert reverse("account") in client.get(HOME).content.decode()  # linked from the header
