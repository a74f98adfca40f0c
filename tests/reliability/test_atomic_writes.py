"""A failure half-way through any save or transition leaves nothing behind.

Each test lets the write start, then makes a later step fail (the event, the field history, the
snapshot, the second of several returns, the returns of a new round) and checks that the data is
exactly as it was before.
"""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services, workflow
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot, Round
from tests.conftest import complete_values, form_post
from tests.security.helpers import OWN, build_scene, fingerprint, sign_in

FRIENDLY_500 = "Sorry, there is a problem with the service"


class Boom(RuntimeError):
    """The injected failure."""


HistoricalReturn: Any = ActivityReturn.history.model


def fail_on_call(number: int, real: Any) -> Any:
    """A side effect that lets the first calls through and raises on call `number`."""
    calls = {"count": 0}

    def side_effect(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] >= number:
            raise Boom(f"injected failure on call {number}")
        return real(*args, **kwargs)

    return side_effect


@pytest.fixture
def scene_in(world, open_round):
    return lambda state: build_scene(world, open_round, state)


def event_fails() -> Any:
    """Make writing the workflow event fail (after the status has been saved)."""
    return mock.patch.object(AssessmentEvent.objects, "create", side_effect=Boom("event"))


def test_submit_leaves_nothing_when_the_event_fails(scene_in):
    scene = scene_in("complete")
    assessment = scene.assessment(OWN)
    ActivityReturn.objects.filter(assessment=assessment, activity__code="LG01").update(
        reopened_for_changes=True
    )
    before = fingerprint()
    with event_fails(), pytest.raises(Boom):
        workflow.submit(assessment, by=scene.world.spoc)
    assert fingerprint() == before
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.submitted_at is None


def test_return_for_changes_leaves_nothing_when_the_event_fails(scene_in):
    scene = scene_in("submitted")
    before = fingerprint()
    with event_fails(), pytest.raises(Boom):
        workflow.return_for_changes(
            scene.assessment(OWN),
            by=scene.world.coordinator,
            reason="Why",
            activity_comments={"LG01": "More"},
        )
    assert fingerprint() == before
    assert not ActivityReturn.objects.filter(reopened_for_changes=True).exists()


@pytest.mark.parametrize("failing", ["snapshot", "event"])
def test_sign_off_leaves_nothing_when_the_snapshot_or_the_event_fails(scene_in, failing):
    scene = scene_in("submitted")
    target = AssessmentSnapshot.objects if failing == "snapshot" else AssessmentEvent.objects
    before = fingerprint()
    with mock.patch.object(target, "create", side_effect=Boom(failing)), pytest.raises(Boom):
        workflow.sign_off(scene.assessment(OWN), by=scene.world.coordinator, comment="Agreed")
    assert fingerprint() == before
    assessment = scene.assessment(OWN)
    assert assessment.status == "submitted" and assessment.signed_off_by is None
    assert not AssessmentSnapshot.objects.exists()


def test_reopen_leaves_nothing_when_the_event_fails(scene_in):
    scene = scene_in("signed_off")
    before = fingerprint()
    with event_fails(), pytest.raises(Boom):
        workflow.reopen(scene.assessment(OWN), by=scene.world.national, reason="Correction")
    assert fingerprint() == before
    assessment = scene.assessment(OWN)
    assert (assessment.status, assessment.version) == ("signed_off", 1)


def test_saving_a_return_leaves_nothing_when_its_history_fails(scene_in):
    scene = scene_in("draft")
    activity_return = ActivityReturn.objects.get(assessment=scene.assessment(OWN), activity__code="LG01")
    before = fingerprint()
    with mock.patch.object(HistoricalReturn, "save", side_effect=Boom("history")), pytest.raises(Boom):
        services.activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=scene.world.spoc,
            expected_revision=0,
        )
    assert fingerprint() == before


def test_opening_a_round_leaves_nothing_when_the_returns_fail_after_the_assessments(scene_in, action_plan):
    scene = scene_in("draft")
    rounds, assessments = Round.objects.count(), Assessment.objects.count()
    before = fingerprint()
    failing = mock.patch("assessments.services.rounds.bulk_create_with_history", side_effect=Boom("returns"))
    with failing, pytest.raises(Boom):
        services.round_open(
            name="2027-28 spring review",
            plan=action_plan,
            opens_on=datetime.date(2027, 4, 1),
            due_on=datetime.date(2027, 6, 30),
            opened_by=scene.world.national,
        )
    assert fingerprint() == before
    assert (Round.objects.count(), Assessment.objects.count()) == (rounds, assessments)


def test_a_spreadsheet_upload_leaves_nothing_when_the_second_return_fails(scene_in):
    from tests.assessments.spreadsheets.conftest import change_cells, confirm, download, upload

    scene = scene_in("draft")
    assessment = scene.assessment(OWN)
    client = Client()
    sign_in(client, scene.world.spoc)
    codes = list(
        assessment.returns.order_by("activity__area__number", "activity__order").values_list(
            "activity__code", flat=True
        )[:3]
    )
    changed = change_cells(
        download(client, assessment),
        {
            code: {
                "implementation_status": "Planned",
                "next_steps": f"Changed {code}",
                "action_owner": "DCI",
                "target_date": "31/03/2027",
            }
            for code in codes
        },
    )
    assert upload(client, assessment, changed).status_code == 302
    before = fingerprint()
    failing = fail_on_call(2, HistoricalReturn.save)
    client.raise_request_exception = False
    with mock.patch.object(HistoricalReturn, "save", autospec=True, side_effect=failing):
        response = confirm(client, assessment)
    assert response.status_code == 500 and FRIENDLY_500 in response.content.decode()
    assert fingerprint() == before


def test_a_failed_save_in_the_browser_gives_the_friendly_page_and_keeps_the_old_answer(scene_in):
    scene = scene_in("draft")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.spoc)
    url = reverse("assessments:activity", kwargs={"assessment_id": scene.assessment(OWN).pk, "code": "LG01"})
    before = fingerprint()
    with mock.patch.object(HistoricalReturn, "save", side_effect=Boom("history")):
        response = client.post(url, form_post(complete_values(), revision=0))
    assert response.status_code == 500
    assert FRIENDLY_500 in response.content.decode()
    assert fingerprint() == before


def test_a_failed_sign_off_in_the_admin_gives_the_friendly_page_and_signs_nothing(scene_in):
    scene = scene_in("submitted")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.coordinator)
    url = reverse("admin:assessments_assessment_review", args=[scene.assessment(OWN).pk])
    before = fingerprint()
    with event_fails():
        response = client.post(url, {"decision": "sign_off", "overall_comment": "", "events_seen": 1})
    assert response.status_code == 500
    assert FRIENDLY_500 in response.content.decode()
    assert fingerprint() == before
