"""The faster selectors give exactly what the straightforward ones gave, on generated national data."""

from __future__ import annotations

import datetime

import pytest

from assessments import selectors
from assessments.generator import generate_national_data
from assessments.models import ActivityReturn, Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return generate_national_data(seed=8, forces=6, past_rounds=1, today=datetime.date(2026, 11, 1))


def test_task_list_progress_matches_the_aggregate_query(data):
    for assessment in Assessment.objects.all():
        sections = selectors.task_list(assessment=assessment)
        assert selectors.progress_of(sections) == selectors.assessment_progress(assessment=assessment)


def test_activity_page_finds_neighbours_position_and_total_in_plan_order(data):
    assessment = Assessment.objects.filter(round=data.current_round).first()
    codes = list(
        ActivityReturn.objects.filter(assessment=assessment)
        .order_by("activity__area__number", "activity__order")
        .values_list("activity__code", flat=True)
    )
    for index, code in enumerate(codes):
        page = selectors.activity_page(assessment=assessment, code=code)
        assert page.activity_return.activity.code == code
        assert page.previous_code == (codes[index - 1] if index else None)
        assert page.next_code == (codes[index + 1] if index + 1 < len(codes) else None)
        assert (page.position, page.total) == (index + 1, len(codes))


def test_activity_page_is_404_for_a_code_not_in_the_assessment(data):
    from django.http import Http404

    assessment = Assessment.objects.first()
    with pytest.raises(Http404):
        selectors.activity_page(assessment=assessment, code="ZZ99")


@pytest.mark.parametrize("when", ["now", "mid-way"])
def test_benchmark_figures_are_each_forces_newest_sign_off_counted_from_its_data(when):
    """benchmark_inputs picks each force's newest snapshot with NOT EXISTS and reads the stored area
    tallies; here the same figures come the straightforward way, from every snapshot's whole data."""
    from accounts.models import User
    from assessments import workflow
    from assessments.benchmarks import benchmark_inputs
    from assessments.generator import NATIONAL_EMAIL
    from assessments.models import AssessmentSnapshot
    from assessments.snapshots import plan_areas
    from assessments.status import WorkflowStatus
    from tests.conftest import sign_off_for_test

    generate_national_data(seed=11, forces=7, past_rounds=3, today=datetime.date(2026, 11, 1))
    # One force's newest sign-off reopened and signed off again with a lower status: version 2 of the
    # same round must win over version 1.
    latest = (
        Assessment.objects.filter(status=WorkflowStatus.SIGNED_OFF).order_by("-round__opens_on", "pk").first()
    )
    workflow.reopen(latest, by=User.objects.get(email=NATIONAL_EMAIL), reason="Correct the figures")
    ActivityReturn.objects.filter(assessment=latest).update(
        implementation_status="planned", not_applicable_reason=""
    )
    sign_off_for_test(Assessment.objects.get(pk=latest.pk), User.objects.get(email=NATIONAL_EMAIL))
    snapshots = list(AssessmentSnapshot.objects.select_related("assessment__round", "assessment__force"))
    assert any(snapshot.version > 1 for snapshot in snapshots), "a reopened version tests the tie-break"
    times = sorted(snapshot.created_at for snapshot in snapshots)
    as_at = None if when == "now" else times[len(times) // 2]
    newest: dict[int, tuple[tuple[datetime.date, int, int], AssessmentSnapshot]] = {}
    for snapshot in snapshots:
        if as_at is not None and snapshot.created_at > as_at:
            continue
        key = (snapshot.assessment.round.opens_on, snapshot.assessment.round_id, snapshot.version)
        force = snapshot.assessment.force_id
        if force not in newest or key > newest[force][0]:
            newest[force] = (key, snapshot)
    expected = {}
    for force, (_key, snapshot) in newest.items():
        area_of = plan_areas(snapshot.assessment.round.plan_id)
        shares = {}
        for area in set(area_of.values()):
            rows = [row for row in snapshot.data["returns"] if area_of.get(row["activity_code"]) == area]
            top = sum(row["implementation_status"] in ("implemented", "embedded") for row in rows)
            if rows:
                shares[area] = round(100 * top / len(rows))
        expected[force] = (snapshot.assessment.round.name, shares)
    found = {
        line.force_id: (line.round_name, line.area_shares) for line in benchmark_inputs(as_at=as_at).figures
    }
    assert found == expected
    assert len(found) == 7 if as_at is None else 0 < len(found) <= 7
