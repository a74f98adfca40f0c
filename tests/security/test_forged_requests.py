"""Forged requests: extra fields posted to every form (mass assignment) and posts without a CSRF token.

Both walk the POST actions of the permission table, as the role allowed to make them on its own force.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from assessments.models import ActivityReturn, Assessment, AssessmentEvent
from tests.security.helpers import FAR, OWN, ROLES, fingerprint, rolled_back, sign_in
from tests.security.permission_table import TABLE, Action
from tests.security.test_permission_table import outcome, perform

INJECTED = "INJECTED by a forged field"


def _allowed_role(action: Action) -> Role:
    """The first role the table lets make this request on its own force."""
    for role in ROLES:
        if action.expect[(role, OWN)] in ("200", "302"):
            return role
    raise AssertionError(f"nobody may {action.url_name}")


POST_ACTIONS = {
    name: action
    for name, action in TABLE.items()
    if action.method == "POST" and any(action.expect[(role, OWN)] in ("200", "302") for role in ROLES)
}


@pytest.mark.parametrize("name", list(POST_ACTIONS))
def test_extra_fields_change_nothing_beyond_the_form(name, make_scene):
    action = POST_ACTIONS[name]
    scene = make_scene(action.state)
    role = _allowed_role(action)
    own, far = scene.assessment(OWN), scene.assessment(FAR)
    far_before = (
        tuple(Assessment.objects.filter(pk=far.pk).values()),
        tuple(ActivityReturn.objects.filter(assessment=far).values().order_by("pk")),
        AssessmentEvent.objects.filter(assessment=far).count(),
    )
    extra = {
        "status": "signed_off",
        "force": far.force_id,
        "force_id": far.force_id,
        "assessment": far.pk,
        "assessment_id": far.pk,
        "version": "99",
        "is_complete": "on",
        "signed_off_by": scene.world.spoc.pk,
        "signed_off_at": "2020-01-01T00:00:00Z",
        "submitted_by": scene.world.chief_officer.pk,
        "reopened_for_changes": "on",
        "coordinator_comment": INJECTED,
        "carried_forward": "on",
        "updated_by": scene.world.administrator.pk,
        "sha256": "0" * 64,
    }
    client = Client()
    sign_in(client, scene.world.user(role))
    got = outcome(perform(client, action, scene, OWN, extra=extra))
    assert got == action.expect[(role, OWN)], f"{name}: the forged fields changed the outcome to {got}"

    own.refresh_from_db()
    assert own.force_id == scene.force(OWN).pk
    assert own.version != 99 and not Assessment.objects.filter(version=99).exists()
    if action.status_after:
        assert own.status == action.status_after
    if own.status != "signed_off":
        assert own.signed_off_by_id is None and own.signed_off_at is None
    assert own.signed_off_by_id != scene.world.spoc.pk
    assert own.submitted_by_id != scene.world.chief_officer.pk
    assert not ActivityReturn.objects.filter(coordinator_comment=INJECTED).exists()
    assert not AssessmentEvent.objects.filter(comment=INJECTED).exists()
    if own.status == "draft" and action.state == "draft":
        assert not own.returns.filter(reopened_for_changes=True).exists()
        assert not own.returns.filter(carried_forward=True).exists()
    far_after = (
        tuple(Assessment.objects.filter(pk=far.pk).values()),
        tuple(ActivityReturn.objects.filter(assessment=far).values().order_by("pk")),
        AssessmentEvent.objects.filter(assessment=far).count(),
    )
    assert far_after == far_before, f"{name}: another region's assessment changed"


@pytest.mark.parametrize("name", list(POST_ACTIONS))
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(name, make_scene):
    action = POST_ACTIONS[name]
    scene = make_scene(action.state)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, scene.world.user(_allowed_role(action)))
    before = fingerprint()
    response = perform(client, action, scene, OWN)
    assert response.status_code == 403, f"{name}: {response.status_code}"
    assert "Your form has expired" in response.content.decode()
    assert fingerprint() == before


def test_the_csrf_refusal_is_the_service_page(make_scene):
    scene = make_scene("draft")
    client = Client(enforce_csrf_checks=True)
    sign_in(client, scene.world.spoc)
    with rolled_back():
        response = perform(client, TABLE["edit activity"], scene, OWN)
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
    assert "govuk-template" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("login", {"username": "spoc@force.example", "password": "a long enough test passphrase"}),
        ("password_reset", {"email": "spoc@force.example"}),
    ],
)
def test_sign_in_forms_refuse_a_post_without_a_csrf_token(world, url_name, body):
    from django.core import mail
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(url_name), body)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not mail.outbox
