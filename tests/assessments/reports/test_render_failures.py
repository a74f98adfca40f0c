"""A PDF render that fails or takes too long ends in a clear page, never a page that refreshes for ever.

The worker's render of a draft or of a signed-off version can fail (WeasyPrint, damaged data, storage).
The failure is recorded beside where the PDF would be, the waiting page reads it and stops refreshing;
"Try again" queues exactly one new draft render; a wait longer than two minutes says so and stops
refreshing; a forged waiting address is refused and queues nothing. Once a version is signed off, its
render task deletes the assessment's stored drafts. The PDF renderer is replaced by a counter or a
failure: rendering itself is tested in test_pdf.py.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments import workflow
from assessments.models import Assessment, StoredReport
from assessments.reports import drafts, rendering, renders, waiting
from assessments.reports.pdf import ReportRenderError
from tests.assessments.reports.conftest import sign_in
from tests.mail_relays import DATABASE_TASKS

DRAFT_TASK = "assessments.reports.drafts.render_draft_report"
SIGNED_OFF_TASK = "assessments.reports.renders.render_signed_off_report"
FAILED_HEADING = '<h1 class="govuk-heading-l">Sorry, we could not prepare your report</h1>'
SLOW_HEADING = '<h1 class="govuk-heading-l">Your report is taking longer than usual</h1>'
PREPARING_HEADING = '<h1 class="govuk-heading-l">Your report is being prepared</h1>'


class Renderer:
    """Stands in for rendering.render_pdf: fails while `failing`, else returns fake PDF bytes; counts."""

    def __init__(self) -> None:
        self.count = 0
        self.failing = False

    def __call__(self, html: str, **kwargs: object) -> bytes:
        self.count += 1
        if self.failing:
            raise ReportRenderError("WeasyPrint fell over")
        return b"%PDF-1.7\n% fake render " + str(self.count).encode() + b"\n"


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """An empty in-memory storage for each test: assessment ids repeat between tests."""
    settings.STORAGES = {**settings.STORAGES}


@pytest.fixture
def renderer(monkeypatch) -> Renderer:
    fake = Renderer()
    monkeypatch.setattr(rendering, "render_pdf", fake)
    return fake


@pytest.fixture
def busy_host(monkeypatch):
    monkeypatch.setattr(drafts, "host_is_busy", lambda: True)


@pytest.fixture
def later(monkeypatch):
    """Moves the clock the waiting token is read against forward by `seconds`."""

    def move(seconds: float) -> None:
        now = time.time() + seconds
        monkeypatch.setattr(signing.time, "time", lambda: now)

    return move


def tasks(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path))


def draft_pdf_url(assessment) -> str:
    return reverse(
        "assessments:force_report_draft_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id},
    )


def retry_url(assessment) -> str:
    return reverse(
        "assessments:force_report_draft_pdf_retry",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id},
    )


def pdf_url(assessment, version=1) -> str:
    return reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
    )


def refresh_of(response) -> str:
    match = re.fullmatch(r"5; url=(\S+)", response["Refresh"])
    assert match is not None, response["Refresh"]
    return match.group(1)


def run_queued(result: DBTaskResult) -> None:
    """Run a queued task as the worker would, swallowing its error as the worker does."""
    task = drafts.render_draft_report if result.task_path == DRAFT_TASK else renders.render_signed_off_report
    with contextlib.suppress(ReportRenderError):
        task.call(**result.args_kwargs["kwargs"])


def draft_files(assessment) -> list[str]:
    try:
        return sorted(default_storage.listdir(f"{drafts.DRAFTS_FOLDER}/{assessment.pk}")[1])
    except FileNotFoundError:
        return []


def key_of(url: str) -> str:
    token = url.split("?waiting=", 1)[1]
    return waiting.wait_read(token).subject


# --- a draft the worker fails to render -------------------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_draft_render_shows_the_failure_page_and_stops_refreshing(
    client, world, filled, renderer, busy_host, caplog
):
    sign_in(client, world.spoc)
    first = client.get(draft_pdf_url(filled))
    check = refresh_of(first)
    [queued] = tasks(DRAFT_TASK)
    renderer.failing = True
    with caplog.at_level(logging.ERROR, logger="assessments.reports.drafts"):
        run_queued(queued)
    [logged] = [r for r in caplog.records if r.name == "assessments.reports.drafts"]
    assert str(filled.pk) in logged.getMessage() and key_of(check) in logged.getMessage()
    assert world.spoc.email not in logged.getMessage()

    failed = client.get(check)
    page = failed.content.decode()
    assert failed.status_code == 200 and FAILED_HEADING in page
    assert "Refresh" not in failed  # it stops asking by itself
    assert f'action="{retry_url(filled)}"' in page and ">Try again</button>" in page
    assert "contact the national modern slavery unit" in page
    assert len(tasks(DRAFT_TASK)) == 1
    # Clicking "Download PDF" again shows the failure too, rather than quietly queueing another.
    again = client.get(draft_pdf_url(filled))
    assert FAILED_HEADING in again.content.decode() and len(tasks(DRAFT_TASK)) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_try_again_queues_exactly_one_render_and_then_serves_the_pdf(
    client, world, filled, renderer, busy_host
):
    sign_in(client, world.spoc)
    check = refresh_of(client.get(draft_pdf_url(filled)))
    key = key_of(check)
    renderer.failing = True
    run_queued(tasks(DRAFT_TASK)[0])
    renderer.failing = False

    retried = client.post(retry_url(filled), {"key": key})
    assert retried.status_code == 302 and retried["Location"].startswith(draft_pdf_url(filled) + "?waiting=")
    assert len(tasks(DRAFT_TASK)) == 2
    assert client.post(retry_url(filled), {"key": key}).status_code == 302  # a double click
    assert len(tasks(DRAFT_TASK)) == 2  # queued once
    waiting_page = client.get(retried["Location"])
    assert PREPARING_HEADING in waiting_page.content.decode() and len(tasks(DRAFT_TASK)) == 2

    run_queued(tasks(DRAFT_TASK)[-1])
    ready = client.get(retried["Location"])
    assert ready["Content-Type"] == "application/pdf"
    assert not any(name.endswith(".failed") for name in draft_files(filled))


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.parametrize("posted", ["", "0" * 64, "../../etc/passwd"], ids=["none", "other", "path"])
def test_try_again_with_a_key_that_is_not_the_failed_draft_retries_nothing(
    client, world, filled, renderer, busy_host, posted
):
    sign_in(client, world.spoc)
    client.get(draft_pdf_url(filled))
    renderer.failing = True
    run_queued(tasks(DRAFT_TASK)[0])
    response = client.post(retry_url(filled), {"key": posted})
    assert response.status_code == 302 and response["Location"] == draft_pdf_url(filled)
    assert len(tasks(DRAFT_TASK)) == 1
    assert FAILED_HEADING in client.get(response["Location"]).content.decode()  # still failed, not hidden
    assert len(tasks(DRAFT_TASK)) == 1


def test_try_again_is_a_post_and_only_for_people_who_may_see_the_report(client, world, filled):
    sign_in(client, world.spoc)
    assert client.get(retry_url(filled)).status_code == 405
    sign_in(client, world.other_coordinator)
    assert client.post(retry_url(filled), {"key": "0" * 64}).status_code == 404


# --- how long the page waits ------------------------------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_after_two_minutes_the_draft_page_says_it_is_taking_longer_and_stops_refreshing(
    client, world, filled, renderer, busy_host, later
):
    sign_in(client, world.spoc)
    check = refresh_of(client.get(draft_pdf_url(filled)))
    later(waiting.WAIT_LIMIT_SECONDS - 5)
    assert refresh_of(client.get(check)) == check  # still waiting: the same address, same start time
    later(waiting.WAIT_LIMIT_SECONDS + 1)
    slow = client.get(check)
    page = slow.content.decode()
    assert SLOW_HEADING in page and "Refresh" not in slow
    assert f'href="{check}"' in page  # check again, by hand
    assert len(tasks(DRAFT_TASK)) == 1  # waiting and checking again queue nothing
    run_queued(tasks(DRAFT_TASK)[0])
    assert client.get(check)["Content-Type"] == "application/pdf"


@override_settings(TASKS=DATABASE_TASKS)
def test_a_changed_answer_while_waiting_starts_a_new_wait_for_the_new_draft(
    client, world, filled, renderer, busy_host
):
    sign_in(client, world.spoc)
    other = waiting.wait_token("f" * 64)  # a genuine token, for content that is no longer current
    response = client.get(f"{draft_pdf_url(filled)}?waiting={other}")
    assert response.status_code == 302 and response["Location"] == draft_pdf_url(filled)
    assert tasks(DRAFT_TASK) == []


def _forged_tokens(key: str) -> list[str]:
    genuine = waiting.wait_token(key)
    subject, stamp, signature = genuine.rsplit(":", 2)
    backdated = signing.b62_encode(signing.b62_decode(stamp) - 3600)
    return [
        key,  # the old, unsigned address
        "nonsense",
        f"{subject}:{backdated}:{signature}",  # moved back to skip the wait
        genuine[:-2],
        signing.TimestampSigner(key="not-our-secret", salt="assessments.reports.waiting").sign(key),
    ]


@override_settings(TASKS=DATABASE_TASKS)
def test_a_forged_waiting_address_is_refused_and_queues_nothing(client, world, filled, renderer, busy_host):
    sign_in(client, world.spoc)
    key = key_of(refresh_of(client.get(draft_pdf_url(filled))))
    queued = len(tasks(DRAFT_TASK))
    for forged in [*_forged_tokens(key), ""]:
        response = client.get(draft_pdf_url(filled), {"waiting": forged})
        assert response.status_code == 404, forged
    assert len(tasks(DRAFT_TASK)) == queued


# --- a signed-off version the worker fails to render -----------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_signed_off_render_says_it_is_retried_automatically_and_the_timer_repairs_it(
    client, world, filled, renderer, caplog
):
    workflow.submit(filled, by=world.spoc)
    workflow.sign_off(filled, by=world.coordinator)
    sign_in(client, world.chief_officer)
    check = refresh_of(client.get(pdf_url(filled)))
    assert check.startswith(pdf_url(filled) + "?waiting=")
    renderer.failing = True
    with caplog.at_level(logging.ERROR, logger="assessments.reports.renders"):
        run_queued(tasks(SIGNED_OFF_TASK)[0])
    assert any(f"assessment {filled.pk} v1" in r.getMessage() for r in caplog.records)

    for address in (check, pdf_url(filled)):
        failed = client.get(address)
        page = failed.content.decode()
        assert failed.status_code == 200 and FAILED_HEADING in page and "Refresh" not in failed
        assert "We try again automatically every 10 minutes" in page
        assert "Try again</button>" not in page  # a GET of a signed-off report queues nothing
    assert len(tasks(SIGNED_OFF_TASK)) == 1

    renderer.failing = False
    call_command("refresh_stored_reports", stdout=io.StringIO())  # the 10-minute timer
    assert client.get(check)["Content-Type"] == "application/pdf"
    assert not renders.signed_off_render_failed(assessment_id=filled.pk, version=1)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_timer_run_is_shown_as_a_failure_too(client, world, signed_off, renderer):
    renderer.failing = True
    with pytest.raises(Exception, match="1 reports could not be made"):
        call_command("refresh_stored_reports", stdout=io.StringIO(), stderr=io.StringIO())
    sign_in(client, world.chief_officer)
    assert FAILED_HEADING in client.get(pdf_url(signed_off)).content.decode()


@override_settings(TASKS=DATABASE_TASKS)
def test_the_signed_off_wait_is_bounded_and_its_address_cannot_be_forged(
    client, world, filled, renderer, later
):
    workflow.submit(filled, by=world.spoc)
    workflow.sign_off(filled, by=world.coordinator)
    sign_in(client, world.chief_officer)
    check = refresh_of(client.get(pdf_url(filled)))
    later(waiting.WAIT_LIMIT_SECONDS + 1)
    slow = client.get(check)
    assert SLOW_HEADING in slow.content.decode() and "Refresh" not in slow
    assert "we try again automatically every 10 minutes" in slow.content.decode()
    subject = f"{filled.pk}:v1"
    for forged in [*_forged_tokens(subject), waiting.wait_token(f"{filled.pk}:v2")]:
        assert client.get(pdf_url(filled), {"waiting": forged}).status_code == 404, forged
    assert len(tasks(SIGNED_OFF_TASK)) == 1  # the sign-off's own, nothing more


# --- stored drafts are deleted once signed off -------------------------------------------------------------


def test_signing_off_deletes_the_stored_drafts_in_the_render_task(
    world, filled, renderer, django_capture_on_commit_callbacks
):
    drafts.store_draft(assessment_id=filled.pk)
    assert len(draft_files(filled)) == 2  # the PDF and its checksum
    workflow.submit(filled, by=world.spoc)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(filled, by=world.coordinator)
    assert draft_files(filled) == []
    assert StoredReport.objects.filter(assessment=filled).count() == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_the_drafts_are_deleted_even_when_the_signed_off_render_fails(world, filled, renderer):
    drafts.store_draft(assessment_id=filled.pk)
    workflow.submit(filled, by=world.spoc)
    workflow.sign_off(filled, by=world.coordinator)
    assert len(draft_files(filled)) == 2  # the worker has not run yet: a request deletes nothing
    renderer.failing = True
    run_queued(tasks(SIGNED_OFF_TASK)[0])
    assert draft_files(filled) == []


@override_settings(TASKS=DATABASE_TASKS)
def test_a_late_render_task_leaves_the_drafts_of_a_reopened_assessment(world, filled, renderer):
    workflow.submit(filled, by=world.spoc)
    workflow.sign_off(filled, by=world.coordinator)
    reopened = workflow.reopen(Assessment.objects.get(pk=filled.pk), by=world.national, reason="Late fix")
    drafts.store_draft(assessment_id=reopened.pk)  # a draft of version 2
    run_queued(tasks(SIGNED_OFF_TASK)[0])  # version 1's render, reached late
    assert len(draft_files(filled)) == 2


def test_a_draft_stored_while_the_assessment_was_being_signed_off_is_not_left_behind(
    world, filled, monkeypatch
):
    def render_then_signed_off(html, **kwargs):
        # The sign-off commits while the worker renders the draft; its own render task has already run.
        workflow.submit(Assessment.objects.get(pk=filled.pk), by=world.spoc)
        workflow.sign_off(Assessment.objects.get(pk=filled.pk), by=world.coordinator)
        return b"%PDF-1.7\n% fake\n"

    monkeypatch.setattr(rendering, "render_pdf", render_then_signed_off)
    assert drafts.store_draft(assessment_id=filled.pk) is None
    assert draft_files(filled) == []
