"""Production configuration: every variable is checked at start-up and a bad one is named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from msoic.settings.env import as_choice, as_hosts, as_origins, as_path, base_url, log_level, secret_key
from tests.msoic.test_settings import PRODUCTION_ENV, run_manage


def test_log_level_is_checked(monkeypatch):
    monkeypatch.setenv("DJANGO_LOG_LEVEL", "warning")
    assert log_level("DJANGO_LOG_LEVEL") == "WARNING"
    monkeypatch.setenv("DJANGO_LOG_LEVEL", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_LEVEL must be one of"):
        log_level("DJANGO_LOG_LEVEL")


def test_choice_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("DJANGO_EMAIL_BACKEND", raising=False)
    assert as_choice("DJANGO_EMAIL_BACKEND", ("smtp", "file"), default="smtp") == "smtp"


@pytest.mark.parametrize("value", ["https://msoic.example.police.uk", "msoic.example.police.uk/x", "a b"])
def test_allowed_hosts_must_be_host_names(monkeypatch, value):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", f"ok.example,{value}")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS must list host names"):
        as_hosts("DJANGO_ALLOWED_HOSTS")


def test_allowed_hosts_accept_names_and_domains(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "msoic.example.police.uk, .internal ,10.0.0.5")
    assert as_hosts("DJANGO_ALLOWED_HOSTS") == ["msoic.example.police.uk", ".internal", "10.0.0.5"]


@pytest.mark.parametrize("value", ["msoic.example.police.uk", "https://msoic.example.police.uk/", "ftp://x"])
def test_csrf_trusted_origins_must_be_origins(monkeypatch, value):
    monkeypatch.setenv("DJANGO_CSRF_TRUSTED_ORIGINS", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CSRF_TRUSTED_ORIGINS must list origins"):
        as_origins("DJANGO_CSRF_TRUSTED_ORIGINS")


def test_paths_must_be_absolute(monkeypatch):
    monkeypatch.setenv("DJANGO_STATIC_ROOT", "var/static")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_STATIC_ROOT must be an absolute path"):
        as_path("DJANGO_STATIC_ROOT", default=Path("/srv"))
    monkeypatch.setenv("DJANGO_STATIC_ROOT", "/srv/msoic/static")
    assert as_path("DJANGO_STATIC_ROOT", default=Path("/srv")) == Path("/srv/msoic/static")


@pytest.mark.parametrize("value", ["short", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_weak_secret_keys_are_refused(monkeypatch, value):
    monkeypatch.setenv("DJANGO_SECRET_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be a random value"):
        secret_key("DJANGO_SECRET_KEY")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_EMAIL_BACKEND", "sendmail"),
        ("DJANGO_LOG_LEVEL", "chatty"),
        ("DJANGO_SECURE_COOKIES", "maybe"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "msoic.example.police.uk"),
    ],
)
def test_production_stops_with_one_line_naming_a_bad_variable(name, value):
    result = run_manage("check", env={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: The environment variable " + name
    )


def test_the_plain_http_trial_switch_drops_secure_cookies_and_their_prefix():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE)",
        env={**PRODUCTION_ENV, "DJANGO_SECURE_COOKIES": "false"},
    )
    assert result.stdout.split() == ["sessionid", "False"], result.stderr


@pytest.mark.parametrize(
    "value", ["msoic.example.police.uk", "ftp://msoic.example.police.uk", "https://x.example/app", "https://"]
)
def test_the_service_base_url_must_be_a_scheme_and_host(monkeypatch, value):
    monkeypatch.setenv("DJANGO_SERVICE_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SERVICE_BASE_URL must be the address people use"):
        base_url("DJANGO_SERVICE_BASE_URL")


def test_the_service_base_url_loses_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("DJANGO_SERVICE_BASE_URL", "https://msoic.example.police.uk/")
    assert base_url("DJANGO_SERVICE_BASE_URL") == "https://msoic.example.police.uk"
