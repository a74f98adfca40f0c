"""A SPOC completes and submits the force's self-assessment in a real browser, with axe on every page."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from actionplan.models import ActionPlan
from assessments.models import Assessment
from assessments.services import round_open
from assessments.status import WorkflowStatus
from tests.browser.conftest import People, assert_accessible, sign_in


def open_round(people: People) -> Assessment:
    opened = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    return Assessment.objects.get(round=opened.round, force=people.cleveland)


def test_national_staff_open_a_round_in_the_admin(page: Page, people: People):
    sign_in(page, people.national.email)
    page.goto("/admin/assessments/round/add/")
    page.get_by_label("Name").fill("2026-27 autumn review")
    page.get_by_label("Opens on").fill("2026-10-01")
    page.get_by_label("Due on").fill("2027-01-31")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Round opened: 44 assessments created")).to_be_visible()
    assert Assessment.objects.filter(round__name="2026-27 autumn review").count() == 44


def test_a_spoc_completes_and_submits_the_assessment(page: Page, people: People):
    assessment = open_round(people)
    sign_in(page, people.spoc.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleveland Police")
    assert_accessible(page, "spoc-force-home")

    page.get_by_role("button", name="Go to the task list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record your force's progress")
    assert_accessible(page, "spoc-task-list")

    page.get_by_role("link", name=re.compile(r"^LG01 ")).click()
    assert_accessible(page, "spoc-activity")

    # Meet a validation error and fix it.
    page.get_by_label("Implemented", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Summarise the evidence")
    assert_accessible(page, "spoc-activity-error")
    page.get_by_role("link", name="Summarise the evidence that shows this activity is implemented").click()
    assert page.evaluate("document.activeElement.id") == "id_evidence_summary"
    page.get_by_label("Evidence summary").fill("Chief officer portfolio list, March 2026")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LG02")

    # Answer every other activity: "Not started" needs nothing more.
    for _ in range(assessment.returns.count() - 1):
        page.get_by_label("Not started", exact=True).check()
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    assert_accessible(page, "spoc-check-answers")
    page.get_by_role("button", name="Accept and submit").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm the declaration")
    page.get_by_label(re.compile("I confirm that")).check()
    page.get_by_role("button", name="Accept and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment submitted")
    assert_accessible(page, "spoc-submitted")
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SUBMITTED


def test_the_history_page_and_read_only_views_are_accessible(page: Page, people: People):
    assessment = open_round(people)
    sign_in(page, people.chief_officer.email)
    page.goto(f"/assessments/{assessment.pk}/activities/LG01/")
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    assert_accessible(page, "chief-activity-read-only")
    page.get_by_role("link", name="See the history of LG01").click()
    assert_accessible(page, "chief-history")
    page.goto(f"/assessments/{assessment.pk}/check/")
    assert_accessible(page, "chief-all-answers")
