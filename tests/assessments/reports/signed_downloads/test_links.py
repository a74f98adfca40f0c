"""Which pages give a signed link, to whom, and how the middleware is wired in front of everything else."""

from __future__ import annotations

import types

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from assessments.models import StoredReport
from assessments.reports import downloads
from tests.assessments.reports.conftest import sign_in
from tests.assessments.reports.signed_downloads.conftest import (
    FAKE_PDF,
    FILE_NAME,
    body,
    report_url,
    reports_url,
    signed_link_from_reports_page,
    signed_links,
    stable_url,
)
from tests.factories import verified_staff_login

# --- pages link the signed address only when the PDF is stored ----------------------------------------


def test_pages_link_the_stable_address_until_the_pdf_is_stored(chief, world, signed_off):
    stable = stable_url(signed_off)
    page = chief.get(reports_url(signed_off))
    assert f'href="{stable}"' in page.content.decode() and not signed_links(page)
    view = chief.get(report_url(signed_off))
    assert f'href="{stable}"' in view.content.decode() and not signed_links(view)
    assert StoredReport.objects.count() == 0  # showing a page never renders a PDF


def test_pages_link_the_signed_address_once_the_pdf_is_stored(chief, world, signed_off, stored):
    stable = stable_url(signed_off)
    for url in (reports_url(signed_off), report_url(signed_off)):
        page = chief.get(url)
        [link] = signed_links(page)
        assert f'href="{stable}"' not in page.content.decode()
        assert body(chief.get(link)) == FAKE_PDF


@pytest.mark.parametrize("name", ["spoc", "chief_officer", "coordinator", "national", "administrator"])
def test_everyone_who_may_see_the_report_gets_a_link_that_serves_them(world, signed_off, stored, name):
    viewer = Client()
    sign_in(viewer, getattr(world, name))
    link = signed_link_from_reports_page(viewer, signed_off)
    assert body(viewer.get(link)) == FAKE_PDF


@pytest.mark.parametrize("name", ["other_coordinator", "nobody"])
def test_nobody_else_is_given_a_link(world, signed_off, stored, name):
    outsider = Client()
    sign_in(outsider, getattr(world, name))
    for url in (reports_url(signed_off), report_url(signed_off)):
        assert outsider.get(url).status_code == 404


def test_the_reports_page_keeps_drafts_on_their_own_address(chief, world, signed_off, stored):
    from assessments import workflow

    workflow.reopen(signed_off, by=world.national, reason="Fix LG01")
    page = chief.get(reports_url(signed_off))
    content = page.content.decode()
    assert len(signed_links(page)) == 1
    draft = reverse("assessments:force_report_draft_pdf", args=["cleveland", signed_off.round_id])
    assert f'href="{draft}"' in content


def test_the_review_page_links_the_signed_address_once_the_pdf_is_stored(world, signed_off, stored):
    coordinator = Client()
    verified_staff_login(coordinator, world.coordinator)
    review = reverse("admin:assessments_assessment_review", args=[signed_off.pk])
    page = coordinator.get(review)
    [link] = signed_links(page)
    assert body(coordinator.get(link)) == FAKE_PDF


def test_the_stable_address_still_serves_bookmarks(chief, signed_off, stored):
    response = chief.get(stable_url(signed_off))
    assert response.status_code == 200 and body(response) == FAKE_PDF


# --- wiring -------------------------------------------------------------------------------------------


def test_the_middleware_sits_straight_after_whitenoise_and_before_sessions():
    middleware = settings.MIDDLEWARE
    position = middleware.index("assessments.reports.downloads.SignedReportDownloadMiddleware")
    assert middleware[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    for later in (
        "csp.middleware.CSPMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert middleware.index(later) > position


def test_the_named_address_is_the_one_the_middleware_answers():
    url = reverse("assessments:signed_report_file", kwargs={"token": "abc:def", "file_name": FILE_NAME})
    assert url == f"{downloads.SIGNED_REPORT_PREFIX}abc:def/{FILE_NAME}"


def test_other_addresses_pass_straight_through():
    passed = HttpResponse("passed")
    seen = []

    def inner(request):
        seen.append(request.path)
        return passed

    middleware = downloads.SignedReportDownloadMiddleware(inner)
    request = types.SimpleNamespace(path_info="/forces/cleveland/reports/", path="/forces/cleveland/reports/")
    assert middleware(request) is passed and seen == ["/forces/cleveland/reports/"]
