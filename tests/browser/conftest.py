"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test under tests/browser is marked ``browser``. The live server's database holds the real reference
data (the action plan and the regions and forces files) and one person per role.

Three checks cover every page the tests reach: assert_accessible runs axe-core (WCAG 2.2 A and AA) and
makes sure the page does not scroll sideways at 320 CSS pixels (WCAG 1.4.10); and every HTML page the
live server sends, in any test, is checked with the Nu HTML Checker once at the end (served_html.py).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from accounts.models import Membership, User
from accounts.roles import Role
from accounts.second_factor import needs_second_factor, recovery_codes_replace
from assessments.models import Force, Region
from msoic.settings.env import BASE_DIR
from tests.browser.served_html import ServedHtml
from tests.factories import TEST_PASSWORD, totp_code, user_with_role

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = BASE_DIR / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILURES = BASE_DIR / "test-artifacts" / "failures"
SERVED_HTML = BASE_DIR / "test-artifacts" / "served-html"
# The narrowest window WCAG 1.4.10 asks a page to fit without scrolling sideways (1280px at 400% zoom).
REFLOW_WIDTH = 320
BROWSER_DIR = Path(__file__).resolve().parent
CALL_FAILED = pytest.StashKey[bool]()

__all__ = [
    "TEST_PASSWORD",
    "TOO_WIDE",
    "People",
    "assert_accessible",
    "assert_no_sideways_scroll",
    "enter_second_factor",
    "save_screenshot",
    "sign_in",
    "sign_in_password_only",
    "wait_until_codes_are_accepted",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser`` (this hook sees the whole session, so filter by path)."""
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body failed, so the page fixture can keep a screenshot of it."""
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole run; never a downloaded browser."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing, and the browser tests never download a browser. "
            "Install Debian's Chromium with: bash scripts/system-packages.sh --with-browser",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


STATE_WAIT_CEILING_MS = 60_000
expect.set_options(timeout=STATE_WAIT_CEILING_MS)


@pytest.fixture(scope="session")
def served_html(live_server) -> Iterator[ServedHtml]:
    """Every HTML page the live server sends in this session, checked with the Nu HTML Checker at the end.

    A page with an error fails the session here (reported at the teardown of its last browser test),
    each error named with the test, the address and the line; the pages stay in test-artifacts/.
    """
    missing = ServedHtml.missing_checker()
    if missing:
        pytest.fail(missing, pytrace=False)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    pages = ServedHtml(SERVED_HTML / worker)
    server = live_server.thread.httpd
    original = server.get_app()
    server.set_app(pages.wrap(original))
    yield pages
    server.set_app(original)
    problems = pages.problems()
    if problems:
        pytest.fail(
            "\n".join(
                [
                    f"The Nu HTML Checker found {len(problems)} error(s) in {len(pages.pages)} pages:",
                    *problems,
                ]
            ),
            pytrace=False,
        )


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server, served_html: ServedHtml
) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, addressed relative to the live server.

    When the test fails, the page as it was is kept in test-artifacts/failures/.
    """
    served_html.current_test = request.node.nodeid
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    # Every wait in these tests is for a state (a heading, a URL, a loaded page); this is only how long
    # to keep waiting before calling it a failure. A busy two-core machine took over 10 s for one
    # full-page screenshot, so the ceiling is generous: a passing test never waits for it.
    context.set_default_timeout(STATE_WAIT_CEILING_MS)
    tab = context.new_page()
    try:
        yield tab
        if request.node.stash.get(CALL_FAILED, False):
            FAILURES.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
            tab.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
    finally:
        context.close()


@dataclass
class People:
    """One person per role, over the real regions and forces; passwords are all TEST_PASSWORD."""

    cleveland: Force
    north_east: Region
    spoc: User
    chief_officer: User
    coordinator: User
    national: User
    administrator: User
    spoc_and_coordinator: User  # SPOC for Cleveland and coordinator for Wales: sees the chooser

    def user(self, role: Role) -> User:
        return {
            Role.SPOC: self.spoc,
            Role.CHIEF_OFFICER: self.chief_officer,
            Role.COORDINATOR: self.coordinator,
            Role.NATIONAL: self.national,
            Role.ADMINISTRATOR: self.administrator,
        }[role]


@pytest.fixture
def people(transactional_db, live_server) -> People:
    """Load the real reference data into the live server's database and create one person per role."""
    call_command("load_action_plan", verbosity=0)
    call_command("load_forces", verbosity=0)
    cleveland = Force.objects.get(code="cleveland")
    north_east = Region.objects.get(slug="north-east")
    spoc_and_coordinator = user_with_role(
        Role.SPOC, force=cleveland, email="two.roles@force.example", full_name="Tess Tworoles"
    )
    Membership.objects.create(
        user=spoc_and_coordinator, role=Role.COORDINATOR, region=Region.objects.get(slug="wales")
    )
    people = People(
        cleveland=cleveland,
        north_east=north_east,
        spoc=user_with_role(Role.SPOC, force=cleveland, email="spoc@force.example", full_name="Sam Spoc"),
        chief_officer=user_with_role(
            Role.CHIEF_OFFICER, force=cleveland, email="chief@force.example", full_name="Chris Chief"
        ),
        coordinator=user_with_role(
            Role.COORDINATOR, region=north_east, email="coord@force.example", full_name="Casey Coordinator"
        ),
        national=user_with_role(Role.NATIONAL, email="national@force.example", full_name="Nat National"),
        administrator=user_with_role(Role.ADMINISTRATOR, email="admin@force.example", full_name="Alex Admin"),
        spoc_and_coordinator=spoc_and_coordinator,
    )
    # Staff roles have already set up an authenticator app; sign_in() enters its code for them.
    for person in (people.coordinator, people.national, people.administrator, spoc_and_coordinator):
        TOTPDevice.objects.create(user=person, name="Work phone", confirmed=True)
    return people


def sign_in_password_only(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Fill in and send the sign-in form, as a person would; staff then face the second factor."""
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def second_factor_code(user: User) -> str:
    """A code the user's authenticator app would accept now.

    A time step's code works once: if this person already used this step's code (two sign-ins within
    30 seconds), use a fresh recovery code rather than wait for the next step.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    if device.last_t >= step:
        return recovery_codes_replace(user)[0]
    return totp_code(device)


def enter_second_factor(page: Page, user: User) -> None:
    """On the "Enter your security code" page, enter a working code and continue."""
    page.get_by_label("Code", exact=True).fill(second_factor_code(user))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def wait_until_codes_are_accepted(user: User) -> None:
    """Wait for a state, not a clock: until django-otp lets the user's app codes through again.

    After a wrong code the device is held back (for a second, then longer); the test waits until the
    stored device says a code would be checked, up to the same ceiling as every other wait.
    """
    deadline = time.monotonic() + STATE_WAIT_CEILING_MS / 1000
    while not TOTPDevice.objects.get(user=user, confirmed=True).verify_is_allowed()[0]:
        if time.monotonic() > deadline:
            pytest.fail(f"{user.email}'s authenticator app stayed held back after a wrong code")
        time.sleep(0.05)


def sign_in(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, as a person would, entering an app code when the role needs one."""
    sign_in_password_only(page, email, password)
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is not None and needs_second_factor(user) and "/account/two-factor/" in page.url:
        enter_second_factor(page, user)


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/<name>.png, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Elements that reach past the right edge of the window, outside the boxes that scroll sideways on purpose
# (wide tables: ours, the admin's list and the review page's), to say what made a page too wide.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 1 && box.right > window.innerWidth + 1
      && !e.closest('.app-table-scroll, .review-table-wrapper, #changelist-form .results, '
                    + '.govuk-visually-hidden, .visually-hidden, .govuk-skip-link');
  })
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))
  .slice(0, 5)"""


def assert_no_sideways_scroll(page: Page, name: str) -> None:
    """The page, as it is now, does not scroll sideways in a window 320 CSS pixels wide (WCAG 1.4.10).

    The window is narrowed only for the check and then put back, so the test carries on as it was.
    """
    size = page.viewport_size
    narrowed = size is not None and size["width"] > REFLOW_WIDTH
    if size is not None and narrowed:
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        too_wide = page.evaluate(TOO_WIDE) if scroll_width > inner_width else []
    finally:
        if size is not None and narrowed:
            page.set_viewport_size(size)
    assert scroll_width <= inner_width, (
        f"{name} ({page.url}) is {scroll_width}px wide in a {inner_width}px window; too wide: {too_wide}"
    )


# GOV.UK Frontend's radios script sets aria-expanded on a radio that reveals a question. ARIA does not
# list aria-expanded for radios, so axe reports it, but GOV.UK keeps it on purpose: screen readers
# announce it, and its research found it helps (alphagov/govuk-frontend#979, a documented known issue).
# Only that one finding, on a conditional-reveal radio and about aria-expanded alone, is set aside.
FRONTEND_ARIA_EXPANDED = re.compile(
    r'^Fix all of the following:\s+ARIA attribute is not allowed: aria-expanded="(true|false)"$'
)


def _is_frontend_reveal_radio(node: dict) -> bool:
    html = node.get("html", "")
    return (
        'class="govuk-radios__input"' in html
        and "aria-controls=" in html
        and bool(FRONTEND_ARIA_EXPANDED.match(node.get("failureSummary", "").strip()))
    )


def without_known_frontend_issues(violations: list[dict]) -> list[dict]:
    """axe's violations, less GOV.UK Frontend's aria-expanded on conditional-reveal radios (above)."""
    kept = []
    for violation in violations:
        if violation["id"] == "aria-allowed-attr":
            nodes = [node for node in violation["nodes"] if not _is_frontend_reveal_radio(node)]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        kept.append(violation)
    return kept


def assert_accessible(page: Page, name: str) -> None:
    """Save a full-page screenshot as <name>.png, assert axe-core finds no WCAG 2.2 AA violations, and
    assert the page does not scroll sideways at 320 pixels."""
    from axe_playwright_python.sync_playwright import Axe

    save_screenshot(page, name)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = without_known_frontend_issues(results.response["violations"])
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {name} ({page.url}):"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation["nodes"]:
                target = ", ".join(str(part) for part in node["target"])
                lines.append(f"    {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
        pytest.fail("\n".join(lines), pytrace=False)
    assert_no_sideways_scroll(page, name)
