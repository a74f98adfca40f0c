"""Production configuration: every variable is checked at start-up and a bad one is named in one line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from msoic.settings import dev as dev_settings
from msoic.settings import test as test_settings
from msoic.settings.env import (
    BASE_DIR,
    PUBLISHED_SECRET_KEYS,
    as_choice,
    as_hosts,
    as_networks,
    as_origins,
    as_path,
    base_url,
    log_level,
    secret_key,
    secret_key_fallbacks,
)
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


# A quoted key assigned to SECRET_KEY (settings) or given as DJANGO_SECRET_KEY (env dicts, docs, scripts);
# shell expansions such as "${DJANGO_SECRET_KEY:-...}" are not literals.
SECRET_KEY_LITERAL = re.compile(r"""SECRET_KEY["']?\s*[:=]\s*["'](?![$<{])([^"'\s]{8,})["']""")
SCANNED_SUFFIXES = {".py", ".md", ".sh", ".env", ".toml", ".cfg", ".ini", ".txt", ".yml", ".yaml", ""}


def repository_files() -> list[Path]:
    """The files git tracks in this checkout (falling back to a walk when git is absent)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        return [BASE_DIR / name for name in listed]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "node_modules", "var", "static"}
        return [path for path in BASE_DIR.rglob("*") if not skip & set(path.parts)]


def test_every_secret_key_written_in_the_repository_is_known_as_published():
    found: dict[str, Path] = {}
    for path in repository_files():
        if path.suffix not in SCANNED_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for match in SECRET_KEY_LITERAL.finditer(text):
            found[match.group(1)] = path
    assert found, "the scan should at least find the development and test settings' keys"
    missing = {key: str(path) for key, path in found.items() if key not in PUBLISHED_SECRET_KEYS}
    assert not missing, f"add these published keys to PUBLISHED_SECRET_KEYS: {missing}"


@pytest.mark.parametrize("published", [dev_settings.SECRET_KEY, test_settings.SECRET_KEY])
def test_production_refuses_a_key_published_in_the_repository(monkeypatch, published):
    monkeypatch.setenv("DJANGO_SECRET_KEY", published)
    with pytest.raises(ImproperlyConfigured, match="published in the source repository"):
        secret_key("DJANGO_SECRET_KEY")


def test_production_refuses_a_published_key_as_a_fallback(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY_FALLBACKS", f"{'k' * 10}{'x1y2z3' * 9},{dev_settings.SECRET_KEY}")
    with pytest.raises(ImproperlyConfigured, match="published in the source repository"):
        secret_key_fallbacks("DJANGO_SECRET_KEY_FALLBACKS")


def test_production_stops_at_start_up_with_the_development_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": dev_settings.SECRET_KEY})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY holds a key published in the source repository" in result.stderr


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.5, nginx.internal")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES must list IP addresses"):
        as_networks("DJANGO_TRUSTED_PROXIES", default="127.0.0.1")
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16, ::1")
    assert as_networks("DJANGO_TRUSTED_PROXIES", default="127.0.0.1") == ["10.0.0.5", "10.1.0.0/16", "::1"]
