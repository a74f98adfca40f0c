"""'Your report is being prepared': a GOV.UK page, axe clean, that turns into the download by itself.

A signed-off report's PDF is rendered by the task worker (issue 22). Until it is stored, its address
shows this page, which refreshes every 5 seconds without script (a `Refresh` header); once the worker
has stored the file, the refresh gets the download. A render that fails, or a wait past two minutes,
ends on a page that stops refreshing: both are axe clean too.
"""

from __future__ import annotations

import contextlib
import time

from django.core import signing
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from assessments import workflow
from assessments.reports import drafts, rendering
from assessments.reports.pdf import ReportRenderError
from assessments.reports.renders import render_and_store
from assessments.reports.waiting import WAIT_LIMIT_SECONDS, wait_token
from tests.browser.conftest import People, assert_accessible, sign_in
from tests.browser.test_reflow import open_round_with_answers
from tests.mail_relays import DATABASE_TASKS


def test_the_being_prepared_page_is_accessible_and_becomes_the_download(page: Page, people: People):
    assessment = open_round_with_answers(people)
    with override_settings(TASKS=DATABASE_TASKS):  # queued for a worker that has not run yet
        workflow.submit(assessment, by=people.spoc)
        workflow.sign_off(assessment, by=people.coordinator)
    sign_in(page, people.chief_officer.email)
    page.goto(f"/forces/cleveland/reports/{assessment.round_id}/v1.pdf")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report is being prepared")
    expect(page.get_by_role("link", name="Back to the report")).to_be_visible()
    assert_accessible(page, "report-being-prepared")
    with page.expect_download(timeout=60_000) as download_info:
        render_and_store(assessment_id=assessment.pk, version=1)  # the worker catches up
    assert download_info.value.path().read_bytes().startswith(b"%PDF")


def test_a_failed_draft_render_shows_an_accessible_page_whose_try_again_waits_again(
    page: Page, people: People, monkeypatch
):
    assessment = open_round_with_answers(people)
    monkeypatch.setattr(drafts, "host_is_busy", lambda: True)  # so the worker makes the draft

    def broken(html: str, **kwargs: object) -> bytes:
        raise ReportRenderError("WeasyPrint fell over")

    sign_in(page, people.chief_officer.email)
    with override_settings(TASKS=DATABASE_TASKS):  # queued for a worker that has not run yet
        page.goto(f"/forces/cleveland/reports/{assessment.round_id}/draft.pdf")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your report is being prepared")
        [queued] = DBTaskResult.objects.filter(task_path="assessments.reports.drafts.render_draft_report")
        monkeypatch.setattr(rendering, "render_pdf", broken)
        with contextlib.suppress(ReportRenderError):
            drafts.render_draft_report.call(**queued.args_kwargs["kwargs"])  # the worker fails
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Sorry, we could not prepare your report", timeout=15_000)
        assert_accessible(page, "report-could-not-be-prepared")
        page.get_by_role("button", name="Try again").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your report is being prepared")
    queued_now = DBTaskResult.objects.filter(task_path="assessments.reports.drafts.render_draft_report")
    assert queued_now.count() == 2  # Try again queued one more


def test_the_taking_longer_page_is_accessible(page: Page, people: People, monkeypatch):
    assessment = open_round_with_answers(people)
    with override_settings(TASKS=DATABASE_TASKS):
        workflow.submit(assessment, by=people.spoc)
        workflow.sign_off(assessment, by=people.coordinator)
    token = wait_token(f"{assessment.pk}:v1")
    moved = time.time() + WAIT_LIMIT_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: moved)
    sign_in(page, people.chief_officer.email)
    page.goto(f"/forces/cleveland/reports/{assessment.round_id}/v1.pdf?waiting={token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report is taking longer than usual")
    expect(page.get_by_role("link", name="Check if your report is ready")).to_be_visible()
    assert_accessible(page, "report-taking-longer")
