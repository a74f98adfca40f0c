"""The force home's "Implementation by process area" table: whole at 1280 px, reflowing at 320 px.

At 1280 px the table fits its column, with nothing hidden behind a scroll bar; at 320 px (400% zoom) it
may scroll inside its own region, and nothing else on the page scrolls sideways. The page stays axe
clean at both widths, and a chief officer's page leads with the reports.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import People, assert_accessible, sign_in
from tests.browser.test_reflow import assert_reflows, open_round_with_answers

TABLE_REGION = "Implementation status counts by process area"


def test_the_process_area_table_is_whole_at_1280_and_reflows_at_320(page: Page, people: People):
    open_round_with_answers(people)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, people.chief_officer.email)
    page.goto("/forces/cleveland/")
    region = page.get_by_role("region", name=TABLE_REGION)
    expect(region).to_be_visible()
    scroll_width, client_width = region.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width <= client_width, f"the table is {scroll_width}px wide in a {client_width}px region"
    expect(page.get_by_role("button", name="View reports")).to_be_visible()
    assert_accessible(page, "force-home-1280")

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_reflows(page, "force-home-table")
    assert_accessible(page, "force-home-320")
