"""The service's skeleton in a real browser: sign-in per role, accessibility, focus, sign-out, 320px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.browser.conftest import People, assert_accessible, save_screenshot, sign_in

HOMES = [
    (Role.SPOC, "/forces/cleveland/", "Cleveland Police"),
    (Role.CHIEF_OFFICER, "/forces/cleveland/", "Cleveland Police"),
    (Role.COORDINATOR, "/regions/north-east/", "North East"),
    (Role.NATIONAL, "/national/", "National overview"),
    (Role.ADMINISTRATOR, "/national/", "National overview"),
]


def url_is(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path) + r"$"))


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.mark.parametrize(("role", "path", "title"), HOMES, ids=[role.value for role, _, _ in HOMES])
def test_each_role_signs_in_and_lands_on_its_home(page: Page, people: People, role, path, title):
    sign_in(page, people.user(role).email)

    url_is(page, path)
    expect(heading(page)).to_have_text(title)


def test_sign_in_page_is_accessible(page: Page, people: People):
    page.goto("/account/sign-in/")

    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page, "sign-in")


def test_failed_sign_in_shows_an_accessible_error_summary(page: Page, people: People):
    sign_in(page, people.spoc.email, "not the password")

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "sign-in-failed")


def test_error_summary_link_moves_focus_to_the_email_input(page: Page, people: People):
    page.goto("/account/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Enter your email address").click()

    assert page.evaluate("document.activeElement.id") == "id_username"


def test_someone_with_two_roles_chooses_where_to_start(page: Page, people: People):
    sign_in(page, people.spoc_and_coordinator.email)

    url_is(page, "/")
    expect(heading(page)).to_have_text("Choose where to start")
    expect(page.get_by_role("link", name="Cleveland Police")).to_be_visible()
    expect(page.get_by_role("link", name="Wales")).to_be_visible()
    assert_accessible(page, "start-chooser")


def test_action_plan_page_is_accessible(page: Page, people: People):
    sign_in(page, people.spoc.email)
    page.goto("/action-plan/")

    expect(heading(page)).to_be_visible()
    assert_accessible(page, "action-plan")


@pytest.mark.parametrize(
    ("role", "path", "title"),
    [HOMES[0], HOMES[2], HOMES[3]],
    ids=["force-home", "region-overview", "national-overview"],
)
def test_home_pages_are_accessible(page: Page, people: People, role, path, title):
    sign_in(page, people.user(role).email)
    page.goto(path)

    expect(heading(page)).to_have_text(title)
    assert_accessible(page, path.strip("/").replace("/", "-"))


def test_page_not_found_is_accessible(page: Page, people: People):
    sign_in(page, people.spoc.email)
    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    assert_accessible(page, "404")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/accessibility/", "accessibility-statement"),
        ("/privacy/", "privacy-notice"),
        ("/account/password-reset/", "password-reset"),
    ],
)
def test_public_pages_are_accessible(page: Page, people: People, path, name):
    response = page.goto(path)

    assert response is not None and response.ok
    expect(heading(page)).to_be_visible()
    assert_accessible(page, name)


def test_sign_out_from_the_header_returns_to_sign_in(page: Page, people: People):
    sign_in(page, people.spoc.email)
    url_is(page, "/forces/cleveland/")

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()

    url_is(page, "/account/sign-in/")
    expect(heading(page)).to_have_text("Sign in")
    page.goto("/forces/cleveland/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next="))


@pytest.mark.parametrize(("path", "signed_in"), [("/action-plan/", True), ("/account/sign-in/", False)])
def test_no_sideways_scrolling_at_320_pixels(page: Page, people: People, path, signed_in):
    if signed_in:
        sign_in(page, people.spoc.email)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)

    expect(heading(page)).to_be_visible()
    save_screenshot(page, "320px-" + path.strip("/").replace("/", "-"))
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{path} is {scroll_width}px wide in a {inner_width}px window"


def test_the_accessibility_check_itself_catches_a_violation(page: Page, live_server):
    """Guard the harness: a page with an unlabelled input must fail assert_accessible."""
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><input></main></body></html>')

    with pytest.raises(pytest.fail.Exception, match="label"):
        assert_accessible(page, "harness-self-check")
