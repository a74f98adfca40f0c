"""The whole round, as people do it in a real browser: submit, return, resubmit, sign off, report, next round.

Every distinct page the journey reaches is checked with axe-core (WCAG 2.2 A and AA tags) and saved as a
screenshot in test-artifacts/screenshots/journey-*.png for a person to look at.

Email goes as in production: each step queues its messages in the database and the task worker sends
them (`delivered_by_the_worker`); nothing is sent by the page itself.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from actionplan.models import ActionPlan
from assessments.models import ActivityReturn, Assessment
from assessments.services import round_open
from assessments.status import ImplementationStatus, WorkflowStatus
from tests.browser.conftest import (
    People,
    assert_accessible,
    enter_second_factor,
    sign_in,
    sign_in_password_only,
)
from tests.mail_relays import DATABASE_TASKS, run_worker

FIRST_ROUND = "2026-27 autumn review"
NEXT_ROUND = "2027-28 spring review"
LG01_EVIDENCE = "Chief officer portfolio list, March 2026"
LG01_EVIDENCE_CHANGED = "Chief officer portfolio list and the force's modern slavery delivery plan, May 2026"
LG03_REASON = "The force shares this function with Durham Constabulary under a collaboration agreement."


@pytest.fixture
def database_tasks(settings):
    """The database task backend, as in production: the worker, not the request, sends email."""
    settings.TASKS = DATABASE_TASKS


def delivered_by_the_worker() -> dict[str, str]:
    """Check the request sent nothing, run the worker through the queue, and return {subject: body}."""
    before = len(mail.outbox)
    run_worker()
    return {str(message.subject): str(message.body) for message in mail.outbox[before:]}


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_have_text("Sign in")


def admin_sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_have_text("Sign in")


def admin_model_link(page: Page, name: str):
    """The link to a model's list on the admin index (not its app's section heading of the same name)."""
    return page.get_by_role("rowheader", name=name, exact=True).get_by_role("link", name=name)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def spoc_fills_in_every_activity(page: Page, *, total: int) -> None:
    """LG01 with a real answer after meeting an error, LG02 with a plan, every other one "Not started"."""
    expect(heading(page)).to_have_text("Record your force's progress")
    assert_accessible(page, "journey-01-spoc-task-list")

    page.get_by_role("link", name=re.compile(r"^LG01 ")).click()
    expect(heading(page)).to_contain_text("LG01")
    assert_accessible(page, "journey-02-spoc-activity")
    page.get_by_label("Implemented", exact=True).check()
    save_and_continue(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Summarise the evidence")
    assert_accessible(page, "journey-03-spoc-activity-error")
    page.get_by_role("link", name="Summarise the evidence that shows this activity is implemented").click()
    expect(page.get_by_label("Evidence summary")).to_be_focused()
    page.get_by_label("Evidence summary").fill(LG01_EVIDENCE)
    save_and_continue(page)

    expect(heading(page)).to_contain_text("LG02")
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Next steps").fill("Train every custody sergeant in spotting the signs of exploitation")
    page.get_by_label("Action owner").fill("Head of public protection")
    target = page.get_by_role("group", name="Target date")
    target.get_by_label("Day").fill("31")
    target.get_by_label("Month").fill("3")
    target.get_by_label("Year").fill("2027")
    save_and_continue(page)

    for _ in range(total - 2):
        expect(page.get_by_role("button", name="Save and continue")).to_be_visible()
        page.get_by_label("Not started", exact=True).check()
        save_and_continue(page)


def spoc_checks_and_submits(page: Page, *, screenshot: str, declaration_error: bool) -> None:
    expect(heading(page)).to_have_text("Check your answers before submitting")
    expect(page.get_by_text(LG01_EVIDENCE)).to_be_visible()
    if declaration_error:
        assert_accessible(page, f"{screenshot}-check-answers")
        page.get_by_role("button", name="Accept and submit").click()
        expect(page.get_by_role("alert")).to_contain_text("Confirm the declaration")
        assert_accessible(page, f"{screenshot}-check-answers-error")
    page.get_by_label(re.compile("I confirm that")).check()
    page.get_by_role("button", name="Accept and submit").click()
    expect(heading(page)).to_have_text("Assessment submitted")
    if declaration_error:
        assert_accessible(page, f"{screenshot}-submitted")


def coordinator_opens_the_review(page: Page, people: People, *, first_time: bool) -> None:
    """Sign in with the second factor, then Review and admin, Assessments, Review for Cleveland."""
    if first_time:
        sign_in_password_only(page, people.coordinator.email)
        expect(heading(page)).to_have_text("Enter your security code")
        assert_accessible(page, "journey-06-coordinator-second-factor")
        enter_second_factor(page, people.coordinator)
    else:
        sign_in(page, people.coordinator.email)
    expect(heading(page)).to_have_text("North East")
    page.get_by_role("link", name="Review and admin").click()
    if first_time:
        expect(page.get_by_text("1 submitted assessment is waiting for review")).to_be_visible()
        assert_accessible(page, "journey-07-admin-index")
    admin_model_link(page, "Assessments").click()
    if first_time:
        assert_accessible(page, "journey-08-admin-assessment-list")
    page.get_by_role("link", name="Review Cleveland Police").click()
    expect(heading(page)).to_contain_text(f"Review: Cleveland Police, {FIRST_ROUND}")


@pytest.mark.usefixtures("database_tasks")
def test_a_round_from_first_answer_to_the_next_round(page: Page, people: People, live_server):
    opened = round_open(
        name=FIRST_ROUND,
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    assessment = Assessment.objects.get(round=opened.round, force=people.cleveland)
    total = assessment.returns.count()

    # 1. The SPOC answers every activity, meets and fixes a validation error, checks and submits.
    page.goto("/")
    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page, "journey-00-sign-in")
    sign_in(page, people.spoc.email)
    expect(heading(page)).to_have_text("Cleveland Police")
    assert_accessible(page, "journey-00-spoc-force-home")
    page.get_by_role("button", name="Go to the task list").click()
    spoc_fills_in_every_activity(page, total=total)
    spoc_checks_and_submits(page, screenshot="journey-04-spoc", declaration_error=True)
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SUBMITTED
    assert mail.outbox == []
    emails = delivered_by_the_worker()
    review = f"{live_server.url}/admin/assessments/assessment/{assessment.pk}/review/"
    assert review in emails[f"Cleveland Police has submitted its {FIRST_ROUND} assessment (version 1)"]
    assert f"Received: Cleveland Police's {FIRST_ROUND} assessment (version 1)" in emails
    sign_out(page)

    # 2. The coordinator, with the second factor, returns LG01 and LG03 with comments.
    coordinator_opens_the_review(page, people, first_time=True)
    assert_accessible(page, "journey-09-admin-review")
    page.get_by_label("Needs changes (LG01)").check()
    page.get_by_label("Comment on LG01").fill("Name the delivery plan as well as the portfolio list.")
    page.get_by_label("Needs changes (LG03)").check()
    page.get_by_label("Comment on LG03").fill("Does this apply? Durham runs the shared team.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    assert_accessible(page, "journey-10-admin-review-error")
    page.get_by_label("Overall comment").fill("Nearly there: two activities need another look.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_text("Cleveland Police returned for changes")).to_be_visible()
    assert_accessible(page, "journey-11-admin-assessment-list-returned")
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.RETURNED
    returned = delivered_by_the_worker()[
        f"Cleveland Police's {FIRST_ROUND} assessment has been returned for changes"
    ]
    assert "changes to 2 activities:\n- LG01 " in returned and "\n- LG03 " in returned
    assert "Durham runs the shared team" not in returned  # the comments stay in the service
    admin_sign_out(page)

    # 3. The SPOC sees the comments, changes those two activities and submits again.
    sign_in(page, people.spoc.email)
    banner = page.get_by_role("region", name="Changes requested")
    expect(banner).to_contain_text("Nearly there: two activities need another look.")
    expect(banner).to_contain_text("2 activities need changes")
    assert_accessible(page, "journey-12-spoc-force-home-returned")
    page.get_by_role("button", name="Go to the task list").click()
    lg01 = page.locator("#LG01")
    expect(lg01).to_contain_text("Changes requested")
    expect(lg01).to_contain_text("Coordinator: Name the delivery plan as well as the portfolio list.")
    expect(page.locator("#LG03")).to_contain_text("Changes requested")
    expect(page.locator("#LG02")).to_contain_text("Completed")
    assert_accessible(page, "journey-13-spoc-task-list-returned")

    page.get_by_role("link", name=re.compile(r"^LG01 ")).click()
    expect(page.get_by_text("The regional coordinator asked for changes")).to_be_visible()
    expect(page.get_by_text("Name the delivery plan as well as the portfolio list.")).to_be_visible()
    assert_accessible(page, "journey-14-spoc-activity-changes-requested")
    page.get_by_label("Evidence summary").fill(LG01_EVIDENCE_CHANGED)
    page.get_by_role("button", name="Save and return to task list").click()
    page.get_by_role("link", name=re.compile(r"^LG02 ")).click()
    expect(page.get_by_text("The coordinator did not ask for changes to this activity")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    assert_accessible(page, "journey-15-spoc-activity-locked")
    page.get_by_role("link", name="Back to the task list").click()
    page.get_by_role("link", name=re.compile(r"^LG03 ")).click()
    expect(page.get_by_text("Durham runs the shared team")).to_be_visible()
    page.get_by_label("Not applicable", exact=True).check()
    page.get_by_label("Why does this activity not apply to the force?").fill(LG03_REASON)
    page.get_by_role("button", name="Save and return to task list").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_text(LG01_EVIDENCE_CHANGED)).to_be_visible()
    expect(page.get_by_text(LG03_REASON)).to_be_visible()
    page.get_by_label(re.compile("I confirm that")).check()
    page.get_by_role("button", name="Accept and submit").click()
    expect(heading(page)).to_have_text("Assessment submitted")
    resubmitted = delivered_by_the_worker()[
        f"Cleveland Police has resubmitted its {FIRST_ROUND} assessment (version 1)"
    ]
    assert "returned for changes to 2 activities:\n- LG01 " in resubmitted
    sign_out(page)

    # 4. The coordinator signs off.
    coordinator_opens_the_review(page, people, first_time=False)
    expect(page.get_by_text(LG03_REASON)).to_be_visible()
    page.get_by_label("Overall comment").fill("Thank you: signed off.")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(f"Cleveland Police signed off for {FIRST_ROUND}.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SIGNED_OFF
    signed_off = delivered_by_the_worker()[f"Cleveland Police's {FIRST_ROUND} assessment has been signed off"]
    assert f"{live_server.url}/forces/cleveland/reports/{assessment.round_id}/v1.pdf" in signed_off
    admin_sign_out(page)

    # 5. The chief officer downloads the signed-off report: a real PDF that names the force.
    sign_in(page, people.chief_officer.email)
    expect(heading(page)).to_have_text("Cleveland Police")
    # A chief officer's home leads with the reports (issue 19): the big "View reports" button.
    page.get_by_role("button", name="View reports for Cleveland Police").click()
    expect(heading(page)).to_have_text("Reports")
    assert_accessible(page, "journey-16-chief-reports")
    page.get_by_role("link", name=f"View version 1 for {FIRST_ROUND}").click()
    expect(heading(page)).to_have_text("Cleveland Police progress report")
    assert_accessible(page, "journey-17-chief-report")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download PDF")).click()
    content = download_info.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(content)).pages)
    assert "Cleveland Police" in text
    assert FIRST_ROUND in text
    sign_out(page)

    # 6. National staff open the next round in the admin; the signed-off answers carry forward.
    sign_in(page, people.national.email)
    page.get_by_role("link", name="Review and admin").click()
    admin_model_link(page, "Rounds").click()
    assert_accessible(page, "journey-18-admin-round-list")
    page.get_by_role("link", name=re.compile(r"^Add round")).click()
    assert_accessible(page, "journey-19-admin-round-add")
    page.get_by_label("Name").fill(NEXT_ROUND)
    page.get_by_label("Opens on").fill("2027-04-01")
    page.get_by_label("Due on").fill("2027-07-31")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text(f"Round opened: 44 assessments created, {total} answers carried forward")
    ).to_be_visible()
    admin_sign_out(page)

    sign_in(page, people.spoc.email)
    expect(page.get_by_role("heading", name=NEXT_ROUND)).to_be_visible()
    expect(page.get_by_text(f"{total} carried forward from the last round")).to_be_visible()
    page.get_by_role("button", name="Go to the task list").click()
    expect(page.locator("#LG01")).to_contain_text("Carried forward")
    expect(page.locator(".govuk-task-list__status", has_text="Carried forward")).to_have_count(total)
    assert_accessible(page, "journey-20-spoc-task-list-carried-forward")
    page.get_by_role("link", name=re.compile(r"^LG01 ")).click()
    expect(page.get_by_text("These answers were carried forward")).to_be_visible()
    expect(page.get_by_label("Implemented", exact=True)).to_be_checked()
    expect(page.get_by_label("Evidence summary")).to_have_value(LG01_EVIDENCE_CHANGED)
    page.get_by_role("link", name="Back to the task list").click()
    page.get_by_role("link", name=re.compile(r"^LG03 ")).click()
    expect(page.get_by_label("Not applicable", exact=True)).to_be_checked()
    expect(page.get_by_label("Why does this activity not apply to the force?")).to_have_value(LG03_REASON)
    assert_accessible(page, "journey-21-spoc-activity-carried-forward")
    carried = ActivityReturn.objects.get(
        assessment__round__name=NEXT_ROUND, assessment__force=people.cleveland, activity__code="LG02"
    )
    assert carried.carried_forward
    assert carried.implementation_status == ImplementationStatus.IN_PROGRESS


def test_the_accessibility_statement_says_what_was_tested_and_what_is_known(page: Page, people: People):
    page.goto("/account/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()

    expect(heading(page)).to_have_text("Accessibility statement")
    main = page.get_by_role("main")
    expect(main).to_contain_text("WCAG) version 2.2 to level AA")
    for section in [
        "Compliance status",
        "What we test",
        "How we test",
        "Known problems",
        "Reporting problems",
    ]:
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    for fact in ["axe-core", "Chromium", "320 pixels", "twice its usual size", "Tab", "29 November 2026"]:
        expect(main).to_contain_text(fact)
    assert_accessible(page, "accessibility-statement")
