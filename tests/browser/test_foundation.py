"""The service's skeleton in a browser: sign-in per role, second factor, accessibility, sign-out, 320px."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.browser.conftest import (
    People,
    assert_accessible,
    enter_second_factor,
    save_screenshot,
    sign_in,
    sign_in_password_only,
    wait_until_codes_are_accepted,
)
from tests.factories import TEST_PASSWORD, enrolment_link_path, totp_code, user_with_role

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
        ("/account/signed-out/?reason=idle", "signed-out-idle"),
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


def test_staff_set_up_an_authenticator_app_with_a_local_qr_code(page: Page, people: People, live_server):
    newcomer = user_with_role(
        Role.COORDINATOR, region=people.north_east, email="new.coord@force.example", full_name="Nia Newcomer"
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in_password_only(page, newcomer.email)

    # The password alone sets up nothing (issue 21 item 10): without an enrolment link, no secret is shown.
    expect(heading(page)).to_have_text("You need an enrolment link to set up your authenticator")
    expect(page.get_by_text("Ask your administrator")).to_be_visible()
    expect(page.locator("img.app-qr-code")).to_have_count(0)
    assert_accessible(page, "two-factor-enrolment-link-needed")
    assert not TOTPDevice.objects.filter(user=newcomer).exists()

    # A link copied incompletely is refused with a page that says what to do.
    link = enrolment_link_path(newcomer)
    page.goto(link[:-12] + "/")
    expect(heading(page)).to_have_text("This enrolment link cannot be used")
    assert_accessible(page, "two-factor-enrolment-link-refused")

    # The link the administrator's email carries, opened while signed in, leads to the set-up page.
    page.goto(link)
    expect(heading(page)).to_have_text("Set up your authenticator app")
    qr = page.get_by_role(
        "img", name="QR code to add Modern slavery self-assessment to your authenticator app"
    )
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    assert_accessible(page, "two-factor-set-up")

    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    page.get_by_label("Code", exact=True).fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Authenticator app set up")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page, "recovery-codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    url_is(page, "/regions/north-east/")
    # The QR code is made on the server: nothing is fetched from anywhere else.
    assert [url for url in requested if not url.startswith((live_server.url, "data:"))] == []


def test_staff_enter_a_code_on_an_accessible_page(page: Page, people: People):
    sign_in_password_only(page, people.national.email)

    expect(heading(page)).to_have_text("Enter your security code")
    assert_accessible(page, "two-factor-verify")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "two-factor-verify-error")

    wait_until_codes_are_accepted(people.national)  # the first wrong code holds the app back a second
    enter_second_factor(page, people.national)
    url_is(page, "/national/")


def test_the_admin_sign_in_is_the_service_sign_in_with_its_second_factor(page: Page, people: People):
    page.goto("/admin/")
    expect(heading(page)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(people.administrator.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Enter your security code")
    enter_second_factor(page, people.administrator)
    url_is(page, "/admin/")


def test_your_account_and_password_change_are_accessible(page: Page, people: People):
    sign_in(page, people.coordinator.email)
    page.get_by_role("banner").get_by_role("link", name="Your account").click()

    expect(heading(page)).to_have_text("Your account")
    assert_accessible(page, "your-account")
    page.get_by_role("link", name="Change your password").click()
    expect(heading(page)).to_have_text("Change your password")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "password-change-error")


def test_choosing_a_daily_digest_is_accessible(page: Page, people: People):
    sign_in(page, people.spoc.email)
    page.get_by_role("banner").get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change how you get emails").click()
    expect(heading(page)).to_have_text("How do you want to get emails from the service?")
    expect(page.get_by_label("Each email as it happens")).to_be_checked()  # the current choice
    assert_accessible(page, "email-preference")
    page.get_by_label("One daily digest").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Your account")
    expect(page.get_by_text("Your email choice has been saved.")).to_be_visible()
    assert_accessible(page, "your-account-digest")


def test_too_many_failures_show_an_accessible_lockout_page(page: Page, people: People):
    for _ in range(10):
        sign_in_password_only(page, people.chief_officer.email, "not the password at all")

    expect(heading(page)).to_have_text("Too many failed attempts")
    expect(page.get_by_text("Try again in 30 minutes")).to_be_visible()
    assert_accessible(page, "locked-out")


def test_admin_pages_break_no_content_security_policy_rule(page: Page, people: People):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, people.administrator.email)
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{people.coordinator.pk}/change/",
        "/admin/actionplan/activity/",
        "/account/",
    ]:
        response = page.goto(path)
        assert response is not None and response.ok, path
    assert violations == []


def test_select_all_on_the_action_plan_export_page_works_under_the_content_security_policy(
    page: Page, people: People
):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, people.national.email)
    response = page.goto("/admin/actionplan/activity/export/")
    assert response is not None and response.ok
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 3
    select_all = page.get_by_label("Select all")
    expect(select_all).to_be_checked()
    select_all.uncheck()
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()
    page.get_by_text("Select all", exact=True).click()  # the label names the box, so it toggles it too
    for index in range(fields.count()):
        expect(fields.nth(index)).to_be_checked()
    # The package's two inline style attributes (a padding and a bold label) are still refused, which
    # only changes how they look; no script is refused, so nothing on the page depends on inline code.
    assert [text for text in violations if "style" not in text.lower()] == [], violations
