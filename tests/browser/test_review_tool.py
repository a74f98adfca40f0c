"""Issue 14 done: a coordinator finds the review by what the screen shows, returns two activities, sees
them marked on resubmission with the SPOC's changes, and signs off; every new page passes axe."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from actionplan.models import ActionPlan
from assessments import workflow
from assessments.models import ActivityReturn, Assessment
from assessments.services import activity_return_save, round_open
from assessments.status import WorkflowStatus
from tests.browser.conftest import People, assert_accessible, sign_in
from tests.conftest import complete_values

ROUND = "2026-27 autumn review"
LG01_CHANGED = "The delivery plan names the chief officer lead, May 2026."


def spoc_completes_and_submits(assessment: Assessment, people: People) -> None:
    """The SPOC's part, done through the services (their pages have their own browser tests)."""
    for activity_return in assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values("implemented"),
            by=people.spoc,
            expected_revision=activity_return.revision,
        )
    workflow.submit(assessment, by=people.spoc)


def coordinator_finds_the_review(page: Page, people: People, *, width: int) -> None:
    """From the sign-in page to the review link, by visible text only, at this width."""
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, people.coordinator.email)
    page.get_by_role("link", name="Review and admin").click()
    page.get_by_role("link", name=re.compile(r"1 assessment waiting for your review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_role("navigation", name="Filter")).to_be_visible()  # the filter panel is open
    review = page.get_by_role("link", name="Review Cleveland Police")
    expect(review).to_be_in_viewport()
    expect(page.get_by_role("link", name="Cleveland Police", exact=True)).to_be_in_viewport()


def admin_sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_coordinator_returns_two_activities_then_signs_off_the_resubmission(page: Page, people: People):
    opened = round_open(
        name=ROUND,
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    assessment = Assessment.objects.get(round=opened.round, force=people.cleveland)
    spoc_completes_and_submits(assessment, people)

    # At 1280 px the list shows the review link beside the open filter panel.
    coordinator_finds_the_review(page, people, width=1280)
    assert_accessible(page, "review-tool-01-list-1280")
    admin_sign_out(page)

    # At 1024 px too; the force's name opens the review.
    coordinator_finds_the_review(page, people, width=1024)
    assert_accessible(page, "review-tool-02-list-1024")
    page.get_by_role("link", name="Cleveland Police", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review: Cleveland Police, {ROUND}")
    expect(page.get_by_role("navigation", name="What needs a look")).to_be_visible()
    assert_accessible(page, "review-tool-03-review")

    # Marks, then "Sign off": refused, naming both, and nothing typed is lost.
    page.get_by_label("Needs changes (LG01)").check()
    page.get_by_label("Comment on LG01").fill("Name the delivery plan.")
    page.get_by_label("Needs changes (LG03)").check()
    page.get_by_label("Comment on LG03").fill("Does this apply?")
    page.get_by_label("Overall comment").fill("Two activities need another look.")
    page.get_by_role("button", name="Sign off").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("You have asked for changes to LG01, LG03.")
    expect(page.get_by_label("Comment on LG01")).to_have_value("Name the delivery plan.")
    expect(page.get_by_label("Needs changes (LG03)")).to_be_checked()
    assert_accessible(page, "review-tool-04-sign-off-refused")
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SUBMITTED

    # "Return for changes" from the same page sends both back.
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_text("Cleveland Police returned for changes")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.RETURNED
    admin_sign_out(page)

    # The SPOC changes LG01's evidence and resubmits.
    lg01 = ActivityReturn.objects.get(assessment=assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk,
        values=complete_values("implemented", evidence_summary=LG01_CHANGED),
        by=people.spoc,
        expected_revision=lg01.revision,
    )
    assessment.refresh_from_db()
    workflow.submit(assessment, by=people.spoc)

    # The list says "Resubmitted"; the review opens at the two activities returned last time.
    coordinator_finds_the_review(page, people, width=1280)
    expect(page.get_by_text(re.compile(r"Resubmitted: version 1, returned on"))).to_be_visible()
    page.get_by_role("link", name="Review Cleveland Police").click()
    table = page.locator("#review-table")
    expect(table.get_by_role("caption")).to_contain_text("Returned last time: 2 of")
    lg01_row = page.locator("#activity-LG01")
    expect(lg01_row).to_contain_text("You asked: Name the delivery plan.")
    expect(lg01_row).to_contain_text("Changed since the return: Evidence summary")
    expect(lg01_row).to_contain_text(LG01_CHANGED)
    expect(page.locator("#activity-LG03")).to_contain_text("Changed since the return: Nothing")
    expect(page.locator("#activity-LG02")).to_have_count(0)
    assert_accessible(page, "review-tool-05-resubmission")

    # Looked at, as the coordinator goes; then sign off.
    page.get_by_role("button", name="Mark as looked at (LG01)").click()
    expect(page.get_by_text("You have looked at 1 of")).to_be_visible()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(f"Cleveland Police signed off for {ROUND}.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SIGNED_OFF

    # The pipeline page, from the admin index.
    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("link", name=re.compile("Pipeline and turnaround")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline and turnaround")
    expect(page.get_by_role("table", name="Each force in " + ROUND)).to_contain_text("Cleveland Police")
    assert_accessible(page, "review-tool-06-pipeline")
