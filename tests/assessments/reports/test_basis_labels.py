"""Every force's figure says what it rests on (issue 15), on the overviews and in the three PDFs.

Cleveland signed off the autumn round; a new round then carried its answers forward, unconfirmed, so
its figures there are a self-declared draft. Durham's assessment in the new round is signed off. Both
pages and PDFs must label the two differently, naming the round.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.reports.data import force_report_data, national_report_data, regional_report_data
from assessments.reports.rendering import force_report_pdf, national_report_pdf, regional_report_pdf
from assessments.services import round_open
from tests.assessments.reports.pdfcheck import page_texts
from tests.conftest import sign_off_for_test
from tests.factories import verified_staff_login

ROUND = "Spring 27"


@pytest.fixture
def spring(world, signed_off, action_plan):
    """The new round: Cleveland a draft carried forward, Durham signed off, Gwent a plain draft."""
    new_round = round_open(
        name=ROUND,
        plan=action_plan,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 1),
        opened_by=world.national,
    ).round
    cleveland = Assessment.objects.get(force=world.home_force, round=new_round)
    assert cleveland.returns.filter(carried_forward=True, confirmed=False).exists()
    sign_off_for_test(Assessment.objects.get(force=world.neighbour_force, round=new_round), world.coordinator)
    return new_round


def row_of(page, force_name):
    start = page.index(force_name)
    return page[start : page.index("</tr>", start)]


def squeezed(texts):
    """PDF text without any whitespace, so a label wrapped across lines still reads as one string."""
    return re.sub(r"\s+", "", "".join(texts))


@pytest.mark.parametrize("page", ["region", "national"])
def test_the_overviews_label_each_forces_figures_with_basis_and_round(client, world, spring, page):
    verified_staff_login(client, world.national)
    url = (
        reverse("assessments:region_overview", kwargs={"region_slug": "north-east"})
        if page == "region"
        else reverse("assessments:national_overview")
    )
    html = client.get(url, {"round": spring.pk}).content.decode()
    assert f"Figures: self-declared draft, {ROUND}" in row_of(html, "Cleveland Police</a>")
    assert f"Figures: signed off, {ROUND}" in row_of(html, "Durham Constabulary</a>")
    # By default the heat map's rows show each force's latest signed-off position and its round.
    assert "Signed off, 2026-27 autumn review" in row_of(html, 'app-heat-force">Cleveland Police')
    assert f"Signed off, {ROUND}" in row_of(html, 'app-heat-force">Durham Constabulary')
    # The live draft position, asked for, carries each row's basis too.
    live = client.get(url, {"round": spring.pk, "figures": "live"}).content.decode()
    assert "Self-declared draft" in row_of(live, 'app-heat-force">Cleveland Police')
    assert "Signed off" in row_of(live, 'app-heat-force">Durham Constabulary')


def test_the_three_pdfs_label_each_forces_figures(world, spring):
    today = datetime.date(2027, 1, 15)
    cleveland = Assessment.objects.get(force=world.home_force, round=spring)
    force_text = squeezed(page_texts(force_report_pdf(force_report_data(assessment=cleveland, today=today))))
    assert f"FiguresSelf-declareddraft,{ROUND}".replace(" ", "") in force_text

    regional = squeezed(
        page_texts(
            regional_report_pdf(regional_report_data(region=world.home_region, round_=spring, today=today))
        )
    )
    national = squeezed(page_texts(national_report_pdf(national_report_data(round_=spring, today=today))))
    for text in (regional, national):
        assert f"Figures:self-declareddraft,{ROUND}".replace(" ", "") in text
        assert f"Figures:signedoff,{ROUND}".replace(" ", "") in text


def test_the_signed_off_position_is_the_default_and_the_live_position_an_alternative(client, world, spring):
    verified_staff_login(client, world.coordinator)
    url = reverse("assessments:region_overview", kwargs={"region_slug": "north-east"})
    signed = client.get(url, {"round": spring.pk}).content.decode()
    assert "Showing each force's latest signed-off position" in signed
    # Cleveland's heat-map row comes from the autumn round it signed off, and says so; Durham's from
    # this round. The status table still describes this round's own assessments.
    assert "Signed off, 2026-27 autumn review" in row_of(signed, 'app-heat-force">Cleveland Police')
    assert f"Signed off, {ROUND}" in row_of(signed, 'app-heat-force">Durham Constabulary')
    assert f"Figures: self-declared draft, {ROUND}" in row_of(signed, "Cleveland Police</a>")
    asked = client.get(url, {"round": spring.pk, "figures": "signed_off"}).content.decode()
    assert row_of(asked, 'app-heat-force">Cleveland Police') == row_of(
        signed, 'app-heat-force">Cleveland Police'
    )
    live = client.get(url, {"round": spring.pk, "figures": "live"}).content.decode()
    assert "Showing the live draft position in Spring 27" in live
    # An unknown choice falls back to the default rather than failing.
    assert "Showing each force's latest signed-off position" in (
        client.get(url, {"round": spring.pk, "figures": "x"}).content.decode()
    )


def test_every_pdf_page_footer_names_the_round_and_when_the_data_is_from(world, spring):
    today = datetime.date(2027, 1, 15)
    cleveland = Assessment.objects.get(force=world.home_force, round=spring)
    texts = page_texts(force_report_pdf(force_report_data(assessment=cleveland, today=today)))
    for number, text in enumerate(texts, start=1):
        flat = re.sub(r"\s+", "", text)
        assert "Spring27,dataasat15January2027(UK),version1" in flat, number
    texts = page_texts(national_report_pdf(national_report_data(round_=spring, today=today)))
    for number, text in enumerate(texts, start=1):
        assert "Spring27,dataasat15January2027(UK)" in re.sub(r"\s+", "", text), number


def test_the_force_report_names_who_submitted_and_their_declaration(world, signed_off):
    from assessments.models import AssessmentSnapshot
    from assessments.rules import SUBMISSION_DECLARATION

    snapshot = AssessmentSnapshot.objects.get(assessment=signed_off)
    report = force_report_data(assessment=signed_off, snapshot=snapshot)
    assert report.submitted_by == "Sam Spoc" and report.submitted_at is not None
    text = squeezed(page_texts(force_report_pdf(report)))
    assert "SubmittedbySamSpoc" in text
    assert re.sub(r"\s+", "", SUBMISSION_DECLARATION) in text.replace("’", "'")
    draft = force_report_data(
        assessment=Assessment.objects.get(force=world.neighbour_force, round=signed_off.round)
    )
    assert draft.submitted_by == "" and draft.declaration == ""
