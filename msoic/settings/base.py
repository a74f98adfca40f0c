"""Settings shared by every environment. Secrets never live here."""

from __future__ import annotations

import datetime
import os

from csp.constants import NONCE, NONE, SELF

# A setting in its own right, not only a helper: apps find the fixtures through settings.BASE_DIR.
from msoic.settings.env import BASE_DIR as BASE_DIR
from msoic.settings.env import DEFAULT_SQLITE_URL, as_list, database, log_level

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
    # Static files are answered here, before the layers below: no session, no CSP, cacheable.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Signed links to stored signed-off reports, answered almost like static files: the page that issued
    # the link checked permission; this checks signature, age and session (assessments/reports/downloads.py).
    "assessments.reports.downloads.SignedReportDownloadMiddleware",
    "csp.middleware.CSPMiddleware",
    # Cache-Control: no-store on every page Django makes, and a security event for every 403.
    "accounts.middleware.ResponseSecurityMiddleware",
    # NUL in a querystring is a 400 and an id too large for the database a 404, never a server error.
    "ops.bad_input.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits, before anything acts on the signed-in user.
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Coordinators, national staff and administrators must pass a second factor before anything else.
    "accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "assessments.context_processors.navigation",
            ],
        },
    },
]

# Form widgets render through TEMPLATES too, so templates/ can correct a widget's markup (Django's
# read-only password summary put `disabled` on a <div>, which HTML does not allow); "django.forms" in
# INSTALLED_APPS keeps Django's own widget templates within reach.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
INSTALLED_APPS += ["django.forms"]

DATABASES = {"default": database(os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (emails, report packs and their parts) queues in the database; `manage.py db_worker`
# runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out username and address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
# The admin shows dates through Django's locale formats: msoic/formats/en_GB sets them to the
# service's one date style (assessments/dates.py), "17 Mar 2026" and "17 Mar 2026 14:05".
FORMAT_MODULE_PATH = ["msoic.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_ROOT = BASE_DIR / "var" / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# How long a signed download link to a stored report works, in its own session only (seconds).
REPORT_LINK_MAX_AGE_SECONDS = 10 * 60
# A draft PDF renders on the request only while the host's 1-minute load average per core is below
# this; above it, the task worker renders it and the page says "being prepared" (assessments/reports/
# drafts.py, docs/performance.md). A render takes about a second of an idle core.
DRAFT_PDF_DIRECT_MAX_LOAD = 0.5

# "Saved" and other one-off messages ride in a signed cookie (the session when too large), so a save and
# the page after it do not each rewrite the session row just to hand a message on.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

SESSION_COOKIE_HTTPONLY = True
# Sessions end after 30 idle minutes or 10 hours (accounts/sessions.py); the cookie dies with the browser.
SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_ABSOLUTE_TIMEOUT_SECONDS = 10 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
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
    # django-axes narrates every sign-in at INFO; our own security events (msoic.security) say what matters.
    "loggers": {
        "msoic.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        # fontTools, which WeasyPrint uses to subset fonts, logs every table it prunes for every PDF:
        # hundreds of lines per report pack in the task worker's log, none of them actionable.
        "fontTools": {"level": "WARNING"},
    },
}
# The public address for links in emails. Production requires it; when it is empty (development) links
# use the site the person was using, or http://127.0.0.1:8000 from a command (accounts/mail.py).
SERVICE_BASE_URL = os.environ.get("DJANGO_SERVICE_BASE_URL", "").strip()

# Spreadsheet import and export (assessments/spreadsheets, actionplan/resources.py).
INSTALLED_APPS += ["import_export"]
# Every admin import runs in one transaction: all rows or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Our own escaping (spreadsheet_safety/) runs on every export; the library's strips "=" only.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# Sign-in protection, second factor and content security policy (accounts/, docs in design.md).
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]
# django-axes: lock an email address at one network address after 10 failures, for 30 minutes.
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
# And lock a network address after 30 failures in that window across all accounts: credential stuffing
# tries few passwords on many accounts. Higher than the per-account limit because many honest people
# may share one address (a force's network), and 30 still stops a list being worked through.
AXES_HANDLER = "accounts.lockout.AddressLimitHandler"
# Second factor for every role, not only staff (accounts/second_factor.py). Production reads
# DJANGO_REQUIRE_SECOND_FACTOR_FOR_ALL; docs/security.md recommends turning it on.
REQUIRE_SECOND_FACTOR_FOR_ALL = False
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# The sign-in form lower-cases addresses; so must the lockout, or NAME@ and name@ would count apart.
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_attempt"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The address typed is never written to axes' own log lines (its default), nor is the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry they appended to
# X-Forwarded-For (counted from the right, so a client cannot choose it). Production reads the count.
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
TRUSTED_PROXY_COUNT = 0
# The addresses (or networks) of those proxies. X-Forwarded-For is read only from a peer listed here, so
# a client that reaches gunicorn directly cannot choose the address its failures are counted against.
TRUSTED_PROXIES: list[str] = ["127.0.0.1", "::1"]

# django-otp: authenticator apps (TOTP) and single-use recovery codes for staff roles.
OTP_TOTP_ISSUER = "Modern slavery self-assessment"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin never shows an authenticator secret or a recovery code (break-glass superusers included).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-csp 4: nothing inline except by nonce; nothing from elsewhere; never in a frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
