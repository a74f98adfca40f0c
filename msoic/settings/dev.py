"""Local development: debug on, console email, a throwaway secret, SQLite under var/ by default."""

from __future__ import annotations

from msoic.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-use-on-a-server-0123456789abcdefghij"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
