"""Production: secrets and hosts come only from the environment; start-up stops if one is missing."""

from __future__ import annotations

import os

from msoic.settings.base import *  # noqa: F403
from msoic.settings.env import (
    BASE_DIR,
    as_bool,
    as_choice,
    as_hosts,
    as_int,
    as_networks,
    as_origins,
    as_path,
    base_url,
    database,
    log_level,
    required,
    secret_key,
    secret_key_fallbacks,
)

DEBUG = False
SECRET_KEY = secret_key("DJANGO_SECRET_KEY")
# Old keys, newest first, still accepted for sessions and reset links while a new key beds in.
SECRET_KEY_FALLBACKS = secret_key_fallbacks("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = as_hosts("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    required("DJANGO_ALLOWED_HOSTS")
# Every link in every email (reset links included) uses this address, never a request's Host header.
SERVICE_BASE_URL = base_url("DJANGO_SERVICE_BASE_URL")
DATABASES = {"default": database(required("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail a request after a few seconds rather than hang a worker when the database is away.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", as_int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
CSRF_TRUSTED_ORIGINS = as_origins("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = as_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, ingress) append to X-Forwarded-For; sign-in lockouts key on the address
# they saw. 0 means the service is reached directly and REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = as_int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Who those proxies are: X-Forwarded-For from any other peer is ignored. Loopback suits nginx on the host.
# A second factor for every role (SPOCs and chief officers too): an environment setting, so the choice is
# made and audited with the deployment rather than changed from a page.
REQUIRE_SECOND_FACTOR_FOR_ALL = as_bool("DJANGO_REQUIRE_SECOND_FACTOR_FOR_ALL", default=False)
TRUSTED_PROXIES = as_networks("DJANGO_TRUSTED_PROXIES", default="127.0.0.1,::1")
# Load balancers probe the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = as_int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make serve` (a plain-HTTP trial on loopback) turns this off; browsers drop Secure cookies
# sent over plain HTTP, and __Host- cookies must be Secure.
SECURE_COOKIES = as_bool("DJANGO_SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The __Host- prefix pins cookies to this exact host over HTTPS with path "/".
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = as_path("DJANGO_STATIC_ROOT", default=STATIC_ROOT)  # noqa: F405
# Stored files (reports): on several web hosts this must be shared storage, see docs/deployment.md.
MEDIA_ROOT = as_path("DJANGO_MEDIA_ROOT", default=MEDIA_ROOT)  # noqa: F405

EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[as_choice("DJANGO_EMAIL_BACKEND", ("smtp", "file", "console"), default="smtp")]
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = str(as_path("DJANGO_EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = as_int("DJANGO_EMAIL_TIMEOUT", default=30)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = as_int("DJANGO_EMAIL_PORT", default=587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = as_bool("DJANGO_EMAIL_USE_TLS", default=True)

# One JSON object per line on standard output, tagged with the request id (see ops/logging.py).
LOG_LEVEL = log_level("DJANGO_LOG_LEVEL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Security events are kept even when the rest is turned down to WARNING.
        "msoic.security": {"level": "INFO" if LOG_LEVEL != "DEBUG" else "DEBUG"},
        # django-axes narrates every sign-in at INFO; msoic.security records what matters.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools (its font subsetter) narrate every PDF step by step.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
