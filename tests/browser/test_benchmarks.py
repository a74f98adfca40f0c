"""The benchmark on the force home page and the national benchmarks page: axe clean, reflowing at 320 px."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from actionplan.models import ActionPlan
from assessments.models import Assessment, Force
from assessments.services import round_open
from tests.assessments.benchmark_world import set_top_share
from tests.browser.conftest import People, assert_accessible, sign_in
from tests.conftest import sign_off_for_test


def six_signed_off(people: People) -> None:
    """Cleveland and five other forces signed off, at different shares."""
    round_ = round_open(
        name="2025 spring review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2025, 4, 1),
        due_on=datetime.date(2025, 6, 30),
        opened_by=people.national,
    ).round
    others = list(Force.objects.exclude(pk=people.cleveland.pk).order_by("name")[:5])
    for index, force in enumerate([people.cleveland, *others]):
        assessment = Assessment.objects.get(force=force, round=round_)
        set_top_share(assessment, 0.15 * index)
        sign_off_for_test(assessment, people.coordinator)


@pytest.mark.parametrize("role", [Role.SPOC, Role.CHIEF_OFFICER])
def test_the_force_home_benchmark_is_accessible(page: Page, people: People, role):
    six_signed_off(people)
    sign_in(page, people.user(role).email)
    page.goto("/forces/cleveland/")
    table = page.get_by_role(
        "table", name="Implemented or embedded: Cleveland Police against North East and England and Wales"
    )
    expect(table).to_be_visible()
    expect(page.get_by_text("Not shown: North East has 3 forces.").first).to_be_visible()
    assert_accessible(page, f"force-home-benchmark-{role}")


def test_the_national_benchmarks_page_is_accessible(page: Page, people: People):
    six_signed_off(people)
    sign_in(page, people.national.email)
    page.goto("/national/benchmarks/")
    expect(page.get_by_role("heading", name="Benchmarks by force")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Cleveland Police North East")).to_be_visible()
    assert_accessible(page, "national-benchmarks")


def test_the_report_pages_with_the_briefing_are_accessible(page: Page, people: People):
    """The draft force report (key messages, trend chart, benchmark) and the regional report's briefing."""
    six_signed_off(people)
    later = round_open(
        name="2025 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2025, 10, 1),
        due_on=datetime.date(2025, 12, 31),
        opened_by=people.national,
    ).round
    sign_in(page, people.coordinator.email)
    page.goto(f"/forces/cleveland/reports/{later.pk}/draft/")
    expect(page.get_by_role("heading", name="Key messages")).to_be_visible()
    expect(page.get_by_role("heading", name="Trend over every signed-off round")).to_be_visible()
    expect(
        page.get_by_role("img", name="Share of activities implemented or embedded, by process area")
    ).to_be_visible()
    assert_accessible(page, "force-report-briefing")
    page.goto(f"/regions/north-east/report/?round={later.pk}")
    expect(page.get_by_role("heading", name="Each force's position and trend")).to_be_visible()
    assert_accessible(page, "regional-report-briefing")
