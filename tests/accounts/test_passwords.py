"""Passwords: at least 12 characters, not a common one, long passphrases welcome, no composition rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TEST_PASSWORD

PASSPHRASE_64 = "correct horse battery staple and a few more words to make it long"


@pytest.mark.parametrize(
    "password",
    [
        "twelve chars",  # exactly 12, spaces allowed
        "alllowercaseletters",  # no digits, symbols or capitals needed
        PASSPHRASE_64,
        "ünïcödé pässphrâse wörks tôo",
        "a" * 3 + "b" * 3 + " passphrase of 128 " + "z" * 100,
    ],
)
def test_long_passphrases_are_accepted_without_composition_rules(world, password):
    validate_password(password, user=world.spoc)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven char", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwerty123456", "too common"),
    ],
)
def test_short_and_common_passwords_are_refused(world, password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=world.spoc)
    assert message in " ".join(error.value.messages)


def test_the_change_form_accepts_a_long_passphrase_and_refuses_a_short_one(client, world):
    client.force_login(world.spoc)
    short = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "short pass", "new_password2": "short pass"},
    )
    assert "at least 12 characters" in short.content.decode()
    assert "There is a problem" in short.content.decode()
    long = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": PASSPHRASE_64, "new_password2": PASSPHRASE_64},
    )
    assert long["Location"] == reverse("password_change_done")


def test_the_admin_password_page_is_the_service_page(client, world):
    from tests.factories import verified_staff_login

    verified_staff_login(client, world.administrator)
    assert client.get(reverse("admin:password_change"))["Location"] == reverse("password_change")
