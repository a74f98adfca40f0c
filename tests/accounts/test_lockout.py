"""django-axes locks an address at one network address after 10 failures, for 30 minutes, site and admin.

django-axes makes Client.login() raise, so these tests post the real sign-in form.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.lockout import client_address
from tests.factories import TEST_PASSWORD

LIMIT = 10


def fail(client, email: str, *, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": "not the password at all"}, REMOTE_ADDR=address
    )


def sign_in(client, email: str, *, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": TEST_PASSWORD}, REMOTE_ADDR=address)


def test_nine_failures_still_let_the_right_password_in(client, world):
    for _ in range(LIMIT - 1):
        assert fail(client, world.spoc.email).status_code == 200
    response = sign_in(client, world.spoc.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.spoc.pk)


def test_the_tenth_failure_locks_with_a_clear_message_and_status_429(client, world):
    for _ in range(LIMIT - 1):
        fail(client, world.spoc.email)
    response = fail(client, world.spoc.email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts" in html
    assert "Try again in 30 minutes" in html
    assert world.spoc.email not in html
    # Even the right password is refused while locked.
    locked = sign_in(client, world.spoc.email)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_address_is_counted_whatever_its_case(client, world):
    for index in range(LIMIT):
        email = world.spoc.email.upper() if index % 2 else f"  {world.spoc.email}  "
        response = fail(client, email)
    assert response.status_code == 429


def test_the_lock_is_per_address_and_network_address(client, world):
    for _ in range(LIMIT):
        fail(client, world.spoc.email, address="10.0.0.1")
    # The same person from another place, and another person from the same place, still sign in.
    assert sign_in(client, world.spoc.email, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, world.chief_officer.email, address="10.0.0.1").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, world):
    for _ in range(LIMIT):
        fail(client, world.spoc.email)
    assert sign_in(client, world.spoc.email).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=31)
    )
    assert sign_in(client, world.spoc.email).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, world):
    for _ in range(LIMIT - 1):
        fail(client, world.spoc.email)
    sign_in(client, world.spoc.email)
    client.logout()
    for _ in range(LIMIT - 1):
        assert fail(client, world.spoc.email).status_code == 200


def test_the_admin_signs_in_through_the_same_protected_form(client, world):
    response = client.get(reverse("admin:login") + "?next=/admin/actionplan/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/actionplan/"
    # Posting credentials at the admin's own address signs nobody in.
    client.post(reverse("admin:login"), {"username": world.national.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_anonymous_visit_to_the_admin_ends_at_the_site_sign_in(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login") + "?next=/admin/"
    assert "Sign in" in response.content.decode()


def test_a_lockout_is_a_security_event_without_the_address_or_password(client, world, caplog):
    caplog.set_level(logging.INFO, logger="msoic.security")
    for _ in range(LIMIT):
        fail(client, world.spoc.email)
    events = [getattr(record, "event", None) for record in caplog.records if record.name == "msoic.security"]
    assert events.count("sign_in_failed") == LIMIT
    assert events.count("sign_in_locked_out") == 1
    text = " ".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    assert world.spoc.email not in text
    assert "not the password" not in text


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own and is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left changes nothing
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: fall back to the peer
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_forwarded_header_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    direct = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(direct) == "198.51.100.7"
    through_proxy = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(through_proxy) == "203.0.113.9"


def test_an_untrusted_hop_between_proxies_is_taken_as_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The nearest proxy says it was reached by 198.51.100.7, which is no proxy of ours: that is the client.
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_a_rotating_forwarded_header_sent_straight_to_gunicorn_is_still_locked_out(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for index in range(LIMIT):
        response = client.post(
            reverse("login"),
            {"username": world.spoc.email, "password": "not the password at all"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{index}",
        )
    assert response.status_code == 429


def test_credential_stuffing_across_twenty_accounts_locks_the_address(client, world):
    """Issue 21 item 4: 180 wrong passwords over 20 accounts from one address lock that address."""
    accounts = [world.spoc.email] + [f"person{index}@force.example" for index in range(19)]
    statuses = [
        fail(client, accounts[attempt % 20], address="10.9.9.9").status_code for attempt in range(180)
    ]
    assert statuses[:29] == [200] * 29  # no account reached its own limit of 10
    assert statuses[-1] == 429
    # Even the right password, for an account never tried, is refused from that address...
    assert sign_in(client, world.chief_officer.email, address="10.9.9.9").status_code == 429
    # ...and the same person signs in from anywhere else.
    assert sign_in(client, world.chief_officer.email, address="10.0.0.2").status_code == 302


def test_an_address_below_its_limit_still_lets_others_sign_in(client, world):
    for attempt in range(29):
        fail(client, f"person{attempt % 10}@force.example", address="10.9.9.9")
    assert sign_in(client, world.chief_officer.email, address="10.9.9.9").status_code == 302
