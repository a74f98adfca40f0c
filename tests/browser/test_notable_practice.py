"""Notable practice end to end in a real browser (issue 17): a coordinator nominates while reviewing,
the force's SPOC consents, national staff publish, and a SPOC of a force in another region reads it.
Every new page is checked with axe."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from accounts.roles import Role
from actionplan.models import ActionPlan
from assessments import workflow
from assessments.models import ActivityReturn, Assessment, Force
from assessments.services import round_open
from tests.browser.conftest import People, assert_accessible, sign_in
from tests.factories import user_with_role

SHARED = "Custody sergeants screen every detainee for signs of exploitation; audited monthly."


def _sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_practice_goes_from_nomination_to_another_forces_spoc(page: Page, people: People):
    new_round = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    ).round
    cleveland = Assessment.objects.get(round=new_round, force=people.cleveland)
    ActivityReturn.objects.filter(assessment=cleveland).update(
        implementation_status="implemented",
        not_applicable_reason="",  # kept with Not applicable alone
        evidence_summary=SHARED,
        confirmed=True,
        is_complete=True,
    )
    workflow.submit(cleveland, by=people.spoc)
    far_force = Force.objects.exclude(region=people.cleveland.region).order_by("name").first()
    far_spoc = user_with_role(Role.SPOC, force=far_force, email="far.spoc@force.example", full_name="Fay Far")

    sign_in(page, people.coordinator.email)
    page.goto(f"/admin/assessments/assessment/{cleveland.pk}/review/")
    page.get_by_label("Activity", exact=True).select_option("LG01")
    page.get_by_label("Why should other forces see this?").fill("Simple, audited and cheap to copy")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("LG01 nominated as notable practice")).to_be_visible()
    _sign_out(page)

    sign_in(page, people.spoc.email)
    page.goto("/forces/cleveland/notable-practice/")
    assert_accessible(page, "force-notable-practice")
    page.get_by_role("link", name="LG01").click()
    assert_accessible(page, "force-notable-practice-item")
    page.get_by_role("button", name="Agree to share").click()
    expect(page.get_by_text("Select whether to name the force or share it anonymously").first).to_be_visible()
    page.get_by_label("Name the force").check()
    page.get_by_label("What other forces will read").fill(SHARED + " Ask our custody lead for the checklist.")
    page.get_by_role("button", name="Agree to share").click()
    expect(page.get_by_text("You agreed to share LG01")).to_be_visible()
    _sign_out(page)

    sign_in(page, people.national.email)
    page.goto("/national/notable-practice/")
    assert_accessible(page, "national-notable-practice")
    page.get_by_role("button", name="Publish LG01").click()
    expect(page.get_by_text("LG01 is published")).to_be_visible()
    _sign_out(page)

    sign_in(page, far_spoc.email)
    page.goto("/notable-practice/")
    expect(page.get_by_text("Ask our custody lead for the checklist.")).to_be_visible()
    expect(page.get_by_text("Cleveland Police, North East")).to_be_visible()
    assert_accessible(page, "notable-practice-library")
    far = Assessment.objects.get(round=new_round, force=far_force)
    page.goto(f"/assessments/{far.pk}/activities/LG01/")
    expect(page.get_by_role("heading", name="Notable practice from other forces")).to_be_visible()
    expect(page.get_by_text("Ask our custody lead for the checklist.")).to_be_visible()
    page.goto("/action-plan/")
    expect(page.get_by_text("1 published")).to_be_visible()
