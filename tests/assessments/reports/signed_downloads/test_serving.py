"""Signed, expiring, session-bound links to stored signed-off reports (assessments/reports/downloads.py).

The rules: a page that checked permission links the signed address only once the PDF is stored; the
link serves the stored bytes, checked against their SHA-256, to the session it was issued to and for
its lifetime only, without a query; anything else is a redirect to the permission-checked address or a
plain 404, never a 500.
"""

from __future__ import annotations

import logging
import time
import types

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Membership
from assessments.reports import downloads
from tests.assessments.reports.conftest import sign_in
from tests.assessments.reports.signed_downloads.conftest import (
    FAKE_PDF,
    FILE_NAME,
    body,
    refused_events,
    reports_url,
    signed_link_from_reports_page,
    stable_url,
)


def test_a_signed_link_downloads_the_exact_stored_bytes_with_the_download_headers(
    chief, stored, link, django_assert_num_queries
):
    assert link.startswith(downloads.SIGNED_REPORT_PREFIX) and link.endswith(f"/{FILE_NAME}")
    # One query: the owner's link epoch, so sign-out and a lost membership end links at once (issue 21).
    with django_assert_num_queries(1):
        response = chief.get(link)
    assert response.status_code == 200
    with stored.pdf.open("rb") as handle:
        assert body(response) == handle.read() == FAKE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FILE_NAME}"'
    assert response["Content-Length"] == str(len(FAKE_PDF))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control and "public" not in cache_control
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not response.cookies  # the session is neither read nor touched


def test_the_same_link_serves_again_within_its_lifetime(chief, link):
    assert chief.get(link).status_code == 200
    assert chief.get(link).status_code == 200


def test_a_head_request_is_answered_and_other_methods_are_refused(chief, link):
    assert chief.head(link).status_code == 200
    # Straight to the middleware's answer: the test client strips HEAD bodies itself, WSGI servers need not.
    request = RequestFactory().head(link)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = chief.cookies[settings.SESSION_COOKIE_NAME].value
    head = downloads.signed_report_response(request)
    assert head.status_code == 200 and head.content == b"" and head["Content-Length"] == str(len(FAKE_PDF))
    assert chief.post(link).status_code == 405


def test_each_session_gets_its_own_link(chief, world, signed_off, stored, link):
    other = Client()
    sign_in(other, world.chief_officer)
    assert signed_link_from_reports_page(other, signed_off) != link


# --- not served: another session, no session, another user, expired ---------------------------------


def test_the_link_in_another_session_of_the_same_user_redirects_to_the_stable_address(
    world, signed_off, link, caplog
):
    caplog.set_level(logging.INFO, logger="msoic.security")
    other = Client()
    sign_in(other, world.chief_officer)
    response = other.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    assert "no-store" in response["Cache-Control"]
    [event] = refused_events(caplog)
    assert event.event == "signed_download_other_session"
    assert event.user_id == world.chief_officer.pk


def test_the_link_without_a_session_is_not_served(signed_off, link):
    anonymous = Client()
    response = anonymous.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    # ...where the stable address asks who is there.
    assert anonymous.get(response["Location"]).status_code == 302
    assert body(anonymous.get(link)) != FAKE_PDF


@pytest.mark.parametrize("name", ["spoc", "coordinator", "other_coordinator", "nobody"])
def test_the_link_in_another_users_session_is_not_served(world, signed_off, link, name):
    other = Client()
    sign_in(other, getattr(world, name))
    response = other.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    if name in ("other_coordinator", "nobody"):
        assert other.get(response["Location"]).status_code == 404


def test_a_stolen_session_cookie_value_for_another_session_does_not_help(chief, world, link):
    other = Client()
    sign_in(other, world.chief_officer)
    other.cookies[settings.SESSION_COOKIE_NAME] = "not-the-session-the-link-was-issued-to"
    assert other.get(link).status_code == 302


def test_an_expired_link_redirects_to_the_stable_address(chief, signed_off, link, monkeypatch):
    lifetime = settings.REPORT_LINK_MAX_AGE_SECONDS
    later = time.time() + lifetime + 5
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    response = chief.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    # Following it downloads the same report through the permission check.
    monkeypatch.undo()
    assert body(chief.get(response["Location"])) == FAKE_PDF


def test_a_link_just_inside_its_lifetime_still_serves(chief, link, monkeypatch):
    later = time.time() + settings.REPORT_LINK_MAX_AGE_SECONDS - 5
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    assert chief.get(link).status_code == 200


def test_the_lifetime_is_ten_minutes_by_default():
    assert settings.REPORT_LINK_MAX_AGE_SECONDS == 600


def test_revoking_a_membership_stops_new_links_and_issued_links_at_once(chief, world, signed_off, link):
    """Issue 21 item 12: losing a membership raises the link epoch, so links issued before stop at once."""
    Membership.objects.filter(user=world.chief_officer).delete()
    assert chief.get(reports_url(signed_off)).status_code == 404
    assert chief.get(stable_url(signed_off)).status_code == 404
    refused = chief.get(link)
    assert refused.status_code == 302  # to the stable address, which now says 404
    assert chief.get(refused["Location"]).status_code == 404


def test_signing_out_ends_the_links_even_for_a_copy_of_the_old_cookie(chief, world, link, settings):
    old_cookie = chief.cookies[settings.SESSION_COOKIE_NAME].value
    chief.logout()
    chief.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert chief.get(link).status_code == 302


def test_a_deactivated_account_is_not_served_by_its_links(chief, world, link):
    type(world.chief_officer).objects.filter(pk=world.chief_officer.pk).update(is_active=False)
    assert chief.get(link).status_code == 302


def test_signing_out_and_in_again_ends_the_links_of_the_old_session(chief, world, link):
    chief.logout()
    sign_in(chief, world.chief_officer)
    assert chief.get(link).status_code == 302


# --- tampered or foreign tokens: 404, a security event, never a 500 -----------------------------------


def _parts(link: str) -> tuple[str, str]:
    token, file_name = link.removeprefix(downloads.SIGNED_REPORT_PREFIX).split("/")
    return token, file_name


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token, name: (_flip(token, 3), name), id="payload changed"),
        pytest.param(lambda token, name: (_flip(token, len(token) - 2), name), id="signature changed"),
        pytest.param(lambda token, name: (token[: len(token) // 2], name), id="truncated"),
        pytest.param(lambda token, name: (token, "durham-2026-27-autumn-review-progress-v1.pdf"), id="name"),
        pytest.param(lambda token, name: ("", name), id="empty token"),
        pytest.param(lambda token, name: ("not-a-token", name), id="garbage"),
        pytest.param(lambda token, name: (token + ":x", name), id="extra part"),
        pytest.param(
            lambda token, name: (signing.dumps({"p": "reports/cleveland/x.pdf"}, salt="other.salt"), name),
            id="another salt",
        ),
        pytest.param(
            lambda token, name: (signing.dumps(["well", "signed", "wrong shape"], salt=downloads.SALT), name),
            id="wrong shape",
        ),
    ],
)
def test_a_tampered_or_foreign_token_is_404_and_a_security_event(chief, link, tamper, caplog):
    caplog.set_level(logging.INFO, logger="msoic.security")
    token, name = tamper(*_parts(link))
    response = chief.get(f"{downloads.SIGNED_REPORT_PREFIX}{token}/{name}")
    assert response.status_code == 404
    assert body(response) != FAKE_PDF
    assert "no-store" in response["Cache-Control"]
    assert [event.event for event in refused_events(caplog)] == ["signed_download_tampered"]
    assert all(record.levelname != "ERROR" for record in caplog.records)


@pytest.mark.parametrize(
    "path",
    [
        downloads.SIGNED_REPORT_PREFIX,
        f"{downloads.SIGNED_REPORT_PREFIX}only-a-token",
        f"{downloads.SIGNED_REPORT_PREFIX}a/b/c.pdf",
        f"{downloads.SIGNED_REPORT_PREFIX}%00/x.pdf",
        f"{downloads.SIGNED_REPORT_PREFIX}..%2F..%2Fetc%2Fpasswd/x.pdf",
    ],
)
def test_malformed_addresses_under_the_prefix_are_404(chief, path):
    assert chief.get(path).status_code == 404


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(token=st.text(max_size=300), name=st.text(max_size=80))
def test_no_token_or_name_is_ever_a_server_error(token, name):
    client = Client(raise_request_exception=False)
    response = client.get(downloads.SIGNED_REPORT_PREFIX + token + "/" + name)
    assert response.status_code in (302, 404)


def test_the_token_never_reaches_the_access_log(chief, link, caplog):
    from ops.middleware import loggable_path

    caplog.set_level(logging.INFO, logger="msoic.request")
    response = chief.get(link)
    token, _ = _parts(link)
    assert loggable_path(response.wsgi_request) == f"{downloads.SIGNED_REPORT_PREFIX}[redacted]/{FILE_NAME}"
    bad = chief.get(f"{downloads.SIGNED_REPORT_PREFIX}{_flip(token, 3)}/{FILE_NAME}")
    assert token not in loggable_path(bad.wsgi_request)


# --- the stored file is checked as the storage code checks it -----------------------------------------


def test_a_stored_file_altered_on_disk_is_not_served(chief, signed_off, stored, link, caplog):
    storage = stored.pdf.storage
    storage.delete(stored.pdf.name)
    storage.save(stored.pdf.name, ContentFile(FAKE_PDF.replace(b"signed", b"forged")))
    response = chief.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    assert any("does not match its checksum" in r.getMessage() for r in caplog.records)
    # The stable address then says what it has always said about a damaged report.
    followed = chief.get(response["Location"], follow=True)
    assert b"the PDF could not be made" in followed.content


def test_a_stored_file_gone_from_storage_is_not_served(chief, signed_off, stored, link):
    stored.pdf.storage.delete(stored.pdf.name)
    response = chief.get(link)
    assert response.status_code == 302
    assert response["Location"] == stable_url(signed_off)
    # The stable address says so too, rather than failing with a server error.
    followed = chief.get(response["Location"], follow=True)
    assert b"the PDF could not be made" in followed.content
