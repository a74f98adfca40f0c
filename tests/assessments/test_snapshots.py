"""Sign-off snapshots: canonical data and hash, the verify command, read-only signed-off versions,
and a real race between two coordinators on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from assessments import workflow
from assessments.actions import uk_today
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot
from assessments.services import activity_return_save
from assessments.snapshots import (
    build_snapshot_data,
    canonical_bytes,
    plan_areas,
    snapshot_area_tallies,
    snapshot_hash,
)
from assessments.status import WorkflowStatus
from tests.conftest import complete_values
from tests.factories import user_with_role


def complete_and_submit(assessment, spoc):
    for activity_return in assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=spoc,
            expected_revision=activity_return.revision,
        )
    workflow.submit(assessment, by=spoc)


@pytest.fixture
def signed_off(world, home_assessment):
    """Cleveland's assessment, completed, submitted and signed off by its coordinator."""
    first = home_assessment.returns.order_by("activity__area__number", "activity__order").first()
    ActivityReturn.objects.filter(pk=first.pk).update(
        evidence_references=[{"title": "Policy", "location": "Intranet – é", "applies_on": "2026-03-01"}]
    )
    complete_and_submit(home_assessment, world.spoc)
    return workflow.sign_off(home_assessment, by=world.coordinator, comment="Signed")


def test_sign_off_stores_a_snapshot_whose_hash_matches_its_data(world, signed_off):
    signed_off.refresh_from_db()
    snapshot = AssessmentSnapshot.objects.get()
    assert (snapshot.assessment, snapshot.version) == (signed_off, 1)
    assert (
        snapshot.sha256
        == hashlib.sha256(
            json.dumps(snapshot.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        ).hexdigest()
    )
    assert snapshot.sha256 == snapshot_hash(snapshot.data)
    data = snapshot.data
    assert (data["force_code"], data["force_name"], data["round_name"], data["version"]) == (
        "cleveland",
        "Cleveland Police",
        "2026-27 autumn review",
        1,
    )
    assert (data["signed_off_by"], data["signed_off_role"]) == ("Casey Coordinator", "Regional coordinator")
    assert data["signed_off_at"] == signed_off.signed_off_at.isoformat()
    assert (signed_off.signed_off_by, signed_off.signed_off_role) == (
        world.coordinator,
        "Regional coordinator",
    )
    assert len(data["returns"]) == signed_off.returns.count()
    first = data["returns"][0]
    assert first["evidence_references"] == [
        {"title": "Policy", "location": "Intranet – é", "applies_on": "2026-03-01"}
    ]
    assert (first["implementation_status"], first["target_date"], first["confirmed"]) == (
        "implemented",
        "2027-03-31",
        True,
    )
    assert set(first) == {
        "activity_code",
        "activity_title",
        "implementation_status",
        "not_applicable_reason",
        "evidence_summary",
        "evidence_references",
        "next_steps",
        "action_owner",
        "target_date",
        "carried_forward",
        "confirmed",
    }
    # Rebuilding from the database gives the same data, so the snapshot is canonical.
    assert build_snapshot_data(signed_off) == data
    event = AssessmentEvent.objects.filter(to_status=WorkflowStatus.SIGNED_OFF).get()
    assert (event.comment, event.actor_role) == ("Signed", "Regional coordinator")


def test_canonical_bytes_sort_keys_and_keep_unicode():
    assert canonical_bytes({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_verify_snapshots_passes_when_nothing_changed(signed_off):
    out = StringIO()
    call_command("verify_snapshots", stdout=out)
    assert "1 snapshots verified, all hashes and tallies match" in out.getvalue()


def test_verify_snapshots_reports_tampered_data_and_fails(signed_off):
    snapshot = AssessmentSnapshot.objects.get()
    tampered = dict(snapshot.data)
    tampered["returns"] = [dict(tampered["returns"][0], implementation_status="embedded")] + tampered[
        "returns"
    ][1:]
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(data=tampered)
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 snapshots do not match"):
        call_command("verify_snapshots", stdout=StringIO(), stderr=err)
    assert "MISMATCH: Cleveland Police (cleveland), 2026-27 autumn review, version 1" in err.getvalue()


def test_a_signed_off_version_is_read_only(world, signed_off):
    activity_return = signed_off.returns.first()
    with pytest.raises(PermissionDenied):
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values("planned"),
            by=world.spoc,
            expected_revision=activity_return.revision,
        )
    assert ActivityReturn.objects.get(pk=activity_return.pk).implementation_status == "implemented"


def test_after_reopen_the_new_version_saves_and_the_snapshot_stays(world, signed_off):
    snapshot = AssessmentSnapshot.objects.get()
    stored = (snapshot.data, snapshot.sha256, snapshot.version)

    workflow.reopen(signed_off, by=world.national, reason="Figures corrected")
    activity_return = signed_off.returns.order_by("activity__area__number", "activity__order").first()
    # A rise above the signed-off "implemented" needs new evidence (the evidence-of-change rule).
    new_evidence = complete_values(
        "embedded",
        evidence_summary="Audited again: the policy is checked every quarter",
        evidence_references=[
            {"title": "Audit", "location": "Intranet", "applies_on": uk_today().isoformat()}
        ],
    )
    saved = activity_return_save(
        activity_return_id=activity_return.pk,
        values=new_evidence,
        by=world.spoc,
        expected_revision=activity_return.revision,
    )
    assert saved.implementation_status == "embedded"
    signed_off.refresh_from_db()
    assert (signed_off.status, signed_off.version) == (WorkflowStatus.DRAFT, 2)

    snapshot.refresh_from_db()
    assert (snapshot.data, snapshot.sha256, snapshot.version) == stored
    assert snapshot.data["returns"][0]["implementation_status"] == "implemented"

    # Signing the new version off adds a second snapshot beside the first.
    workflow.submit(signed_off, by=world.spoc)
    workflow.sign_off(signed_off, by=world.coordinator)
    versions = dict(
        AssessmentSnapshot.objects.values_list("version", "data__returns__0__implementation_status")
    )
    assert versions == {1: "implemented", 2: "embedded"}
    out = StringIO()
    call_command("verify_snapshots", stdout=out)
    assert "2 snapshots verified, all hashes and tallies match" in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there)",
)
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_signing_off_at_once_sign_off_exactly_once(world, home_assessment):
    second = user_with_role(Role.COORDINATOR, region=world.home_region, email="coord3@force.example")
    complete_and_submit(home_assessment, world.spoc)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def sign(name, user):
        try:
            assessment = Assessment.objects.get(pk=home_assessment.pk)
            barrier.wait(timeout=10)
            workflow.sign_off(assessment, by=user)
            outcomes[name] = "signed"
        except Exception as error:  # the test inspects whatever was raised
            outcomes[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=("first", world.coordinator)),
        threading.Thread(target=sign, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    results = sorted(outcomes.values(), key=lambda outcome: outcome == "signed")
    assert len(results) == 2
    assert isinstance(results[0], workflow.InvalidTransition)
    assert results[1] == "signed"
    assert AssessmentEvent.objects.filter(to_status=WorkflowStatus.SIGNED_OFF).count() == 1
    assert AssessmentSnapshot.objects.count() == 1
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SIGNED_OFF


def test_sign_off_stores_each_areas_tally_of_the_plan_it_was_signed_against(world, signed_off):
    snapshot = AssessmentSnapshot.objects.get()
    area_of = plan_areas(signed_off.round.plan_id)
    assert snapshot.area_tallies == snapshot_area_tallies(snapshot.data, area_of)
    assert sum(total for _top, total in snapshot.area_tallies.values()) == len(snapshot.data["returns"])
    assert set(snapshot.area_tallies) == {str(area) for area in area_of.values()}


def test_area_tallies_count_the_top_of_the_scale_and_skip_what_they_cannot_place():
    data = {
        "returns": [
            {"activity_code": "A1", "implementation_status": "implemented"},
            {"activity_code": "A2", "implementation_status": "embedded"},
            {"activity_code": "A3", "implementation_status": "in_progress"},
            {"activity_code": "B1", "implementation_status": ""},
            {"activity_code": "B2"},
            {"activity_code": "ZZ99", "implementation_status": "embedded"},  # not in the plan
            {"implementation_status": "embedded"},  # no code
            "not a row",
        ]
    }
    area_of = {"A1": 1, "A2": 1, "A3": 1, "B1": 2, "B2": 2}
    assert snapshot_area_tallies(data, area_of) == {"1": [2, 3], "2": [0, 2]}
    assert snapshot_area_tallies({"returns": "broken"}, area_of) == {}
    assert snapshot_area_tallies({}, area_of) == {}


def test_verify_snapshots_reports_tallies_that_differ_from_the_data(signed_off):
    snapshot = AssessmentSnapshot.objects.get()
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(area_tallies={"1": [99, 99]})
    err = StringIO()
    with pytest.raises(CommandError, match="1 have area tallies that differ from their data"):
        call_command("verify_snapshots", stdout=StringIO(), stderr=err)
    assert "TALLIES DIFFER: Cleveland Police (cleveland), 2026-27 autumn review, version 1" in err.getvalue()


def test_the_data_migration_fills_each_snapshots_tallies_as_sign_off_would(world, signed_off):
    """Snapshots signed off before the column existed get the tallies sign-off now stores."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0013_snapshot_area_tallies")
    snapshot = AssessmentSnapshot.objects.get()
    stored = snapshot.area_tallies
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(area_tallies={})
    migration.fill_tallies(apps, None)
    snapshot.refresh_from_db()
    assert snapshot.area_tallies == stored and stored
