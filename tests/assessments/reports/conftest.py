"""Report fixtures: Cleveland's assessment filled in with a spread of statuses, and signed off."""

from __future__ import annotations

import datetime

import pytest

from assessments import workflow
from assessments.services import activity_return_save
from tests.conftest import complete_values

# Status per activity position (cycled), so every status and every area has something to count.
STATUS_CYCLE = ("embedded", "implemented", "in_progress", "planned", "not_started", "implemented")


def fill(assessment, spoc, *, overrides=None, today=datetime.date(2026, 11, 1)):
    """Save every return through the service, cycling statuses; `overrides` maps code -> values."""
    returns = assessment.returns.select_related("activity").order_by(
        "activity__area__number", "activity__order"
    )
    for index, activity_return in enumerate(returns):
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        values = complete_values(
            status,
            target_date=today + datetime.timedelta(days=(index * 7) - 60),
            action_owner=f"Owner {activity_return.activity.code}",
            next_steps=f"Next steps for {activity_return.activity.code}",
        )
        values.update((overrides or {}).get(activity_return.activity.code, {}))
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=values,
            by=spoc,
            expected_revision=activity_return.revision,
        )


@pytest.fixture
def filled(world, home_assessment):
    """Cleveland's assessment with every activity answered (still a draft)."""
    fill(home_assessment, world.spoc)
    home_assessment.refresh_from_db()
    return home_assessment


@pytest.fixture
def signed_off(world, filled):
    """Cleveland's assessment submitted and signed off by the North East coordinator."""
    workflow.submit(filled, by=world.spoc)
    return workflow.sign_off(filled, by=world.coordinator, comment="A clear, well-evidenced return.")


def sign_in(client, user):
    """Sign in; staff roles with a second factor passed, as the service requires of them.

    Uses tests.factories.verified_staff_login once it exists, otherwise marks the session verified
    against a confirmed TOTP device.
    """
    import importlib

    from accounts.roles import ADMIN_SITE_ROLES
    from assessments.permissions import access_for

    if not access_for(user).roles & ADMIN_SITE_ROLES:
        client.force_login(user)
        return
    shared = getattr(importlib.import_module("tests.factories"), "verified_staff_login", None)
    if shared is not None:
        shared(client, user)
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
