"""The action register and the overdue roll-ups in a real browser, checked with axe (issue 15)."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from actionplan.models import ActionPlan
from assessments.models import ActivityReturn
from assessments.services import round_open
from tests.browser.conftest import People, assert_accessible, sign_in


def test_the_action_register_pages_are_accessible(page: Page, people: People):
    new_round = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    ).round
    returns = ActivityReturn.objects.filter(assessment__round=new_round, assessment__force=people.cleveland)
    first, second = returns.order_by("activity__area__number", "activity__order")[:2]
    ActivityReturn.objects.filter(pk=first.pk).update(
        implementation_status="in_progress",
        next_steps="Train every custody sergeant",
        action_owner="DCI Shaw",
        target_date=datetime.date(2020, 1, 31),
    )
    ActivityReturn.objects.filter(pk=second.pk).update(
        implementation_status="planned", next_steps="Agree a lead", action_owner="DI Rao", target_date=None
    )
    sign_in(page, people.national.email)

    page.goto("/forces/cleveland/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open actions")
    expect(page.get_by_text("2 of 2 open actions")).to_be_visible()
    assert_accessible(page, "force-action-register")

    page.get_by_label("Due").select_option("overdue")
    page.get_by_role("button", name="Show actions").click()
    expect(page.get_by_text("1 of 2 open actions")).to_be_visible()

    page.goto("/regions/north-east/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue actions")
    assert_accessible(page, "region-overdue-actions")

    page.goto("/national/actions/")
    expect(page.get_by_role("region", name="Overdue actions by force and process area")).to_be_visible()
    assert_accessible(page, "national-overdue-actions")


def close_link(page: Page, code: str):
    row = page.locator("#open-actions tbody tr").filter(has=page.get_by_role("rowheader", name=code))
    return row.get_by_role("link", name="Done or replaced")


def test_a_spoc_closes_and_replaces_actions_accessibly(page: Page, people: People):
    """The close page (with its error summary), the register after it, and the closed-actions view."""
    from assessments.services import actions_from_returns

    new_round = round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    ).round
    returns = ActivityReturn.objects.filter(assessment__round=new_round, assessment__force=people.cleveland)
    first, second = returns.order_by("activity__area__number", "activity__order")[:2]
    ActivityReturn.objects.filter(pk=first.pk).update(
        implementation_status="in_progress",
        next_steps="Train every custody sergeant",
        action_owner="DCI Shaw",
        target_date=datetime.date(2020, 1, 31),
    )
    ActivityReturn.objects.filter(pk=second.pk).update(
        implementation_status="planned", next_steps="Agree a lead", action_owner="DI Rao", target_date=None
    )
    actions_from_returns(force_ids=[people.cleveland.pk])
    sign_in(page, people.spoc.email)

    page.goto("/forces/cleveland/actions/")
    close_link(page, first.activity.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Close the action on {first.activity.code}")
    assert_accessible(page, "action-close")
    page.get_by_label("Replaced").check()
    page.get_by_role("button", name="Close the action").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "action-close-error")
    page.get_by_label("New next step").fill("Train every custody sergeant and inspector")
    page.get_by_label("New action owner").fill("DCI Shaw")
    page.get_by_role("button", name="Close the action").click()
    expect(page.get_by_text(f"The action on {first.activity.code} is replaced.")).to_be_visible()
    expect(page.get_by_text("Train every custody sergeant and inspector")).to_be_visible()

    close_link(page, second.activity.code).click()
    page.get_by_label("Done").check()
    page.get_by_label("Note (optional)").fill("A lead was agreed in October")
    page.get_by_role("button", name="Close the action").click()
    expect(page.get_by_text("1 of 1 open action")).to_be_visible()

    page.get_by_role("link", name="Show actions marked done or replaced").click()
    expect(page.get_by_role("region", name="Closed actions")).to_be_visible()
    expect(page.get_by_text("A lead was agreed in October")).to_be_visible()
    assert_accessible(page, "closed-actions")
