"""Demo accounts: one per role, safe to create twice, refused without DEBUG, staff ready for 2FA."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.second_factor import code_check


@pytest.fixture
def forces(db):
    call_command("load_forces", stdout=StringIO())


@override_settings(DEBUG=True)
def test_demo_users_are_created_once_with_a_warning_and_staff_can_pass_2fa(forces):
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    call_command("create_demo_users", stdout=StringIO())
    assert "for local use only" in out.getvalue()
    assert User.objects.count() == 5 and Membership.objects.count() == 5
    coordinator = User.objects.get(email="coordinator@example.com")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)
    assert code_check(user=coordinator, code=str(totp(device.bin_key)).zfill(6)).accepted
    assert not TOTPDevice.objects.filter(user__email="spoc@example.com").exists()


def test_demo_users_are_refused_with_debug_off(forces):
    with pytest.raises(CommandError, match="Refusing"):
        call_command("create_demo_users")
    assert not User.objects.exists()
