"""Read configuration from the environment and fail fast with one clear line when it is wrong."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"


def required(name: str) -> str:
    """Return an environment variable that production cannot run without."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set (see docs/deployment.md).")
    return value


def as_list(name: str, default: str = "") -> list[str]:
    """Split a comma-separated environment variable into a clean list."""
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def as_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no environment variable, refusing anything ambiguous."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"The environment variable {name} must be true or false, not {raw!r}.")


def as_int(name: str, *, default: int) -> int:
    """Read a whole-number environment variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {raw!r}."
        ) from None


def as_networks(name: str, *, default: str) -> list[str]:
    """Read a comma-separated list of IP addresses or networks (10.0.0.5, 10.0.0.0/24, ::1)."""
    networks = as_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list IP addresses or networks like 10.0.0.5 or "
                f"10.0.0.0/24, not {network!r}."
            ) from None
    return networks


def database(url: str) -> dict[str, Any]:
    """Turn a DATABASE_URL into Django's DATABASES entry, with a clear error for bad URLs."""
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Django understands: {error}"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL must start with postgres:// or sqlite://.")
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite connections are cheap and not shareable across threads; do not persist them.
        config["CONN_MAX_AGE"] = 0
        # Two users saving at once: WAL lets readers carry on while one writes; BEGIN IMMEDIATE takes the
        # write lock at the start of every transaction, so a second writer waits (up to the timeout, in
        # seconds) instead of failing with "database is locked" when a read lock cannot be upgraded.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config


def as_choice(name: str, choices: tuple[str, ...], *, default: str) -> str:
    """Read an environment variable that must be one of a few known words (case-insensitive)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = raw.lower()
    if value not in {choice.lower() for choice in choices}:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of {', '.join(choices)}, not {raw!r}."
        )
    return value


def log_level(name: str, *, default: str = "INFO") -> str:
    """Read a logging level name such as INFO or WARNING."""
    return as_choice(name, ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), default=default).upper()


def as_path(name: str, *, default: Path) -> Path:
    """Read a file or directory location; it must be absolute so it cannot depend on the working directory."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    path = Path(raw)
    if not path.is_absolute():
        raise ImproperlyConfigured(f"The environment variable {name} must be an absolute path, not {raw!r}.")
    return path


def as_hosts(name: str) -> list[str]:
    """Read host names for ALLOWED_HOSTS: bare names (or .domain), never URLs."""
    hosts = as_list(name)
    for host in hosts:
        if "://" in host or "/" in host or " " in host:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list host names like msoic.example.police.uk, "
                f"not {host!r}."
            )
    return hosts


def as_origins(name: str) -> list[str]:
    """Read origins for CSRF_TRUSTED_ORIGINS: a scheme and host, with no path."""
    origins = as_list(name)
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in {"https", "http"} or not rest or "/" in rest:
            raise ImproperlyConfigured(
                f"The environment variable {name} must list origins like https://msoic.example.police.uk, "
                f"not {origin!r}."
            )
    return origins


def base_url(name: str) -> str:
    """Read the service's public address (scheme and host, no path), which production cannot run without."""
    value = required(name).rstrip("/")
    scheme, _, rest = value.partition("://")
    if scheme not in {"https", "http"} or not rest or any(mark in rest for mark in "/?# "):
        raise ImproperlyConfigured(
            f"The environment variable {name} must be the address people use, like "
            f"https://msoic.example.police.uk, not {value!r}."
        )
    return value


# Every secret key that has ever been written into this repository. Anyone with a copy of the code knows
# them, so anyone could sign a session or a download link with them: production refuses each of them,
# as its key and as a fallback. tests/ops/test_settings_env.py scans the repository for SECRET_KEY
# literals and fails if one is missing here, so a new published key cannot slip past.
PUBLISHED_SECRET_KEYS: frozenset[str] = frozenset(
    {
        "dev-only-insecure-key-never-use-on-a-server-0123456789abcdefghij",
        "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz",
        # Once the production-settings tests' key (tests/msoic/test_settings.py); they now make a fresh one.
        "x7#kP2$mQ9!vL4@nR8^wT1&zY6*bC3(dF5)gH0-jK2_lM4+pN6=qS8",
    }
)


def _refuse_weak_key(name: str, value: str) -> None:
    """Stop start-up when a key is short, repetitive, Django's placeholder, or published in the repository."""
    if value in PUBLISHED_SECRET_KEYS:
        raise ImproperlyConfigured(
            f"The environment variable {name} holds a key published in the source repository; "
            "make a new random one (see docs/operations.md)."
        )
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a random value of at least 50 characters "
            "(see docs/operations.md for how to make one)."
        )


def secret_key(name: str) -> str:
    """Read a secret key that is long, random and unpublished, so nobody outside can sign with it."""
    value = required(name)
    _refuse_weak_key(name, value)
    return value


def secret_key_fallbacks(name: str) -> list[str]:
    """Read old keys still accepted during a rotation; a published one would let anyone sign, so refuse it."""
    keys = as_list(name)
    for key in keys:
        if key in PUBLISHED_SECRET_KEYS:
            _refuse_weak_key(name, key)
    return keys
