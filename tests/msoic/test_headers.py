"""Security headers: a strict content security policy, no caching of pages, and the usual hardening."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from msoic.urls import urlpatterns as site_urlpatterns
from tests.msoic.test_settings import PRODUCTION_ENV, run_manage


def download(request):
    response = HttpResponse(b"a,b\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="x.csv"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
def public_page(request):
    response = HttpResponse("hello")
    response["Cache-Control"] = "public, max-age=60"
    return response


urlpatterns = [
    path("test-download/", download),
    path("test-public/", public_page),
    *site_urlpatterns,
]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.strip().split()
        parsed[name] = values
    return parsed


def test_the_policy_allows_nothing_inline_or_from_elsewhere(client, db):
    response = client.get(reverse("login"))
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    for name in ("script-src", "style-src"):
        assert csp[name][0] == "'self'"
        assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{20,}'", csp[name][1]), csp[name]
        assert "'unsafe-inline'" not in csp[name] and "'unsafe-eval'" not in csp[name]


def test_each_response_gets_a_fresh_nonce(client, db):
    first = directives(client.get(reverse("login")))["script-src"][1]
    second = directives(client.get(reverse("login")))["script-src"][1]
    assert first != second


def test_the_usual_hardening_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signed_in_pages_are_never_stored(client, world):
    client.force_login(world.spoc)
    response = client.get("/forces/cleveland/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_pages_are_not_stored_for_anonymous_visitors_either(client, db):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


@override_settings(ROOT_URLCONF=__name__)
def test_downloads_are_never_stored_even_if_a_view_says_public(client, db):
    response = client.get("/test-download/")
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_public_page_stays_cacheable_only_for_anonymous_visitors(client, world):
    assert "no-store" not in client.get("/test-public/")["Cache-Control"]
    client.force_login(world.spoc)
    assert "no-store" in client.get("/test-public/")["Cache-Control"]


def test_static_files_stay_cacheable_and_carry_no_page_policy(client, db):
    response = client.get("/static/js/init.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_refusal_is_a_security_event(client, world, caplog):
    from tests.factories import verified_staff_login

    caplog.set_level(logging.INFO, logger="msoic.security")
    verified_staff_login(client, world.coordinator)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 403
    [event] = [r for r in caplog.records if getattr(r, "event", None) == "access_refused"]
    assert event.user_id == world.coordinator.pk


def test_a_signed_in_force_user_sent_to_the_admin_is_refused_not_looped(client, world):
    client.force_login(world.spoc)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


@pytest.fixture(scope="module")
def production_settings() -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'MIDDLEWARE']}))"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_production_uses_secure_host_prefixed_cookies_and_hsts(production_settings):
    assert production_settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production_settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True


def test_production_middleware_keeps_the_security_layers_in_order(production_settings):
    middleware = production_settings["MIDDLEWARE"]
    assert isinstance(middleware, list)
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    order = [
        "csp.middleware.CSPMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "accounts.middleware.SessionTimeoutMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
        "accounts.middleware.StaffSecondFactorMiddleware",
    ]
    assert [middleware.index(name) for name in order] == sorted(middleware.index(name) for name in order)


def test_production_answers_signed_report_links_straight_after_static_files(production_settings):
    middleware = production_settings["MIDDLEWARE"]
    assert isinstance(middleware, list)
    signed = middleware.index("assessments.reports.downloads.SignedReportDownloadMiddleware")
    assert middleware[signed - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert signed < middleware.index("csp.middleware.CSPMiddleware")
    assert signed < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
