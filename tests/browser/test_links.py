"""Every link a role is shown leads somewhere it may go: no "You cannot do that" (403), no "Page not found".

Signed in as each role, the Django test client starts at the home page and follows every link on every
page it reaches, the admin included for the roles that use it, as someone clicking through would. A link
is only as good as what the reader may open, so the walk is per role. It needs no browser: it sits with
the browser tests to share their people and real reference data.

The national picture has hundreds of pages of the same few kinds (a page per force, a filter or sort
order per admin list), so the walk opens a few links of each kind and reads the links on fewer still;
a file (a PDF, a spreadsheet) is made once per kind, as making one is slow and its links are none.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User
from accounts.roles import Role
from actionplan.models import ActionPlan
from assessments import workflow
from assessments.models import Assessment
from assessments.services import round_open
from tests.assessments.workflow_states import make_complete
from tests.browser.conftest import People
from tests.factories import verified_staff_login

# Links of one kind that are opened, and pages of one kind whose links are read.
LINKS_PER_KIND = 8
PAGES_READ_PER_KIND = 3
# A bound on the whole walk, far above what any role reaches, so a loop of ever-new addresses fails.
MOST_PAGES = 1500
REFUSED = {403, 404, 405, 410}


class _Links(HTMLParser):
    """The href of every <a> on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def kind_of(address: str) -> tuple[str, bool]:
    """A page's kind: the view it resolves to, and whether a query (a filter, a sort order) refines it."""
    parts = urlsplit(address)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return view, bool(parts.query)


@dataclass
class Walk:
    """What one role's walk found: each address opened, the page that linked to it, and what went wrong."""

    opened: dict[str, int] = field(default_factory=dict)
    came_from: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def walk(client: Client) -> Walk:
    """Open every link reachable from the home page, breadth first."""
    found = Walk()
    queue = ["/"]
    links_opened: Counter[tuple[str, bool]] = Counter()
    pages_read: Counter[tuple[str, bool]] = Counter()
    files: set[tuple[str, bool]] = set()
    while queue:
        address = queue.pop(0)
        if address in found.opened:
            continue
        kind = kind_of(address)
        if links_opened[kind] >= LINKS_PER_KIND or kind in files:
            continue
        links_opened[kind] += 1
        assert len(found.opened) < MOST_PAGES, f"the walk reached {MOST_PAGES} pages: {queue[:5]}"
        response = client.get(address, follow=True)
        found.opened[address] = response.status_code
        source = found.came_from.get(address, "(start)")
        landed = response.request["PATH_INFO"]
        if response.status_code in REFUSED or response.status_code >= 500:
            found.problems.append(f"{address} answered {response.status_code}; linked from {source}")
            continue
        if response.redirect_chain and landed.startswith(("/account/sign-in/", "/admin/login/")):
            found.problems.append(f"{address} sent a signed-in reader to sign in; linked from {source}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            files.add(kind)
            continue
        if pages_read[kind] >= PAGES_READ_PER_KIND:
            continue
        pages_read[kind] += 1
        parser = _Links()
        parser.feed(response.content.decode())
        base = "http://testserver" + landed
        for href in parser.hrefs:
            target = urlsplit(urljoin(base, href))
            if target.scheme not in ("http", "https") or target.netloc != "testserver":
                continue  # other sites, mailto: and the like
            local = target.path + (f"?{target.query}" if target.query else "")
            if local not in found.opened:
                found.came_from.setdefault(local, address)
                queue.append(local)
    return found


def a_round_with_every_state(people: People) -> Assessment:
    """Cleveland signed off in one round and submitted in the next, so every kind of page has content."""
    plan = ActionPlan.objects.get(is_current=True)
    first = round_open(
        name="2026-27 autumn review",
        plan=plan,
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 31),
        opened_by=people.national,
    ).round
    signed = Assessment.objects.get(round=first, force=people.cleveland)
    make_complete(signed)
    workflow.submit(signed, by=people.spoc)
    workflow.sign_off(signed, by=people.coordinator, comment="Signed off.")
    second = round_open(
        name="2027-28 spring review",
        plan=plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 7, 31),
        opened_by=people.national,
    ).round
    submitted = Assessment.objects.get(round=second, force=people.cleveland)
    make_complete(submitted)
    workflow.submit(submitted, by=people.spoc)
    return submitted


READERS = [Role.SPOC, Role.CHIEF_OFFICER, Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", READERS, ids=[role.value for role in READERS])
def test_every_link_a_role_is_shown_opens(people: People, role: Role):
    a_round_with_every_state(people)
    reader: User = people.user(role)
    client = Client()
    verified_staff_login(client, reader)  # staff have passed the second factor; others are signed in

    found = walk(client)

    if found.problems:
        pytest.fail(
            "\n".join([f"{role.label} follows links that go nowhere:", *found.problems]), pytrace=False
        )
    # The walk really went round the service, the admin included for the roles that use it.
    opened = list(found.opened)
    assert any(address.startswith("/assessments/") for address in opened)
    uses_admin = role in (Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR)
    assert any(address.startswith("/admin/assessments/assessment/") for address in opened) is uses_admin
