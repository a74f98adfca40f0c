"""Reflow and text resizing (WCAG 1.4.10 and 1.4.4) on the main pages and the admin, with long answers.

At 320 CSS pixels wide (a 1280 pixel window at 400% zoom) nothing may scroll sideways: wide tables live in
scrolling regions (.app-table-scroll), which is allowed. With text at 200% the main heading and the primary
action stay whole, apart and on screen. Screenshots go to test-artifacts/screenshots/reflow-*.png.
"""

from __future__ import annotations

import datetime
import itertools

from playwright.sync_api import Locator, Page, expect

from accounts.roles import Role
from actionplan.models import ActionPlan, Activity
from assessments import workflow
from assessments.models import ActivityReturn, Assessment, Force
from assessments.services import round_open
from assessments.status import ImplementationStatus
from tests.browser.conftest import TOO_WIDE, People, assert_accessible, save_screenshot, sign_in
from tests.factories import user_with_role

LONG_WORDS = (
    "The force's modern slavery and human trafficking co-ordinator reviews every referral through the "
    "National Referral Mechanism; see https://intranet.cleveland.example/safeguarding/modern-slavery/"
    "delivery-plan-2026-27-version-3-final-approved.docx for the full delivery plan."
)

# Why an element cannot be read whole: off the side of the window, or cut off by a box that hides overflow.
CLIPPED = """e => {
  const box = e.getBoundingClientRect();
  if (box.left < -1 || box.right > window.innerWidth + 1) return 'off the side of the window';
  for (let outer = e.parentElement; outer && outer !== document.body; outer = outer.parentElement) {
    const style = getComputedStyle(outer);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const edge = outer.getBoundingClientRect();
    if (box.left < edge.left - 1 || box.right > edge.right + 1 || box.top < edge.top - 1
        || box.bottom > edge.bottom + 1) {
      return 'cut off by ' + outer.tagName.toLowerCase() + '.' + outer.className;
    }
  }
  const own = getComputedStyle(e);
  if (own.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 2) return 'cut off inside itself';
  return null;
}"""


def open_round_with_answers(people: People) -> Assessment:
    """A round with Cleveland complete (long answers included) and the rest of its region part-way."""
    opened = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    statuses = itertools.cycle(
        [
            ImplementationStatus.EMBEDDED,
            ImplementationStatus.IMPLEMENTED,
            ImplementationStatus.IN_PROGRESS,
            ImplementationStatus.PLANNED,
            ImplementationStatus.NOT_STARTED,
            ImplementationStatus.NOT_APPLICABLE,
        ]
    )
    neighbours = Force.objects.filter(region=people.north_east)
    for activity_return in ActivityReturn.objects.filter(
        assessment__round=opened.round, assessment__force__in=neighbours
    ):
        activity_return.implementation_status = next(statuses)
        activity_return.evidence_summary = LONG_WORDS
        activity_return.next_steps = LONG_WORDS
        activity_return.action_owner = "Detective Chief Inspector, Public Protection and Safeguarding Unit"
        activity_return.target_date = datetime.date(2027, 3, 31)
        # A reason is kept with Not applicable alone (the database refuses it beside another status).
        is_not_applicable = activity_return.implementation_status == ImplementationStatus.NOT_APPLICABLE
        activity_return.not_applicable_reason = LONG_WORDS if is_not_applicable else ""
        activity_return.is_complete = True
        activity_return.confirmed = True
        activity_return.save()
    return Assessment.objects.get(round=opened.round, force=people.cleveland)


def assert_reflows(page: Page, name: str) -> None:
    """The page at 320px: its heading is on screen and nothing but a table region scrolls sideways."""
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    save_screenshot(page, f"reflow-320-{name}")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (
        f"{name} ({page.url}) is {scroll_width}px wide in a {inner_width}px window; "
        f"too wide: {page.evaluate(TOO_WIDE)}"
    )


def visit(page: Page, path: str, name: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert_reflows(page, name)


def test_no_main_page_scrolls_sideways_at_320_pixels(page: Page, people: People):
    assessment = open_round_with_answers(people)
    round_id = assessment.round_id
    page.set_viewport_size({"width": 320, "height": 640})

    visit(page, "/account/sign-in/", "sign-in")
    visit(page, "/accessibility/", "accessibility-statement")

    sign_in(page, people.spoc.email)
    assert_reflows(page, "force-home")
    visit(page, "/action-plan/", "action-plan")
    visit(page, f"/assessments/{assessment.pk}/", "task-list")
    visit(page, f"/assessments/{assessment.pk}/activities/LG02/", "activity")
    page.get_by_label("Planned", exact=True).check()
    page.get_by_label("Next steps").fill("")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_reflows(page, "activity-error")
    visit(page, f"/assessments/{assessment.pk}/check/", "check-answers")
    visit(page, f"/assessments/{assessment.pk}/activities/LG02/history/", "activity-history")

    ActivityReturn.objects.filter(assessment=assessment).update(
        implementation_status=ImplementationStatus.EMBEDDED,
        not_applicable_reason="",  # kept with Not applicable alone
        evidence_summary=LONG_WORDS,
        is_complete=True,
        confirmed=True,
    )
    workflow.submit(assessment, by=people.spoc)
    visit(page, f"/assessments/{assessment.pk}/submitted/", "confirmation")
    visit(page, "/forces/cleveland/reports/", "force-reports")
    visit(page, f"/forces/cleveland/reports/{round_id}/draft/", "force-report")

    page.context.clear_cookies()
    sign_in(page, people.spoc_and_coordinator.email)
    assert_reflows(page, "start")

    page.context.clear_cookies()
    sign_in(page, people.coordinator.email)
    assert_reflows(page, "region-overview")
    visit(page, f"/regions/north-east/report/?round={round_id}", "regional-report")
    assert_accessible(page, "regional-report-320")
    visit(page, f"/admin/assessments/assessment/{assessment.pk}/review/", "admin-review")

    page.context.clear_cookies()
    sign_in(page, people.national.email)
    assert_reflows(page, "national-overview")
    visit(page, f"/national/report/?round={round_id}", "national-report")
    assert_accessible(page, "national-report-320")


def admin_page(page: Page, path: str, name: str) -> None:
    """An admin page read whole at 1280 pixels (axe) and at 320, where it must not scroll sideways."""
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert_accessible(page, f"admin-{name}")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_reflows(page, f"admin-{name}")


def test_no_admin_page_a_coordinator_or_national_staff_use_scrolls_sideways_at_320_pixels(
    page: Page, people: People
):
    cleveland = open_round_with_answers(people)
    workflow.submit(cleveland, by=people.spoc)
    workflow.sign_off(cleveland, by=people.coordinator, comment=LONG_WORDS)
    durham = Assessment.objects.get(round=cleveland.round, force__code="durham")
    durham_spoc = user_with_role(Role.SPOC, force=durham.force, email="spoc.durham@force.example")
    workflow.submit(durham, by=durham_spoc)
    activity = Activity.objects.filter(area__plan__is_current=True).order_by("area__number", "order").first()
    assert activity is not None

    # The coordinator reviews: the list, a submitted assessment's review (with its decision form and
    # the history table), its record and history pages, and the reference data they may read.
    sign_in(page, people.coordinator.email)
    admin_page(page, "/admin/", "index-coordinator")
    admin_page(page, "/admin/assessments/assessment/", "assessment-list-coordinator")
    admin_page(page, "/admin/assessments/assessment/?status__exact=submitted", "assessment-list-submitted")
    admin_page(page, f"/admin/assessments/assessment/{durham.pk}/review/", "review-submitted")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    assert_accessible(page, "admin-review-error")
    admin_page(page, f"/admin/assessments/assessment/{cleveland.pk}/change/", "assessment-record")
    admin_page(page, f"/admin/assessments/assessment/{cleveland.pk}/history/", "assessment-history")
    admin_page(page, "/admin/assessments/round/", "round-list-coordinator")
    admin_page(page, "/admin/assessments/force/", "force-list-coordinator")
    admin_page(page, "/admin/actionplan/activity/", "activity-list-coordinator")
    admin_page(page, f"/admin/actionplan/activity/{activity.pk}/change/", "activity-read-only")

    # National staff: a signed-off review (with the reopen form), rounds, forces, regions and the plan.
    page.context.clear_cookies()
    sign_in(page, people.national.email)
    admin_page(page, "/admin/", "index-national")
    admin_page(page, "/admin/assessments/assessment/", "assessment-list-national")
    admin_page(page, f"/admin/assessments/assessment/{cleveland.pk}/review/", "review-signed-off")
    admin_page(page, "/admin/assessments/round/", "round-list")
    admin_page(page, "/admin/assessments/round/add/", "round-add")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    assert_accessible(page, "admin-round-add-error")
    admin_page(page, f"/admin/assessments/round/{cleveland.round_id}/change/", "round-change")
    admin_page(page, "/admin/assessments/force/", "force-list")
    admin_page(page, f"/admin/assessments/force/{cleveland.force_id}/change/", "force-change")
    admin_page(page, "/admin/assessments/region/", "region-list")
    admin_page(page, f"/admin/assessments/region/{people.north_east.pk}/change/", "region-change")
    admin_page(page, "/admin/actionplan/actionplan/", "plan-list")
    admin_page(page, "/admin/actionplan/processarea/", "area-list")
    admin_page(page, "/admin/actionplan/activity/", "activity-list")
    admin_page(page, f"/admin/actionplan/activity/{activity.pk}/change/", "activity-change")
    admin_page(page, "/admin/actionplan/activity/import/", "activity-import")
    admin_page(page, "/admin/actionplan/activity/export/", "activity-export")


def assert_usable_at_double_text_size(page: Page, name: str, action: Locator) -> None:
    """Double the root font size (GOV.UK Frontend sizes text in rem): heading and action stay usable."""
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    normal = heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    # Set through the DevTools protocol, so the content security policy's ban on inline styles is untouched.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 1.9 * normal
    save_screenshot(page, f"text-200-{name}")

    action.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(action).to_be_visible()
    for element in (heading, action):
        problem = element.evaluate(CLIPPED)
        assert problem is None, f"{element} is {problem} on {name} with text at 200%"
    heading_box, action_box = heading.bounding_box(), action.bounding_box()
    assert heading_box is not None and action_box is not None
    overlap = not (
        heading_box["y"] + heading_box["height"] <= action_box["y"]
        or action_box["y"] + action_box["height"] <= heading_box["y"]
        or heading_box["x"] + heading_box["width"] <= action_box["x"]
        or action_box["x"] + action_box["width"] <= heading_box["x"]
    )
    assert not overlap, f"the heading and the primary action overlap on {name} with text at 200%"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways with text at 200%: {page.evaluate(TOO_WIDE)}"
    )


def test_main_pages_stay_usable_with_text_at_200_percent(page: Page, people: People):
    assessment = open_round_with_answers(people)
    page.goto("/account/sign-in/")
    assert_usable_at_double_text_size(page, "sign-in", page.get_by_role("button", name="Sign in"))

    sign_in(page, people.spoc.email)
    assert_usable_at_double_text_size(
        page, "force-home", page.get_by_role("button", name="Go to the task list")
    )
    page.goto(f"/assessments/{assessment.pk}/")
    assert_usable_at_double_text_size(
        page, "task-list", page.get_by_role("link", name="Check your answers and submit")
    )
    page.goto(f"/assessments/{assessment.pk}/activities/LG01/")
    assert_usable_at_double_text_size(page, "activity", page.get_by_role("button", name="Save and continue"))
    ActivityReturn.objects.filter(assessment=assessment).update(
        implementation_status=ImplementationStatus.NOT_STARTED,
        not_applicable_reason="",  # kept with Not applicable alone
        is_complete=True,
        confirmed=True,
    )
    page.goto(f"/assessments/{assessment.pk}/check/")
    assert_usable_at_double_text_size(
        page, "check-answers", page.get_by_role("button", name="Accept and submit")
    )
    page.goto("/forces/cleveland/reports/")
    assert_usable_at_double_text_size(
        page, "force-reports", page.get_by_role("link", name="View draft report for 2026-27 autumn review")
    )
