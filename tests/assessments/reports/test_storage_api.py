"""Stored PDFs and packs use only Django's storage API, so several web hosts can share one storage backend.

On one host the files live in FileSystemStorage under MEDIA_ROOT; on several they must live in shared
storage (an S3-compatible bucket through django-storages' S3Storage, docs/performance.md). That works
only if no code reaches for a local path. Each path that writes or reads a stored file (the worker's
render, the stable download address, the signed link middleware, the national pack and its download,
refresh_stored_reports) runs here against two other storage classes configured by STORAGES alone:

- FileSystemStorage in a temporary folder (not MEDIA_ROOT), and
- RemoteLikeStorage: in memory, with no local paths at all (path() fails the test), as a bucket has none.

Spreadsheet upload previews are not files: they live in the database session between upload and
confirmation (assessments/spreadsheets/views.py), so they are shared already.
"""

from __future__ import annotations

import html
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from assessments.models import ReportPack, StoredReport
from assessments.reports import rendering
from assessments.reports.packs import report_pack_request
from assessments.reports.renders import render_and_store
from tests.assessments.reports.conftest import sign_in

FAKE_PDF = b"%PDF-1.7\n% storage API test\n" + bytes(range(256)) * 8
APP_CODE = [Path("assessments"), Path("accounts"), Path("ops"), Path("spreadsheet_safety")]


class RemoteLikeStorage(InMemoryStorage):
    """Storage with no local file system, like a bucket: code asking it for a path fails the test.

    InMemoryStorage uses path() internally to key its files; only calls from outside Django's storage
    package are refused.
    """

    def path(self, name: str) -> str:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if not caller.startswith("django.core.files.storage"):
            raise AssertionError(
                f"{caller} asked shared storage for a local path ({name}); use the storage API."
            )
        return super().path(name)


def storages_setting(backend: str, **options: object) -> dict[str, object]:
    return {
        "default": {"BACKEND": backend, "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(params=["filesystem-elsewhere", "remote-like"])
def second_storage(request, tmp_path):
    if request.param == "filesystem-elsewhere":
        config = storages_setting(
            "django.core.files.storage.FileSystemStorage", location=str(tmp_path / "shared"), base_url="/x/"
        )
    else:
        config = storages_setting(f"{__name__}.RemoteLikeStorage")
    with override_settings(STORAGES=config):
        yield storages["default"]


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    monkeypatch.setattr(rendering, "render_pdf", lambda html, **kwargs: FAKE_PDF)


def test_store_serve_refresh_and_pack_go_through_the_configured_storage(
    client, world, signed_off, second_storage, django_capture_on_commit_callbacks
):
    assert type(second_storage).__name__ in {"RemoteLikeStorage", "FileSystemStorage"}
    # Store: the worker's render.
    assert render_and_store(assessment_id=signed_off.pk, version=1)
    stored = StoredReport.objects.get()
    assert second_storage.exists(stored.pdf.name)
    with second_storage.open(stored.pdf.name, "rb") as handle:
        assert handle.read() == FAKE_PDF
    # Serve: the stable address, then the signed link from the Reports page (the middleware).
    sign_in(client, world.chief_officer)
    stable = reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": "cleveland", "round_id": signed_off.round_id, "version": 1},
    )
    assert client.get(stable).content == FAKE_PDF
    page = client.get(reverse("assessments:force_reports", kwargs={"force_code": "cleveland"}))
    [link] = re.findall(r'href="(/reports/files/[^"]+)"', page.content.decode())
    served = client.get(html.unescape(link))
    assert (b"".join(served.streaming_content) if served.streaming else served.content) == FAKE_PDF
    # Refresh: nothing to do, and it says so without touching the file.
    out = io.StringIO()
    call_command("refresh_stored_reports", stdout=out)
    assert "0 reports stored" in out.getvalue()
    # Pack: zips the stored file and two drafts, stores the zip, serves it, cleans up its parts.
    with django_capture_on_commit_callbacks(execute=True):
        pack = report_pack_request(by=world.national, round_=signed_off.round)
    pack.refresh_from_db()
    assert pack.state == ReportPack.State.READY, pack.error
    assert second_storage.exists(pack.file.name)
    sign_in(client, world.national)
    download = client.get(reverse("assessments:report_pack_download", kwargs={"pack_id": pack.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.read("north-east/cleveland-2026-27-autumn-review-progress-v1.pdf") == FAKE_PDF
    assert len(archive.namelist()) == 3
    assert second_storage.listdir(f"report-packs/parts/{pack.pk}")[1] == []


# Ways to reach a stored file without the storage API: a FieldFile's or storage's local path, the
# media folder itself, or opening a file by name outside a storage.
PATH_USE = re.compile(
    r"(storage\w*|\.pdf|\.file|fieldfile|stored\w*)\s*(\(\))?\s*\.path\b|MEDIA_ROOT|settings\.MEDIA_URL",
    re.IGNORECASE,
)


def test_no_app_code_reaches_stored_files_by_local_path():
    offenders = []
    for folder in APP_CODE:
        for source in sorted(folder.rglob("*.py")):
            if "migrations" in source.parts:
                continue
            for number, line in enumerate(source.read_text().splitlines(), 1):
                if PATH_USE.search(line):
                    offenders.append(f"{source}:{number}: {line.strip()}")
    assert offenders == []
