"""Signed-off PDFs are rendered by the task worker, not by a download (issue 22).

A sign-off queues its render in its own transaction; a GET of a signed-off report only reads (the stored
file, or "Your report is being prepared"); `refresh_stored_reports` repairs what is missing and renders
again in a new layout; a pack zips stored PDFs and renders only drafts. The PDF renderer is replaced by
a counter returning fixed bytes: rendering itself is tested in test_pdf.py.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from assessments import workflow
from assessments.models import Assessment, ReportPack, StoredReport
from assessments.reports import drafts, rendering, renders, storage
from assessments.reports.packs import report_pack_request
from assessments.reports.pdf import ReportRenderError
from assessments.reports.renders import render_and_store
from assessments.services import activity_return_save
from tests.assessments.reports.conftest import fill, sign_in
from tests.conftest import complete_values
from tests.factories import user_with_role
from tests.mail_relays import DATABASE_TASKS

RENDER_TASK = "assessments.reports.renders.render_signed_off_report"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


class RenderCounter:
    """Stands in for rendering.render_pdf: counts renders and returns distinct fake PDF bytes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, html: str, **kwargs: object) -> bytes:
        self.count += 1
        return b"%PDF-1.7\n% fake render " + str(self.count).encode() + b"\n" + bytes(range(256))


@pytest.fixture
def renders_counted(monkeypatch) -> RenderCounter:
    counter = RenderCounter()
    monkeypatch.setattr(rendering, "render_pdf", counter)
    return counter


def pdf_url(assessment, version=1):
    return reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
    )


def render_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=RENDER_TASK))


def writes_in(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if WRITES.match(query["sql"])]


# --- a sign-off queues its PDF -----------------------------------------------------------------------


@override_settings(TASKS=DATABASE_TASKS)
def test_a_sign_off_queues_the_render_of_its_pdf_in_its_own_transaction(world, filled, renders_counted):
    workflow.submit(filled, by=world.spoc)
    workflow.sign_off(filled, by=world.coordinator)
    [queued] = render_tasks()
    assert queued.status == "READY"
    assert queued.args_kwargs["kwargs"] == {"assessment_id": filled.pk, "version": 1}
    assert StoredReport.objects.count() == 0 and renders_counted.count == 0  # the worker renders it


@override_settings(TASKS=DATABASE_TASKS)
def test_a_sign_off_that_rolls_back_queues_nothing(world, filled):
    workflow.submit(filled, by=world.spoc)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.sign_off(filled, by=world.coordinator)
        raise RuntimeError("the request failed after the sign-off")
    assert render_tasks() == []


def test_the_queued_render_stores_the_pdf_once_the_sign_off_commits(
    world, filled, renders_counted, django_capture_on_commit_callbacks
):
    workflow.submit(filled, by=world.spoc)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(filled, by=world.coordinator)
    stored = StoredReport.objects.get()
    assert (stored.assessment_id, stored.version, stored.template_version) == (
        filled.pk,
        1,
        rendering.REPORT_TEMPLATE_VERSION,
    )
    assert renders_counted.count == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_a_replayed_sign_off_queues_no_render(world, filled):
    # The national data generator replays hundreds of past sign-offs with `at`; refresh_stored_reports
    # renders them instead.
    moment = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
    workflow.submit(filled, by=world.spoc, at=moment)
    workflow.sign_off(filled, by=world.coordinator, at=moment)
    assert render_tasks() == []


# --- a GET of a signed-off report never writes ------------------------------------------------------


@pytest.mark.parametrize("is_stored", [True, False], ids=["stored", "not-yet-stored"])
def test_a_get_of_a_signed_off_report_never_writes(client, world, signed_off, renders_counted, is_stored):
    if is_stored:
        render_and_store(assessment_id=signed_off.pk, version=1)
    rendered_before = renders_counted.count
    sign_in(client, world.chief_officer)
    client.get(reverse("assessments:force_reports", kwargs={"force_code": "cleveland"}))  # settle the session
    with override_settings(TASKS=DATABASE_TASKS), CaptureQueriesContext(connection) as queries:
        response = client.get(pdf_url(signed_off))
    assert response.status_code == 200
    assert writes_in(queries) == []
    assert renders_counted.count == rendered_before
    if is_stored:
        assert response["Content-Type"] == "application/pdf"
    else:
        assert b"Your report is being prepared" in response.content
        assert render_tasks() == []


def test_the_being_prepared_page_refreshes_itself_and_then_gets_the_pdf(
    client, world, signed_off, renders_counted
):
    sign_in(client, world.chief_officer)
    waiting = client.get(pdf_url(signed_off))
    page = waiting.content.decode()
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Your report is being prepared</h1>' in page
    refresh = re.fullmatch(r"5; url=(\S+)", waiting["Refresh"])
    assert refresh is not None and refresh.group(1).startswith(f"{pdf_url(signed_off)}?waiting=")
    assert f'href="{refresh.group(1)}"' in page  # the same check, by hand
    report_page = reverse(
        "assessments:force_report",
        kwargs={"force_code": "cleveland", "round_id": signed_off.round_id, "version": 1},
    )
    assert f'href="{report_page}"' in page
    render_and_store(assessment_id=signed_off.pk, version=1)  # the worker catches up
    ready = client.get(refresh.group(1))
    assert ready["Content-Type"] == "application/pdf"
    assert ready.content == StoredReport.objects.get().pdf.read()


def test_the_being_prepared_page_is_only_for_people_who_may_see_the_report(client, world, signed_off):
    sign_in(client, world.other_coordinator)
    assert client.get(pdf_url(signed_off)).status_code == 404
    sign_in(client, world.chief_officer)
    assert client.get(pdf_url(signed_off, version=9)).status_code == 404


# --- refresh_stored_reports repairs and re-renders ----------------------------------------------------


def test_refresh_stored_reports_renders_what_is_missing_once(signed_off, renders_counted):
    out = io.StringIO()
    call_command("refresh_stored_reports", stdout=out)
    assert "1 reports stored" in out.getvalue()
    assert StoredReport.objects.count() == 1 and renders_counted.count == 1
    call_command("refresh_stored_reports", stdout=io.StringIO())
    assert StoredReport.objects.count() == 1 and renders_counted.count == 1  # idempotent


def test_a_new_report_layout_renders_each_version_again_beside_the_old_file(
    client, world, signed_off, renders_counted, monkeypatch
):
    render_and_store(assessment_id=signed_off.pk, version=1)
    old = StoredReport.objects.get()
    new_layout = rendering.REPORT_TEMPLATE_VERSION + 1
    for module in (rendering, storage, renders):
        monkeypatch.setattr(module, "REPORT_TEMPLATE_VERSION", new_layout)
    sign_in(client, world.chief_officer)
    assert client.get(pdf_url(signed_off)).content == old.pdf.read()  # the old layout until the new one
    call_command("refresh_stored_reports", stdout=io.StringIO())
    new = StoredReport.objects.get(template_version=new_layout)
    assert StoredReport.objects.filter(pk=old.pk).exists() and new.pdf.name != old.pdf.name
    assert client.get(pdf_url(signed_off)).content == new.pdf.read() != old.pdf.read()


def test_refresh_stored_reports_reports_a_failure_and_carries_on(signed_off, monkeypatch):
    def broken(html, **kwargs):
        raise ReportRenderError("boom")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    err = io.StringIO()
    with pytest.raises(Exception, match="1 reports could not be made"):
        call_command("refresh_stored_reports", stdout=io.StringIO(), stderr=err)
    assert "FAILED" in err.getvalue()
    assert StoredReport.objects.count() == 0


# --- a pack zips stored PDFs and renders only drafts -----------------------------------------------------


def _sign_off_the_other_forces(world, open_round):
    """Durham and Gwent filled, submitted and signed off by their regions' coordinators."""
    for force, coordinator in (
        (world.neighbour_force, world.coordinator),
        (world.far_force, world.other_coordinator),
    ):
        spoc = user_with_role(Role.SPOC, force=force, email=f"spoc@{force.code}.example")
        assessment = Assessment.objects.get(force=force, round=open_round)
        fill(assessment, spoc)
        assessment.refresh_from_db()
        workflow.submit(assessment, by=spoc)
        workflow.sign_off(assessment, by=coordinator)


def _national_pack(world, open_round, capture) -> ReportPack:
    with capture(execute=True):
        pack = report_pack_request(by=world.national, round_=open_round)
        # Counted when asked for: the page says "0 of 3", never "?".
        assert (pack.done, pack.total) == (0, 3)
    pack.refresh_from_db()
    assert pack.state == ReportPack.State.READY, pack.error
    return pack


def test_a_pack_of_a_round_whose_every_pdf_is_stored_renders_nothing(
    world, open_round, signed_off, renders_counted, django_capture_on_commit_callbacks
):
    _sign_off_the_other_forces(world, open_round)
    call_command("refresh_stored_reports", stdout=io.StringIO())  # as the worker would have
    assert StoredReport.objects.count() == 3
    rendered_before = renders_counted.count
    pack = _national_pack(world, open_round, django_capture_on_commit_callbacks)
    assert renders_counted.count == rendered_before
    archive = zipfile.ZipFile(pack.file.open("rb"))
    for stored in StoredReport.objects.select_related("assessment__force__region"):
        names = [
            n
            for n in archive.namelist()
            if n.startswith(f"{stored.assessment.force.region.slug}/{stored.assessment.force.code}-")
        ]
        [name] = names
        assert archive.read(name) == stored.pdf.read()


def test_a_pack_with_two_drafts_renders_only_the_two_drafts(
    world, open_round, signed_off, renders_counted, django_capture_on_commit_callbacks
):
    render_and_store(assessment_id=signed_off.pk, version=1)
    rendered_before = renders_counted.count
    pack = _national_pack(world, open_round, django_capture_on_commit_callbacks)
    assert renders_counted.count == rendered_before + 2
    assert sorted(zipfile.ZipFile(pack.file.open("rb")).namelist()) == [
        "north-east/cleveland-2026-27-autumn-review-progress-v1.pdf",
        "north-east/durham-2026-27-autumn-review-progress-v1-draft.pdf",
        "wales/gwent-2026-27-autumn-review-progress-v1-draft.pdf",
    ]
    assert StoredReport.objects.count() == 1


def test_a_pack_stores_a_signed_off_pdf_the_worker_has_not_reached_yet_once(
    world, open_round, signed_off, renders_counted, django_capture_on_commit_callbacks
):
    _national_pack(world, open_round, django_capture_on_commit_callbacks)
    assert StoredReport.objects.count() == 1  # stored for good, not rendered for this pack alone
    rendered = renders_counted.count
    ReportPack.objects.update(state=ReportPack.State.READY)
    _national_pack(world, open_round, django_capture_on_commit_callbacks)
    assert renders_counted.count == rendered + 2  # the second pack renders the two drafts only


# --- draft PDFs: on the request while the host is idle, by the worker while it is busy -------------


def draft_pdf_url(assessment):
    return reverse(
        "assessments:force_report_draft_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id},
    )


@pytest.fixture
def busy_host(monkeypatch):
    monkeypatch.setattr(drafts, "host_is_busy", lambda: True)


def draft_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="assessments.reports.drafts.render_draft_report"))


def test_an_idle_host_renders_a_draft_on_the_request_and_queues_nothing(
    client, world, filled, renders_counted
):
    sign_in(client, world.chief_officer)
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.get(draft_pdf_url(filled))
    assert response["Content-Type"] == "application/pdf" and renders_counted.count == 1
    assert draft_tasks() == []


@override_settings(TASKS=DATABASE_TASKS)
def test_a_busy_host_queues_the_draft_once_and_serves_the_workers_copy(
    client, world, filled, renders_counted, busy_host
):
    sign_in(client, world.chief_officer)
    waiting = client.get(draft_pdf_url(filled))
    page = waiting.content.decode()
    assert "Your report is being prepared" in page and renders_counted.count == 0
    [queued] = draft_tasks()
    refresh = re.fullmatch(r"5; url=(\S+)", waiting["Refresh"])
    assert refresh is not None and "?waiting=" in refresh.group(1)
    assert f'href="{refresh.group(1)}"' in page  # the same check, by hand
    again = client.get(refresh.group(1))
    assert "Your report is being prepared" in again.content.decode()
    assert draft_tasks() == [queued]  # the refresh does not queue it again
    assert queued.args_kwargs["kwargs"]["assessment_id"] == filled.pk
    drafts.store_draft(assessment_id=filled.pk)  # the worker runs it
    assert renders_counted.count == 1
    ready = client.get(refresh.group(1))
    assert ready["Content-Type"] == "application/pdf"
    assert client.get(draft_pdf_url(filled))["Content-Type"] == "application/pdf"  # anyone, any time
    assert renders_counted.count == 1  # served from storage, not rendered again


@override_settings(TASKS=DATABASE_TASKS)
def test_a_changed_answer_is_a_new_draft_not_the_stored_copy(
    client, world, filled, renders_counted, busy_host
):
    drafts.store_draft(assessment_id=filled.pk)
    sign_in(client, world.spoc)
    assert client.get(draft_pdf_url(filled))["Content-Type"] == "application/pdf"
    lg01 = filled.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk,
        values=complete_values("not_started", evidence_summary="Changed after the copy was stored"),
        by=world.spoc,
        expected_revision=lg01.revision,
    )
    response = client.get(draft_pdf_url(filled))
    assert "Your report is being prepared" in response.content.decode()
    assert len(draft_tasks()) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_refresh_stored_reports_can_queue_the_renders_for_the_worker_instead(signed_off, renders_counted):
    out = io.StringIO()
    call_command("refresh_stored_reports", "--queue", stdout=out)
    assert "1 renders queued" in out.getvalue()
    [queued] = render_tasks()
    assert queued.args_kwargs["kwargs"] == {"assessment_id": signed_off.pk, "version": 1}
    assert StoredReport.objects.count() == 0 and renders_counted.count == 0
