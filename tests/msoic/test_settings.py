"""Production settings refuse to start without their environment and pass Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from msoic.settings.env import BASE_DIR

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "msoic.settings.production",
    # A fresh key each run: any key written here would be published, and production refuses those.
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "msoic.example.police.uk",
    "DJANGO_SERVICE_BASE_URL": "https://msoic.example.police.uk",
    "DATABASE_URL": "postgres://msoic@db.internal:5432/msoic",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_warnings_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SERVICE_BASE_URL", "DATABASE_URL"]
)
def test_production_refuses_to_start_without_each_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr
    assert "Traceback" not in result.stderr.split("ImproperlyConfigured")[-1]


def test_a_malformed_database_url_is_named():
    result = run_manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "mysqlx://nope"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
