"""Settings shared by every environment. Secrets never live here."""

from __future__ import annotations

import os

from msoic.settings.env import BASE_DIR, DEFAULT_SQLITE_URL, as_list, database, log_level

SERVICE_NAME = "Modern slavery action plan self-assessment"

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # First-party apps first so their templates and management commands win.
    "accounts",
    "actionplan",
    "assessments",
    "accounts.apps.ServiceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ops",
]

MIDDLEWARE = [
    # Outermost, so every response (redirects and static files too) carries a request id and is logged.
    "ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "msoic.urls"
WSGI_APPLICATION = "msoic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (email now, PDF packs later) queues in the database; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_ROOT = BASE_DIR / "var" / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Modern slavery self-assessment <no-reply@msoic.invalid>"
)
ADMINS: list[tuple[str, str]] = []
CSRF_TRUSTED_ORIGINS = as_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": log_level("DJANGO_LOG_LEVEL")},
    # runserver already prints each request; production (JSON) logs them through msoic.request.
    "loggers": {"msoic.request": {"level": "WARNING"}},
}
SERVICE_BASE_URL = os.environ.get("DJANGO_SERVICE_BASE_URL", "http://127.0.0.1:8000")

# Spreadsheet import and export (assessments/spreadsheets, actionplan/resources.py).
INSTALLED_APPS += ["import_export"]
# Every admin import runs in one transaction: all rows or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Our own escaping (assessments/spreadsheets/safety.py) runs on every export; the library's strips "=" only.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
