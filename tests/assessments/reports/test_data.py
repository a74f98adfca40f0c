"""Report data, built on its own from the fixtures: every figure the reports show."""

from __future__ import annotations

import datetime

import pytest

from assessments import workflow
from assessments.models import Assessment, AssessmentSnapshot, Force
from assessments.reports.data import (
    force_report_data,
    national_report_data,
    regional_report_data,
    report_file_name,
)
from assessments.services import activity_return_save, round_open
from tests.assessments.reports.conftest import STATUS_CYCLE, fill
from tests.conftest import complete_values

TODAY = datetime.date(2026, 11, 1)


def expected_counts(total):
    statuses = [STATUS_CYCLE[i % len(STATUS_CYCLE)] for i in range(total)]
    return {status: statuses.count(status) for status in set(statuses)}


def test_a_draft_report_counts_every_activity_by_area_and_status(filled):
    report = force_report_data(assessment=filled, today=TODAY)
    assert report.is_draft and report.workflow_status == "draft"
    assert (report.force_name, report.force_code, report.round_name) == (
        "Cleveland Police",
        "cleveland",
        "2026-27 autumn review",
    )
    assert report.total == 50 == len(set(report.activity_codes))
    assert [area.number for area in report.areas] == [1, 2, 3, 4, 5]
    counts = {c.status: c.count for c in report.counts}
    for status, count in expected_counts(50).items():
        assert counts[status] == count
    assert counts[""] == 0 and counts["not_applicable"] == 0
    top = counts["implemented"] + counts["embedded"]
    assert report.implemented_or_embedded == top
    assert report.share == round(100 * top / 50)
    for area in report.areas:
        assert area.implemented_or_embedded == sum(
            1 for r in area.rows if r.status in ("implemented", "embedded")
        )
        assert sum(c.count for c in area.counts) == area.total
    assert report.changes is None
    assert report.signed_off_by == "" and report.signed_off_at is None


def test_actions_are_split_into_overdue_and_due_in_the_next_90_days(filled):
    report = force_report_data(assessment=filled, today=TODAY)
    rows = {row.code: row for area in report.areas for row in area.rows}
    for action in report.overdue:
        assert action.target_date < TODAY
        assert action.days == (TODAY - action.target_date).days
        assert action.owner == f"Owner {action.code}" == rows[action.code].action_owner
    for action in report.due_soon:
        assert TODAY <= action.target_date <= TODAY + datetime.timedelta(days=90)
    # fill() sets activity i's target to TODAY - 60 + 7i days. Issue 15: only open actions count, so of
    # the 9 past dates (activities 0-8) the 4 below Implemented are overdue, and of the 13 within 90 days
    # (activities 9-21) the 7 below Implemented are due soon.
    assert len(report.overdue) == 4
    assert len(report.due_soon) == 7
    assert [a.target_date for a in report.overdue] == sorted(a.target_date for a in report.overdue)


def test_a_signed_off_report_is_built_from_the_snapshot_with_the_signer(world, signed_off):
    snapshot = AssessmentSnapshot.objects.get(assessment=signed_off)
    report = force_report_data(assessment=signed_off, snapshot=snapshot)
    assert not report.is_draft
    assert report.workflow_label == "Signed off"
    assert report.signed_off_by == "Casey Coordinator"
    assert report.signed_off_role == "Regional coordinator"
    assert report.snapshot_sha256 == snapshot.sha256
    assert report.file_name == "cleveland-2026-27-autumn-review-progress-v1.pdf"
    assert [c.heading for c in report.comments] == ["Signed off"]
    assert report.comments[0].text == "A clear, well-evidenced return."


def test_later_edits_to_a_new_draft_do_not_change_the_signed_off_report(world, signed_off):
    snapshot = AssessmentSnapshot.objects.get(assessment=signed_off)
    before = force_report_data(assessment=signed_off, snapshot=snapshot)
    workflow.reopen(signed_off, by=world.national, reason="Correct LG01")
    first = signed_off.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=first.pk,
        values=complete_values("not_started", evidence_summary="Changed later"),
        by=world.spoc,
        expected_revision=first.revision,
    )
    Force.objects.filter(pk=world.home_force.pk).update(name="Cleveland Police (renamed)")
    snapshot.refresh_from_db()
    after = force_report_data(assessment=Assessment.objects.get(pk=signed_off.pk), snapshot=snapshot)
    assert after == before
    draft = force_report_data(assessment=Assessment.objects.get(pk=signed_off.pk))
    assert draft.version == 2 and draft.is_draft
    assert draft.areas[0].rows[0].evidence_summary == "Changed later"
    assert [c.heading for c in draft.comments] == ["Reopened"]


def test_changes_since_the_last_signed_off_round(world, signed_off, action_plan):
    later = round_open(
        name="2027-28 spring review",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 30),
        opened_by=world.national,
    ).round
    assessment = Assessment.objects.get(force=world.home_force, round=later)
    # LG01 was embedded, LG03 in progress, LG05 not started (STATUS_CYCLE).
    fill(
        assessment,
        world.spoc,
        overrides={
            "LG01": complete_values("in_progress"),
            "LG03": complete_values("implemented"),
            "LG05": complete_values("planned", evidence_summary="A new audit report"),
        },
    )
    report = force_report_data(assessment=assessment, today=TODAY)
    changes = report.changes
    assert changes is not None
    assert changes.previous_round_name == "2026-27 autumn review" and changes.previous_version == 1
    assert [c.code for c in changes.improved] == ["LG03", "LG05"]
    assert [c.code for c in changes.regressed] == ["LG01"]
    assert changes.regressed[0].previous_label == "Embedded"
    assert changes.regressed[0].current_label == "In progress"
    assert changes.unchanged == 47
    assert [c.code for c in changes.new_evidence] == ["LG05"]


def test_the_coordinators_activity_comments_appear_in_the_report(world, filled):
    workflow.submit(filled, by=world.spoc)
    filled = workflow.return_for_changes(
        filled, by=world.coordinator, reason="Two gaps", activity_comments={"VS02": "Name the victim lead"}
    )
    report = force_report_data(assessment=filled, today=TODAY)
    headings = [c.heading for c in report.comments]
    assert headings[0] == "Returned for changes"
    assert report.comments[0].text == "Two gaps"
    assert any(h.startswith("VS02") for h in headings)
    assert report.workflow_label == "Returned for changes" and report.is_draft


def test_file_names_follow_the_pattern():
    assert (
        report_file_name(force_code="cleveland", round_name="2026-27 Autumn review", version=3, draft=False)
        == "cleveland-2026-27-autumn-review-progress-v3.pdf"
    )
    assert report_file_name(force_code="gwent", round_name="R1", version=1, draft=True) == (
        "gwent-r1-progress-v1-draft.pdf"
    )


def test_the_regional_report_has_its_forces_pipeline_and_those_behind(world, filled, open_round):
    workflow.submit(filled, by=world.spoc)
    report = regional_report_data(
        region=world.home_region, round_=open_round, today=datetime.date(2026, 12, 1)
    )
    assert [line.name for line in report.forces] == ["Cleveland Police", "Durham Constabulary"]
    assert {stage.status: stage.count for stage in report.pipeline} == {
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "signed_off": 0,
    }
    cleveland, durham = report.forces
    assert cleveland.complete == 50 and cleveland.behind_reason == ""
    assert len(cleveland.area_shares) == 5
    assert durham.complete == 0 and "0% complete" in durham.behind_reason
    assert [line.name for line in report.behind] == ["Durham Constabulary"]
    late = regional_report_data(region=world.home_region, round_=open_round, today=datetime.date(2027, 1, 5))
    assert late.behind[0].behind_reason.startswith("Not submitted; due 31 December 2026")


def test_the_national_report_covers_every_force_and_the_change_since_the_last_round(
    world, signed_off, action_plan, open_round
):
    first = national_report_data(round_=open_round, today=TODAY)
    assert [block.name for block in first.regions] == ["North East", "Wales"]
    assert sum(len(block.forces) for block in first.regions) == 3
    assert first.previous_round_name == ""
    implemented = sum(c.count for d in first.distribution for c in d.counts if c.status in ("implemented",))
    assert implemented == expected_counts(50)["implemented"]
    later = round_open(
        name="2027-28 spring review",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 30),
        opened_by=world.national,
    ).round
    report = national_report_data(round_=later, today=TODAY)
    assert report.previous_round_name == "2026-27 autumn review"
    # Cleveland's answers were carried forward, unconfirmed, so the shares have not moved.
    for change in report.changes:
        assert change.previous_share is not None
        assert change.difference == 0
    assert {stage.status: stage.count for stage in report.pipeline}["draft"] == 3


@pytest.mark.parametrize("status", ["draft", "signed_off"])
def test_report_data_takes_a_fixed_number_of_queries(world, filled, status, django_assert_max_num_queries):
    if status == "signed_off":
        workflow.submit(filled, by=world.spoc)
        workflow.sign_off(filled, by=world.coordinator)
    snapshot = AssessmentSnapshot.objects.filter(assessment=filled).first()
    assessment = Assessment.objects.select_related("force__region", "round").get(pk=filled.pk)
    with django_assert_max_num_queries(6):
        force_report_data(assessment=assessment, snapshot=snapshot, today=TODAY)
