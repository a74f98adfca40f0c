"""Test settings: fast hashing, in-memory email, deterministic and quick."""

from __future__ import annotations

from msoic.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Tasks run inline, so a test sees their effect (an email in mail.outbox) at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# No configured base URL, as in development: links use the test client's site. Tests of production links
# set it with override_settings.
SERVICE_BASE_URL = ""
# Draft PDFs render on the request whatever the machine's load, so tests do not depend on it; the busy
# path is tested by replacing assessments.reports.drafts.host_is_busy.
DRAFT_PDF_DIRECT_MAX_LOAD = float("inf")
