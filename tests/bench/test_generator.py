"""The national data generator: deterministic, plausible, consistent with the workflow's own records."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership, User
from accounts.roles import Role
from assessments.generator import GeneratorRefused, generate_national_data
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
    Round,
)
from assessments.snapshots import build_snapshot_data, snapshot_hash
from assessments.status import IMPLEMENTATION_RANK, WorkflowStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 1)


def fingerprint():
    """Everything that should repeat for the same seed, in a stable order."""
    return (
        list(
            ActivityReturn.objects.order_by(
                "assessment__round__opens_on", "assessment__force__code", "activity__code"
            ).values_list(
                "implementation_status",
                "evidence_summary",
                "carried_forward",
                "confirmed",
                "reopened_for_changes",
            )
        ),
        list(
            Assessment.objects.order_by("round__opens_on", "force__code").values_list(
                "status", "submitted_at", "signed_off_at"
            )
        ),
        list(
            AssessmentSnapshot.objects.order_by(
                "assessment__round__opens_on", "assessment__force__code"
            ).values_list("sha256", flat=True)
        ),
    )


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate_national_data(seed=5, forces=4, past_rounds=2, today=TODAY)
    first = fingerprint()
    generate_national_data(seed=5, forces=4, past_rounds=2, today=TODAY, reset=True)
    assert fingerprint() == first
    generate_national_data(seed=6, forces=4, past_rounds=2, today=TODAY, reset=True)
    assert fingerprint() != first


def test_a_national_picture_with_people_rounds_and_every_workflow_status():
    data = generate_national_data(seed=1, forces=12, past_rounds=3, today=TODAY)
    assert len(data.forces) == 12 and len(data.rounds) == 4
    assert [r.is_open for r in Round.objects.order_by("opens_on")] == [False, False, False, True]
    assert data.current_round.opens_on < TODAY < data.current_round.due_on
    # Three people per force (two SPOCs and a chief officer), a coordinator per region, national staff.
    regions = {force.region_id for force in data.forces}
    assert Membership.objects.filter(role=Role.SPOC).count() == 24
    assert Membership.objects.filter(role=Role.CHIEF_OFFICER).count() == 12
    assert Membership.objects.filter(role=Role.COORDINATOR).count() == len(regions)
    assert Membership.objects.filter(role=Role.NATIONAL).count() == 1
    assert User.objects.filter(email="spoc.cleveland@example.com").exists()
    assert ActivityReturn.objects.count() == 12 * 4 * 50
    # Past rounds are all signed off; the current round is spread over every workflow status.
    past = Assessment.objects.exclude(round=data.current_round)
    assert set(past.values_list("status", flat=True)) == {WorkflowStatus.SIGNED_OFF}
    current = Counter(Assessment.objects.filter(round=data.current_round).values_list("status", flat=True))
    assert set(current) == set(WorkflowStatus.values), current
    first = Assessment.objects.get(round=data.current_round, force=data.forces[0])
    assert first.status == WorkflowStatus.DRAFT
    assert 0 < first.returns.filter(is_complete=True).count() < 50


def test_signed_off_assessments_have_the_snapshots_and_events_the_workflow_writes():
    generate_national_data(seed=2, forces=6, past_rounds=2, today=TODAY)
    for assessment in Assessment.objects.filter(status=WorkflowStatus.SIGNED_OFF).select_related(
        "force", "round", "signed_off_by"
    ):
        snapshot = assessment.snapshots.get()
        assert snapshot.data == build_snapshot_data(assessment)
        assert snapshot.sha256 == snapshot_hash(snapshot.data)
        events = list(assessment.events.order_by("created_at", "pk"))
        assert events[0].from_status == WorkflowStatus.DRAFT
        assert events[-1].to_status == WorkflowStatus.SIGNED_OFF
        assert events[-1].created_at == assessment.signed_off_at
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status
    assert not ActivityReturn.objects.filter(
        assessment__status=WorkflowStatus.SIGNED_OFF, is_complete=False
    ).exists()
    call_command("verify_snapshots")


def test_returned_assessments_open_commented_activities_and_submitted_ones_are_complete():
    generate_national_data(seed=3, forces=20, past_rounds=1, today=TODAY)
    returned = Assessment.objects.filter(status=WorkflowStatus.RETURNED)
    assert returned.exists()
    for assessment in returned:
        reopened = assessment.returns.filter(reopened_for_changes=True)
        assert 2 <= reopened.count() <= 4
        assert not reopened.filter(coordinator_comment="").exists()
        assert assessment.events.order_by("-created_at").first().to_status == WorkflowStatus.RETURNED
    for assessment in Assessment.objects.filter(status=WorkflowStatus.SUBMITTED):
        assert not assessment.returns.filter(is_complete=False).exists()
        assert assessment.submitted_by is not None
    assert AssessmentEvent.objects.exists()


def test_statuses_mostly_improve_from_round_to_round_and_sometimes_slip():
    generate_national_data(seed=4, forces=10, past_rounds=4, today=TODAY)
    by_key: dict[tuple[int, int], list[str]] = {}
    rows = ActivityReturn.objects.filter(
        assessment__status=WorkflowStatus.SIGNED_OFF, assessment__round__is_open=False
    ).order_by("assessment__round__opens_on")
    for force_id, activity_id, status in rows.values_list(
        "assessment__force_id", "activity_id", "implementation_status"
    ):
        by_key.setdefault((force_id, activity_id), []).append(status)
    ups = downs = 0
    for statuses in by_key.values():
        for before, after in zip(statuses, statuses[1:], strict=False):
            if before in IMPLEMENTATION_RANK and after in IMPLEMENTATION_RANK:
                ups += IMPLEMENTATION_RANK[after] > IMPLEMENTATION_RANK[before]
                downs += IMPLEMENTATION_RANK[after] < IMPLEMENTATION_RANK[before]
    assert downs > 0 and ups > 3 * downs, (ups, downs)


def test_it_refuses_to_write_over_existing_rounds_and_a_reset_keeps_people():
    generate_national_data(seed=1, forces=2, past_rounds=1, today=TODAY)
    users, returns = User.objects.count(), ActivityReturn.objects.count()
    with pytest.raises(GeneratorRefused, match="--reset"):
        generate_national_data(seed=1, forces=2, past_rounds=1, today=TODAY)
    assert ActivityReturn.objects.count() == returns
    generate_national_data(seed=1, forces=2, past_rounds=1, today=TODAY, reset=True)
    assert User.objects.count() == users
    assert ActivityReturn.objects.count() == returns
    assert Round.objects.count() == 2


def test_the_command_refuses_with_debug_off_and_can_skip_when_data_exists(capsys):
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("generate_national_data", "--forces", "2")
    call_command("generate_national_data", "--forces", "2", "--past-rounds", "1", "--allow-without-debug")
    output = capsys.readouterr().out
    assert "try-the-national-picture-locally" in output and "WARNING" in output
    call_command("generate_national_data", "--if-empty", "--allow-without-debug")
    assert "already exist" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_national_data", "--forces", "2", "--allow-without-debug")


def test_replaying_years_of_reviews_queues_no_email(django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        data = generate_national_data(seed=7, forces=6, past_rounds=2, today=TODAY)
    assert data.events > 0
    assert callbacks == [] and mail.outbox == []


def test_every_review_is_the_workflows_own_record():
    """The workflow wrote each submission: its date, submitter and event agree, returned ones included."""
    data = generate_national_data(seed=8, forces=12, past_rounds=1, today=TODAY)
    reviewed = Assessment.objects.exclude(status=WorkflowStatus.DRAFT).select_related("force")
    assert {a.status for a in reviewed} >= {WorkflowStatus.RETURNED, WorkflowStatus.SUBMITTED}
    for assessment in reviewed:
        last = assessment.events.filter(to_status=WorkflowStatus.SUBMITTED).order_by("created_at").last()
        assert last is not None
        assert (last.created_at, last.actor_id) == (assessment.submitted_at, assessment.submitted_by_id)
        assert last.actor.email == f"spoc.{assessment.force.code}@example.com"
    assert AssessmentEvent.objects.count() == data.events
    assert AssessmentSnapshot.objects.count() == data.snapshots
    assert ActivityReturn.history.count() == data.history_rows
