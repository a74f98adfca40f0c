"""Regional and national overviews with a heat map, in a real browser with axe, and at 320 pixels."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from actionplan.models import ActionPlan
from assessments.services import round_open
from tests.browser.conftest import People, assert_accessible, save_screenshot, sign_in


@pytest.mark.parametrize(
    ("role", "path", "name"),
    [(Role.COORDINATOR, "/regions/north-east/", "region"), (Role.NATIONAL, "/national/", "national")],
)
def test_overviews_with_a_heat_map_are_accessible(page: Page, people: People, role, path, name):
    round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    sign_in(page, people.user(role).email)
    page.goto(path)
    expect(
        page.get_by_role(
            "table", name="Implementation status of every activity for each force, grouped by process area"
        )
    ).to_be_visible()
    assert_accessible(page, f"{name}-overview-with-round")
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.closest('.app-table-scroll'))
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_force_names_stay_in_view_while_the_heat_map_scrolls_sideways(page: Page, people: People):
    round_open(
        name="2026-27 autumn review",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    )
    sign_in(page, people.national.email)
    page.goto("/national/")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        box = page.get_by_role("region", name="Implementation by activity")
        force = box.get_by_role("rowheader", name="Cleveland Police")
        box.evaluate("e => e.scrollLeft = e.scrollWidth")
        assert box.evaluate("e => e.scrollLeft") > 0, f"the heat map does not scroll at {width}px"
        box_left = box.evaluate("e => e.getBoundingClientRect().left")
        force_left = force.evaluate("e => e.getBoundingClientRect().left")
        assert abs(force_left - box_left) <= 1, f"Cleveland Police scrolled out of view at {width}px"
        save_screenshot(page, f"heat-map-scrolled-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
