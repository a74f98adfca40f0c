"""The SPOC's journey with the keyboard alone: Tab, Shift+Tab, Enter and Space, and typing into fields.

No clicks and no fill(): every control is reached by tabbing, and at every stop the focused element must
show the GOV.UK focus style (an outline, box-shadow or yellow background). The first three activities are
answered by keyboard; the others are answered on the server beforehand to keep the test quick.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from actionplan.models import ActionPlan
from assessments.models import ActivityReturn, Assessment
from assessments.services import round_open
from assessments.status import ImplementationStatus, WorkflowStatus
from tests.browser.conftest import (
    TEST_PASSWORD,
    People,
    assert_accessible,
    save_screenshot,
    sign_in,
)

# Describe the focused element by its role and visible name, and say whether its focus can be seen.
# Radios and checkboxes hide the native input: GOV.UK draws their focus ring on the label's ::before.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const clean = text => (text || '').replace(/\\s+/g, ' ').trim();
  const labelled = el.labels && el.labels.length ? clean(el.labels[0].innerText) : '';
  const name = clean(el.getAttribute('aria-label')) || labelled || clean(el.innerText) || clean(el.value);
  const role = el.getAttribute('role') || (el.type ? el.tagName.toLowerCase() + ':' + el.type
                                                   : el.tagName.toLowerCase());
  const drawn = (el.matches('.govuk-radios__input, .govuk-checkboxes__input') && el.labels.length)
    ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
  const own = getComputedStyle(el);
  const outline = drawn.outlineStyle !== 'none' && parseFloat(drawn.outlineWidth) > 0
    && !/rgba\\(.*, 0\\)$|transparent/.test(drawn.outlineColor);
  const shadow = drawn.boxShadow !== 'none';
  const yellow = own.backgroundColor === 'rgb(255, 221, 0)';
  const box = el.getBoundingClientRect();
  return {role, name, visible: outline || shadow || yellow, onScreen: box.width > 0 && box.height > 0};
}"""


def focus(page: Page) -> dict | None:
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(page: Page) -> dict | None:
    state = focus(page)
    if state is not None:
        assert state["visible"], f"focus is not visible on {state} at {page.url}"
        assert state["onScreen"], f"the focused element has no size: {state} at {page.url}"
    return state


def tab_to(
    page: Page, name: str | re.Pattern[str], *, role: str | None = None, back: bool = False, limit: int = 150
) -> None:
    """Press Tab (or Shift+Tab) until the focused element has this visible name, checking focus each stop."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        state = assert_focus_visible(page)
        if state is None:
            continue
        seen.append(f"{state['role']} {state['name'][:40]!r}")
        if pattern.search(state["name"]) and (role is None or state["role"] == role):
            return
    raise AssertionError(f"never reached {pattern.pattern!r} on {page.url}; stops: {seen[-20:]}")


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_a_spoc_completes_the_assessment_with_the_keyboard_alone(page: Page, people: People):
    opened = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    assessment = Assessment.objects.get(round=opened.round, force=people.cleveland)
    returns = assessment.returns.order_by("activity__area__number", "activity__order")
    first_three = [r.activity.code for r in returns.select_related("activity")[:3]]
    ActivityReturn.objects.filter(assessment=assessment).exclude(activity__code__in=first_three).update(
        implementation_status=ImplementationStatus.NOT_STARTED,
        not_applicable_reason="",  # kept with Not applicable alone
        is_complete=True,
        confirmed=True,
    )

    # Sign in: Tab to each field, type, and press Enter in the form.
    page.goto("/account/sign-in/")
    tab_to(page, "Skip to main content")
    tab_to(page, "Email address")
    page.keyboard.type(people.spoc.email)
    tab_to(page, "Password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Cleveland Police")

    # The start button is a link styled as a button: Space works on it, as on a real button.
    tab_to(page, "Go to the task list")
    page.keyboard.press("Space")
    expect(heading(page)).to_have_text("Record your force's progress")
    tab_to(page, re.compile(f"^{first_three[0]} "))
    page.keyboard.press("Enter")
    expect(heading(page)).to_contain_text(first_three[0])

    # First activity: save with no answer, then follow the error summary link to the first radio.
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    tab_to(page, "Select how far the force has implemented this activity", role="a")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Not started", exact=True)).to_be_focused()
    assert_focus_visible(page)
    save_screenshot(page, "keyboard-error-link-to-radio")
    page.keyboard.press("Space")
    expect(page.get_by_label("Not started", exact=True)).to_be_checked()
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(heading(page)).to_contain_text(first_three[1])

    # Second activity: an impossible target date; the error link lands on the day input.
    tab_to(page, "What good looks like")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Examples of evidence")).to_be_visible()
    tab_to(page, "Not started", role="input:radio")
    page.keyboard.press("Space")
    tab_to(page, "Day", role="input:text")
    page.keyboard.type("31")
    tab_to(page, "Month", role="input:text")
    page.keyboard.type("2")
    tab_to(page, "Year", role="input:text")
    page.keyboard.type("2027")
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    tab_to(page, "Target date must be a real date", role="a")
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_target_date_0"
    expect(page.get_by_role("group", name="Target date").get_by_label("Day")).to_be_focused()
    assert_focus_visible(page)
    save_screenshot(page, "keyboard-error-link-to-day")
    # Tabbing into a text input selects what is in it, so typing replaces the wrong month.
    tab_to(page, "Month", role="input:text")
    page.keyboard.type("3")
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(heading(page)).to_contain_text(first_three[2])

    # Third activity: with Tab alone a radio group is entered at its first option (other options need
    # the arrow keys, which this test does not use). Go one button too far, then Shift+Tab back.
    tab_to(page, "Not started", role="input:radio")
    page.keyboard.press("Space")
    expect(page.get_by_label("Not started", exact=True)).to_be_checked()
    tab_to(page, "Save as draft")
    tab_to(page, "Save and return to task list", back=True)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Record your force's progress")

    # Check answers, tick the declaration with Space and submit with Enter.
    tab_to(page, "Check your answers and submit", limit=200)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Check your answers before submitting")
    tab_to(page, re.compile("I confirm that"), role="input:checkbox", limit=200)
    page.keyboard.press("Space")
    tab_to(page, "Accept and submit")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Assessment submitted")
    assert_accessible(page, "keyboard-submitted")

    assessment.refresh_from_db()
    assert assessment.status == WorkflowStatus.SUBMITTED
    answers = {r.activity.code: r for r in assessment.returns.select_related("activity")}
    assert answers[first_three[0]].implementation_status == ImplementationStatus.NOT_STARTED
    assert answers[first_three[1]].target_date == datetime.date(2027, 3, 31)
    assert answers[first_three[2]].implementation_status == ImplementationStatus.NOT_STARTED


# Each error summary link's target, and whether every target comes after the one before it in the page.
SUMMARY_TARGETS = """() => {
  const links = [...document.querySelectorAll('.govuk-error-summary__list a')];
  const targets = links.map(a => document.getElementById(a.getAttribute('href').slice(1)));
  const inOrder = targets.every((t, i) => t && (i === 0
    || (targets[i - 1].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)));
  return {ids: targets.map(t => t && t.id), inOrder};
}"""


def test_one_error_summary_for_the_answer_and_a_reference_with_the_keyboard_alone(page: Page, people: People):
    opened = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    assessment = Assessment.objects.get(round=opened.round, force=people.cleveland)
    code = assessment.returns.order_by("activity__area__number", "activity__order")[0].activity.code
    sign_in(page, people.spoc.email)
    page.goto(f"/assessments/{assessment.pk}/activities/{code}/")

    # "Implemented" with no evidence, and a reference with only where it is held: both forms are wrong.
    tab_to(page, "Not started", role="input:radio")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Implemented", exact=True)).to_be_checked()
    tab_to(page, "Where it is held", role="input:text")
    page.keyboard.type("Policy library, public protection folder")
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")

    # One summary, focused on load, listing every error in the order the fields come in the page.
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Summarise the evidence that shows this activity is implemented",
            "Enter the name of the document or source",
            "Enter the date this evidence applies to",
        ]
    )
    targets = page.evaluate(SUMMARY_TARGETS)
    assert targets == {
        "ids": ["id_evidence_summary", "id_ref-0-title", "id_ref-0-applies_on_0"],
        "inOrder": True,
    }
    assert_accessible(page, "keyboard-activity-two-kinds-of-error")

    # Each link moves the focus to its field; Shift+Tab goes back up to the summary for the next one.
    tab_to(page, "Summarise the evidence", role="a")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Evidence summary")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Chief officer portfolio list, March 2026")
    tab_to(page, "Enter the name of the document or source", role="a", back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Document or source")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Modern slavery delivery plan")
    tab_to(page, "Enter the date this evidence applies to", role="a", back=True)
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_ref-0-applies_on_0"
    assert_focus_visible(page)
    save_screenshot(page, "keyboard-error-link-to-reference-date")
    page.keyboard.type("1")
    tab_to(page, "Month", role="input:text")
    page.keyboard.type("3")
    tab_to(page, "Year", role="input:text")
    page.keyboard.type("2026")
    tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(heading(page)).not_to_contain_text(code)

    saved = ActivityReturn.objects.get(assessment=assessment, activity__code=code)
    assert saved.implementation_status == ImplementationStatus.IMPLEMENTED
    assert saved.evidence_references == [
        {
            "title": "Modern slavery delivery plan",
            "location": "Policy library, public protection folder",
            "applies_on": "2026-03-01",
        }
    ]


def test_the_focus_check_itself_catches_an_invisible_focus(page: Page, live_server):
    """Guard the harness: a link whose focus style is removed must fail assert_focus_visible."""
    page.set_content(
        '<html lang="en"><head><title>t</title><style>a:focus{outline:none}</style></head>'
        '<body><main><a href="#x">Hidden focus</a></main></body></html>'
    )
    page.keyboard.press("Tab")
    assert focus(page) == {"role": "a", "name": "Hidden focus", "visible": False, "onScreen": True}
    with pytest.raises(AssertionError, match="focus is not visible"):
        assert_focus_visible(page)
