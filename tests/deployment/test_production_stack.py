"""Boot the production stack for real and talk to it over HTTP.

On a scratch PostgreSQL database: migrate, collect static files, load the reference data, then start
gunicorn (two workers) and one `manage.py db_worker` with production settings, configured only
through environment variables, exactly as docs/deployment.md describes. Everything started here is
stopped, and the database dropped, when the module's tests finish.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

from bench.stack import Stack as RunningStack
from bench.stack import StackFailed, free_port, start
from msoic.settings.env import BASE_DIR

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="boots gunicorn and a task worker on PostgreSQL; runs when DATABASE_URL is a postgres:// URL",
)

STARTUP_SECONDS = 30
TASK_SECONDS = 30
USER_EMAIL = "boot.spoc@force.example"
CREATE_USER = """
import os
from accounts.models import Membership, User
from accounts.roles import Role
from assessments.models import Force
user = User.objects.create_user(
    os.environ["BOOT_USER_EMAIL"], os.environ["BOOT_USER_PASSWORD"], full_name="Boot Spoc"
)
Membership.objects.create(user=user, role=Role.SPOC, force=Force.objects.get(code="cleveland"))
"""


@dataclass
class Response:
    status: int
    headers: Message
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """Just enough of a browser: cookies (Secure, __Host-) kept by hand, HTTPS as the proxy would say it."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, *, form: dict[str, str] | None = None, **headers: str
    ) -> Response:
        send = {"X-Forwarded-Proto": "https", **{k.replace("_", "-"): v for k, v in headers.items()}}
        if self.cookies:
            send["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            send["Content-Type"] = "application/x-www-form-urlencoded"
            send["Origin"] = self.origin
            send["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=send)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for set_cookie in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(set_cookie).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, **headers)

    def follow(self, response: Response, *, limit: int = 5) -> tuple[Response, list[str]]:
        chain: list[str] = []
        while response.status in (301, 302, 303) and len(chain) < limit:
            location = urlsplit(response.header("Location"))
            path = urlunsplit(("", "", location.path, location.query, ""))
            chain.append(path)
            response = self.get(path)
        return response, chain

    def csrf_token(self, page: Response) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, "the page has no CSRF token"
        return match.group(1)


@dataclass
class Stack:
    port: int
    database_url: str
    mail_dir: Path
    web_log: Path
    worker_log: Path
    password: str

    def browser(self) -> Browser:
        return Browser(self.port)

    def logs(self) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in (self.web_log, self.web_log.with_suffix(".err"), self.worker_log)
        )


def admin_connection():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    return psycopg.connect(
        urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True, connect_timeout=5
    )


def query(database_url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as connection:
        return list(connection.execute(sql, params).fetchall())


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from psycopg import sql

    work = tmp_path_factory.mktemp("stack")
    name = f"msoic_boot_{secrets.token_hex(4)}"
    parts = urlsplit(DATABASE_URL)
    database_url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    port = free_port()
    password = secrets.token_urlsafe(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "msoic.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The public address: the test client plays the TLS proxy (X-Forwarded-Proto: https).
            "DJANGO_SERVICE_BASE_URL": f"https://127.0.0.1:{port}",
            "DATABASE_URL": database_url,
            "DJANGO_STATIC_ROOT": str(work / "static"),
            "DJANGO_MEDIA_ROOT": str(work / "media"),
            "DJANGO_EMAIL_BACKEND": "file",
            "DJANGO_EMAIL_FILE_PATH": str(work / "mail"),
            "DJANGO_LOG_LEVEL": "INFO",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    running: RunningStack | None = None
    with admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("load_action_plan", env=env)
        manage("load_forces", env=env)
        manage(
            "shell",
            "-c",
            CREATE_USER,
            env={**env, "BOOT_USER_EMAIL": USER_EMAIL, "BOOT_USER_PASSWORD": password},
        )
        web_log, worker_log = work / "web.log", work / "worker.log"
        with (
            web_log.open("wb") as web_out,
            web_log.with_suffix(".err").open("wb") as web_err,
            worker_log.open("wb") as worker_out,
        ):
            running = start(
                env=env, port=port, web_output=web_out, web_errors=web_err, worker_output=worker_out
            )
        stack = Stack(port, database_url, work / "mail", web_log, worker_log, password)
        try:
            running.wait_until(lambda: stack.browser().get("/health/").status == 200, seconds=STARTUP_SECONDS)
        except StackFailed as failed:
            pytest.fail(f"{failed}:\n{stack.logs()}")
        yield stack
    finally:
        if running is not None:
            running.stop()
        with admin_connection() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_health_check_reports_the_database_and_the_queue_over_plain_http(stack):
    # Load balancers probe over plain HTTP: the health check is exempt from the HTTPS redirect.
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    connection.request("GET", "/health/")
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 200
    assert body == {"status": "ok", "database": "ok", "pending_tasks": 0}
    assert "no-store" in response.headers["Cache-Control"]
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_plain_http_pages_are_redirected_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    connection.request("GET", "/account/sign-in/")
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{stack.port}/account/sign-in/"


def test_sign_in_page_is_served_with_the_security_headers(stack):
    browser = stack.browser()
    page = browser.get("/account/sign-in/", X_Request_ID="boot-test.0001")
    assert page.status == 200
    assert "Sign in" in page.body
    assert page.header("X-Content-Type-Options") == "nosniff"
    assert page.header("Referrer-Policy") == "same-origin"
    assert page.header("X-Frame-Options") == "DENY"
    assert page.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert page.header("X-Request-ID") == "boot-test.0001"
    csrf_cookie = next(c for c in page.headers.get_all("Set-Cookie") if c.startswith("__Host-csrftoken="))
    assert "Secure" in csrf_cookie and "Path=/" in csrf_cookie


def test_hashed_static_files_are_served_with_a_far_future_cache_header(stack):
    page = stack.browser().get("/account/sign-in/")
    stylesheet = re.search(r'href="(/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', page.body)
    assert stylesheet, "the page does not link the hashed stylesheet"
    response = stack.browser().get(stylesheet.group(1), Accept_Encoding="gzip")
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/css")
    cache = response.header("Cache-Control")
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600


def test_a_user_signs_in_through_the_form_and_reaches_their_home_page(stack):
    browser = stack.browser()
    page = browser.get("/account/sign-in/")
    response = browser.request(
        "POST",
        "/account/sign-in/",
        form={
            "csrfmiddlewaretoken": browser.csrf_token(page),
            "username": USER_EMAIL,
            "password": stack.password,
        },
    )
    assert response.status == 302, response.body[:2000]
    assert "__Host-sessionid" in browser.cookies
    home, chain = browser.follow(response)
    assert chain[-1] == "/forces/cleveland/"
    assert home.status == 200
    assert "Cleveland Police" in home.body


def test_a_password_reset_requested_on_the_web_is_emailed_by_the_task_worker(stack):
    browser = stack.browser()
    page = browser.get("/account/password-reset/")
    response = browser.request(
        "POST",
        "/account/password-reset/",
        form={"csrfmiddlewaretoken": browser.csrf_token(page), "email": USER_EMAIL},
    )
    assert response.status == 302
    assert response.header("Location") == "/account/password-reset/sent/"

    deadline = time.monotonic() + TASK_SECONDS
    statuses: list[tuple[object, ...]] = []
    while time.monotonic() < deadline:
        statuses = query(
            stack.database_url,
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
            ("accounts.tasks.send_email_message",),
        )
        if statuses and statuses[0][0] in ("SUCCESSFUL", "FAILED"):
            break
        time.sleep(0.2)
    assert statuses == [("SUCCESSFUL",)], f"task not done in {TASK_SECONDS} s: {statuses}\n{stack.logs()}"

    messages = list(stack.mail_dir.glob("*.log"))
    assert len(messages) == 1
    email = messages[0].read_text()
    assert f"To: {USER_EMAIL}" in email
    assert f"https://127.0.0.1:{stack.port}/account/password-reset/" in email
    health = json.loads(browser.get("/health/").body)
    assert health["pending_tasks"] == 0


def test_logs_are_json_lines_with_request_ids_and_no_personal_data(stack):
    browser = stack.browser()
    browser.get(
        f"/account/sign-in/?next=/forces/cleveland/&email={USER_EMAIL}", X_Request_ID="boot-log-check"
    )
    time.sleep(0.5)  # let the worker processes flush their lines

    web_lines = [json.loads(line) for line in stack.web_log.read_text().splitlines() if line.strip()]
    requests = [line for line in web_lines if line["logger"] == "msoic.request"]
    assert requests, "gunicorn wrote no request log lines"
    for line in requests:
        assert {"time", "level", "message", "request_id", "method", "path", "status", "duration_ms"} <= set(
            line
        )
        assert "?" not in line["path"]
    tagged = [line for line in requests if line["request_id"] == "boot-log-check"]
    assert tagged and tagged[0]["path"] == "/account/sign-in/"
    assert any(isinstance(line.get("user_id"), int) for line in requests), "no signed-in request line"
    assert any(line["logger"] == "msoic.security" and line["message"] == "Signed in" for line in web_lines)

    worker_lines = [json.loads(line) for line in stack.worker_log.read_text().splitlines() if line.strip()]
    assert any("SUCCESSFUL" in line["message"] for line in worker_lines)

    everything = stack.logs()
    assert USER_EMAIL not in everything
    assert stack.password not in everything
    assert "Boot Spoc" not in everything
