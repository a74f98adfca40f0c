"""PDFs read back with pypdf: content, marking and page numbers on every page, tags, title, fonts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from assessments.models import AssessmentSnapshot
from assessments.reports import pdf as pdf_module
from assessments.reports.data import force_report_data, national_report_data, regional_report_data
from assessments.reports.rendering import force_report_pdf, national_report_pdf, regional_report_pdf
from tests.assessments.reports.pdfcheck import font_names, page_texts, read, structure

TODAY = datetime.date(2026, 11, 1)


def assert_marked_and_numbered(texts):
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking in header and footer"
        assert f"Page {number} of {total}" in text


@pytest.fixture
def draft_pdf(filled):
    report = force_report_data(assessment=filled, today=TODAY)
    return report, force_report_pdf(report)


def test_a_draft_report_has_every_activity_the_marking_and_draft_on_every_page(draft_pdf):
    report, pdf = draft_pdf
    texts = page_texts(pdf)
    assert len(texts) > 5
    assert_marked_and_numbered(texts)
    for number, text in enumerate(texts, start=1):
        assert "DRAFT" in text, f"page {number} is not marked DRAFT"
    everything = "\n".join(texts)
    assert "Cleveland Police" in everything
    for code in report.activity_codes:
        assert re.search(rf"\b{code}\b", everything), code
    assert "Page 1 of" in texts[0]


def test_a_signed_off_report_names_the_signer_and_is_not_a_draft(signed_off):
    snapshot = AssessmentSnapshot.objects.get(assessment=signed_off)
    pdf = force_report_pdf(force_report_data(assessment=signed_off, snapshot=snapshot))
    texts = page_texts(pdf)
    assert_marked_and_numbered(texts)
    assert "Casey Coordinator" in texts[0]
    assert "Signed off" in texts[0]
    assert not any("DRAFT" in text for text in texts)


def test_the_pdf_is_tagged_titled_in_english_with_alternative_text_for_the_chart(draft_pdf):
    report, pdf = draft_pdf
    reader = read(pdf)
    catalog: Any = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog
    assert reader.metadata.title == report.title
    elements = structure(pdf)
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    assert figures and "implemented or embedded" in figures[0]
    assert "All activities" in figures[0]
    kinds = {kind for kind, _alt in elements}
    assert {"/Table", "/TH", "/TD", "/H1", "/H2"} <= kinds


def test_every_font_is_liberation_sans(draft_pdf):
    _report, pdf = draft_pdf
    names = font_names(pdf)
    assert names
    assert all("Liberation-Sans" in name for name in names), names


def test_a_fallback_font_is_refused(filled, monkeypatch):
    monkeypatch.setattr(pdf_module, "REPORT_FONT_FAMILY", "Some Other Font")
    with pytest.raises(pdf_module.ReportFontMissing):
        pdf_module.render_pdf("<html lang='en-GB'><title>t</title><p>Hello</p></html>", title="t")


def test_regional_and_national_reports_render(world, filled, open_round):
    regional = regional_report_pdf(
        regional_report_data(region=world.home_region, round_=open_round, today=TODAY)
    )
    texts = page_texts(regional)
    assert_marked_and_numbered(texts)
    assert "Cleveland Police" in "".join(texts) and "Durham Constabulary" in "".join(texts)
    assert "Gwent Police" not in "".join(texts)
    national = national_report_pdf(national_report_data(round_=open_round, today=TODAY))
    texts = page_texts(national)
    assert_marked_and_numbered(texts)
    assert "Gwent Police" in "".join(texts)
