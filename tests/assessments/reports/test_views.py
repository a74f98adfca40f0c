"""Report pages and downloads: who may see what (404 otherwise), stored bytes, failures, packs."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from assessments import workflow
from assessments.models import Assessment, ReportPack, StoredReport
from assessments.reports import pdf as pdf_module
from assessments.reports import rendering
from assessments.reports.pdf import ReportRenderError
from assessments.reports.renders import render_and_store
from assessments.services import activity_return_save
from tests.assessments.reports.conftest import sign_in
from tests.assessments.reports.pdfcheck import page_texts
from tests.conftest import complete_values
from tests.factories import user_with_role

FORCE_VIEWERS = ["spoc", "chief_officer", "coordinator", "national", "administrator"]
OUTSIDERS = ["other_coordinator", "nobody"]


def as_user(client, world, name):
    sign_in(client, getattr(world, name))
    return client


def reports_url(world):
    return reverse("assessments:force_reports", kwargs={"force_code": world.home_force.code})


def pdf_url(assessment, version):
    return reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
    )


def draft_url(assessment, *, pdf=False):
    name = "assessments:force_report_draft_pdf" if pdf else "assessments:force_report_draft"
    return reverse(name, kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id})


@pytest.mark.parametrize("name", FORCE_VIEWERS)
def test_force_viewers_see_the_reports_page_and_the_draft(client, world, filled, name):
    as_user(client, world, name)
    page = client.get(reports_url(world))
    assert page.status_code == 200
    assert b"cleveland-2026-27-autumn-review-progress-v1-draft.pdf" in page.content
    view = client.get(draft_url(filled))
    assert view.status_code == 200
    assert b"DRAFT" in view.content and b"LG01" in view.content


@pytest.mark.parametrize("name", OUTSIDERS)
def test_anyone_else_gets_404_for_every_force_report_address(client, world, filled, name):
    as_user(client, world, name)
    for url in (reports_url(world), draft_url(filled), draft_url(filled, pdf=True), pdf_url(filled, 1)):
        assert client.get(url).status_code == 404, url


def test_a_spoc_of_another_force_gets_404(client, world, filled):
    other_spoc = user_with_role(Role.SPOC, force=world.far_force)
    sign_in(client, other_spoc)
    assert client.get(reports_url(world)).status_code == 404
    assert client.get(draft_url(filled)).status_code == 404


def test_a_round_that_does_not_exist_and_a_version_never_signed_off_are_404(client, world, filled):
    as_user(client, world, "spoc")
    missing_round = reverse(
        "assessments:force_report_draft", kwargs={"force_code": "cleveland", "round_id": 999999}
    )
    assert client.get(missing_round).status_code == 404
    assert client.get(pdf_url(filled, 1)).status_code == 404  # a draft, never signed off
    assert client.get(pdf_url(filled, 7)).status_code == 404


def test_a_draft_pdf_downloads_with_its_file_name_and_is_not_stored(client, world, filled):
    as_user(client, world, "chief_officer")
    response = client.get(draft_url(filled, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="cleveland-2026-27-autumn-review-progress-v1-draft.pdf"' in response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF")
    assert StoredReport.objects.count() == 0


def test_a_signed_off_pdf_is_stored_once_and_served_as_the_same_bytes(client, world, signed_off, monkeypatch):
    # The task worker renders it after the sign-off (assessments/reports/renders.py); the GET only reads.
    assert render_and_store(assessment_id=signed_off.pk, version=1)
    as_user(client, world, "chief_officer")
    first = client.get(pdf_url(signed_off, 1))
    assert first.status_code == 200
    assert 'filename="cleveland-2026-27-autumn-review-progress-v1.pdf"' in first["Content-Disposition"]
    texts = page_texts(first.content)
    assert "Casey Coordinator" in texts[0]
    stored = StoredReport.objects.get()
    assert (stored.assessment_id, stored.version, stored.size) == (signed_off.pk, 1, len(first.content))

    def no_render(*args, **kwargs):
        raise AssertionError("a stored report must not be rendered again")

    monkeypatch.setattr(pdf_module, "render_pdf", no_render)
    monkeypatch.setattr(rendering, "render_pdf", no_render)

    # National staff reopen it and the SPOC changes an answer in the new draft.
    reopened = workflow.reopen(signed_off, by=world.national, reason="Fix LG01")
    lg01 = reopened.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk,
        values=complete_values("not_started", evidence_summary="Edited later"),
        by=world.spoc,
        expected_revision=lg01.revision,
    )
    as_user(client, world, "coordinator")
    second = client.get(pdf_url(signed_off, 1))
    assert second.content == first.content
    assert render_and_store(assessment_id=signed_off.pk, version=1)  # idempotent: nothing rendered
    assert StoredReport.objects.count() == 1


def test_a_render_failure_in_the_worker_stores_nothing_and_the_download_says_so(
    client, world, signed_off, monkeypatch
):
    # Was: the GET rendered and showed "could not be made". Now the GET never renders (issue 22), so a
    # failed render leaves the version unstored, the download says it could not be prepared (rather than
    # refreshing for ever), and `refresh_stored_reports` tries again later.
    def broken(*args, **kwargs):
        raise ReportRenderError("boom")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with pytest.raises(ReportRenderError):
        render_and_store(assessment_id=signed_off.pk, version=1)
    assert StoredReport.objects.count() == 0
    as_user(client, world, "spoc")
    response = client.get(pdf_url(signed_off, 1))
    assert response.status_code == 200 and "Refresh" not in response
    assert b"Sorry, we could not prepare your report" in response.content
    assert StoredReport.objects.count() == 0


def test_a_damaged_stored_file_shows_a_message_not_a_500(client, world, signed_off, caplog):
    render_and_store(assessment_id=signed_off.pk, version=1)
    stored = StoredReport.objects.get()
    storage = stored.pdf.storage
    storage.delete(stored.pdf.name)
    storage.save(stored.pdf.name, ContentFile(b"%PDF-1.7 something else"))
    as_user(client, world, "spoc")
    response = client.get(pdf_url(signed_off, 1), follow=True)
    assert response.status_code == 200
    assert b"the PDF could not be made" in response.content
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_the_reports_page_lists_signed_off_versions_and_the_new_draft(client, world, signed_off):
    workflow.reopen(signed_off, by=world.national, reason="Fix LG01")
    as_user(client, world, "spoc")
    page = client.get(reports_url(world)).content.decode()
    assert "cleveland-2026-27-autumn-review-progress-v1.pdf" in page
    assert "cleveland-2026-27-autumn-review-progress-v2-draft.pdf" in page
    assert "Version 1: signed off" in page


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("coordinator", 200),
        ("national", 200),
        ("administrator", 200),
        ("other_coordinator", 404),
        ("spoc", 404),
    ],
)
def test_the_regional_report_is_for_the_regions_coordinator_and_national_staff(
    client, world, open_round, name, status
):
    as_user(client, world, name)
    url = reverse("assessments:regional_report", kwargs={"region_slug": world.home_region.slug})
    assert client.get(url).status_code == status
    if status == 200:
        assert client.get(url + "?round=999999").status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [("national", 200), ("administrator", 200), ("coordinator", 404), ("chief_officer", 404)],
)
def test_the_national_report_is_for_national_staff(client, world, open_round, name, status):
    as_user(client, world, name)
    response = client.get(reverse("assessments:national_report"))
    assert response.status_code == status
    if status == 200:
        assert b"Gwent Police" in response.content


def test_a_regional_pack_is_made_in_the_background_and_downloaded(
    client, world, signed_off, django_capture_on_commit_callbacks
):
    as_user(client, world, "coordinator")
    url = reverse("assessments:regional_report_pack", kwargs={"region_slug": world.home_region.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"round": signed_off.round_id})
    pack = ReportPack.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/report-packs/{pack.pk}/")
    assert (pack.state, pack.done, pack.total, pack.scope) == ("ready", 2, 2, "north-east")
    page = client.get(response["Location"])
    assert b"Ready to download" in page.content
    download = client.get(reverse("assessments:report_pack_download", kwargs={"pack_id": pack.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == [
        "north-east/cleveland-2026-27-autumn-review-progress-v1.pdf",
        "north-east/durham-2026-27-autumn-review-progress-v1-draft.pdf",
    ]
    stored = StoredReport.objects.get()
    with stored.pdf.open("rb") as handle:
        assert archive.read("north-east/cleveland-2026-27-autumn-review-progress-v1.pdf") == handle.read()
    # The other region's coordinator cannot see it.
    as_user(client, world, "other_coordinator")
    assert client.get(response["Location"]).status_code == 404


def test_a_second_request_while_a_pack_runs_does_not_start_another(
    client, world, open_round, django_capture_on_commit_callbacks
):
    running = ReportPack.objects.create(
        requested_by=world.administrator, round=open_round, scope="national", state=ReportPack.State.RUNNING
    )
    as_user(client, world, "national")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("assessments:national_report_pack"), {"round": open_round.pk})
    assert response["Location"].endswith(f"/report-packs/{running.pk}/")
    assert ReportPack.objects.count() == 1 and callbacks == []
    assert b"Making the reports" in client.get(response["Location"]).content


def test_only_national_staff_start_a_national_pack(client, world, open_round):
    as_user(client, world, "coordinator")
    assert (
        client.post(reverse("assessments:national_report_pack"), {"round": open_round.pk}).status_code == 404
    )
    assert ReportPack.objects.count() == 0


def test_a_failed_pack_says_so_and_keeps_no_file(
    client, world, open_round, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ReportRenderError("boom")

    monkeypatch.setattr("assessments.reports.packs.force_report_pdf", broken)
    as_user(client, world, "coordinator")
    url = reverse("assessments:regional_report_pack", kwargs={"region_slug": world.home_region.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"round": open_round.pk})
    pack = ReportPack.objects.get()
    assert pack.state == "failed" and not pack.file
    assert b"could not be made" in client.get(response["Location"]).content
    assert Assessment.objects.count() == 3


def test_the_force_home_and_overviews_link_to_the_reports(client, world, open_round):
    as_user(client, world, "chief_officer")
    home = client.get(reverse("assessments:force_home", kwargs={"force_code": "cleveland"}))
    assert reports_url(world).encode() in home.content
    as_user(client, world, "coordinator")
    region = client.get(reverse("assessments:region_overview", kwargs={"region_slug": "north-east"}))
    assert (
        reverse("assessments:regional_report_pdf", kwargs={"region_slug": "north-east"}).encode()
        in region.content
    )
    as_user(client, world, "national")
    national = client.get(reverse("assessments:national_overview"))
    assert reverse("assessments:national_report_pdf").encode() in national.content


def test_a_pack_abandoned_by_its_worker_does_not_block_a_new_one(
    client, world, open_round, django_capture_on_commit_callbacks, monkeypatch
):
    import datetime

    from django.utils import timezone

    stale = ReportPack.objects.create(
        requested_by=world.national,
        round=open_round,
        scope="national",
        state=ReportPack.State.RUNNING,
        created_at=timezone.now() - datetime.timedelta(hours=3),
    )
    monkeypatch.setattr("assessments.reports.packs.force_report_pdf", lambda report: b"%PDF-1.7 test")
    as_user(client, world, "national")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:national_report_pack"), {"round": open_round.pk})
    stale.refresh_from_db()
    assert stale.state == "failed"
    fresh = ReportPack.objects.exclude(pk=stale.pk).get()
    assert response["Location"].endswith(f"/report-packs/{fresh.pk}/")
    assert (fresh.state, fresh.done, fresh.total) == ("ready", 3, 3)


def test_a_pack_splits_into_one_task_per_force_and_zips_every_report(
    client, world, signed_off, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments.reports import packs as tasks

    queued: list[int] = []
    part = tasks.report_pack_part

    def counting(*, pack_id, assessment_id):
        queued.append(assessment_id)
        part(pack_id=pack_id, assessment_id=assessment_id)

    monkeypatch.setattr(tasks, "report_pack_part", counting)  # what each per-force task runs
    as_user(client, world, "coordinator")
    url = reverse("assessments:regional_report_pack", kwargs={"region_slug": world.home_region.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"round": signed_off.round_id})
    pack = ReportPack.objects.get()
    region_assessments = Assessment.objects.filter(
        round=signed_off.round, force__region=world.home_region
    ).values_list("pk", flat=True)
    assert sorted(queued) == sorted(region_assessments) and len(queued) == 2
    assert (pack.state, pack.done, pack.total) == ("ready", 2, 2)
    archive = zipfile.ZipFile(pack.file.open("rb"))
    names = archive.namelist()
    assert len(names) == 2 and all(archive.read(name).startswith(b"%PDF") for name in names)
    # The per-force parts are removed once the zip is made.
    from django.core.files.storage import default_storage

    assert default_storage.listdir(f"report-packs/parts/{pack.pk}")[1] == []


def test_the_reports_page_gives_the_sign_off_date_in_uk_time(client, world, signed_off):
    """A sign-off at 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the page says 1 July."""
    late_evening_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    signed_off.snapshots.update(created_at=late_evening_utc)
    as_user(client, world, "spoc")
    page = client.get(reports_url(world)).content.decode()
    assert "Version 1: signed off 1 July 2026" in page
    assert "30 June 2026" not in page
