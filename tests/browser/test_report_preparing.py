"""'Your report is being prepared': a GOV.UK page, axe clean, that turns into the download by itself.

A signed-off report's PDF is rendered by the task worker (issue 22). Until it is stored, its address
shows this page, which refreshes every 5 seconds without script (a meta refresh, which the content
security policy allows); once the worker has stored the file, the refresh gets the download.
"""

from __future__ import annotations

from django.test import override_settings
from playwright.sync_api import Page, expect

from assessments import workflow
from assessments.reports.renders import render_and_store
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
