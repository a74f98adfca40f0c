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
