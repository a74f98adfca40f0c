"""Shared set-up for the signed download link tests: a chief officer, the stored PDF and its link.

The PDF renderer is replaced by fixed bytes (autouse, for these tests only); rendering is tested in
tests/assessments/reports/test_pdf.py.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from assessments.models import StoredReport
from assessments.reports import rendering
from assessments.reports.renders import render_and_store
from tests.assessments.reports.conftest import sign_in

# Unique bytes, so "the exact stored bytes" means something; rendering is tested in test_pdf.py.
FAKE_PDF = b"%PDF-1.7\n% signed download test\n" + bytes(range(256)) * 40
FILE_NAME = "cleveland-2026-27-autumn-review-progress-v1.pdf"
LINK = re.compile(r'href="(/reports/files/[^"]+)"')


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    monkeypatch.setattr(rendering, "render_pdf", lambda html, **kwargs: FAKE_PDF)


def stable_url(assessment, version=1):
    return reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
    )


def reports_url(assessment):
    return reverse("assessments:force_reports", kwargs={"force_code": assessment.force.code})


def report_url(assessment, version=1):
    return reverse(
        "assessments:force_report",
        kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
    )


def signed_links(response) -> list[str]:
    return [html.unescape(link) for link in LINK.findall(response.content.decode())]


def signed_link_from_reports_page(client, assessment) -> str:
    response = client.get(reports_url(assessment))
    assert response.status_code == 200
    [link] = signed_links(response)
    return link


@pytest.fixture
def chief(client, world):
    sign_in(client, world.chief_officer)
    return client


@pytest.fixture
def stored(chief, signed_off):
    """The signed-off version's PDF, stored as the task worker stores it after the sign-off."""
    assert render_and_store(assessment_id=signed_off.pk, version=signed_off.version)
    return StoredReport.objects.get()


@pytest.fixture
def link(chief, signed_off, stored):
    return signed_link_from_reports_page(chief, signed_off)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def refused_events(caplog):
    return [r for r in caplog.records if str(getattr(r, "event", "") or "").startswith("signed_download")]


# --- the link serves the stored bytes, to its session, without touching the database -----------------
