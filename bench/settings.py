"""Settings for the page benchmarks: development settings plus a trivial baseline page, debug off.

DEBUG is off so templates, static files and queries behave as they do in production (no query log, no
debug toolbar-style overhead); the database comes from DATABASE_URL, set by bench/pages.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from msoic.settings.dev import *  # noqa: F403
from msoic.settings.dev import BASE_DIR, MEDIA_ROOT, TEMPLATES  # noqa: F811 - named for the checker

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [BASE_DIR / "templates", BASE_DIR / "bench" / "templates"]}]
# bench/reports.py --pack-workers runs db_worker processes that must share its throwaway media folder.
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", MEDIA_ROOT))
