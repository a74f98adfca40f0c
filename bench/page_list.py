"""The pages bench.pages measures and how they are requested: the page list (PAGES), the people and rows
they are requested for (World), signing in, and one request or one query count per page.

Shared with tests/bench/test_flat_queries.py, which imports these through bench.pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class Page:
    """One page to measure: who asks for it, how, and which target applies."""

    name: str
    label: str
    who: str  # "spoc", "coordinator" or "national": the user signed in
    url: Callable[[Any], str]  # from the World below
    post: Callable[[Any], dict[str, str]] | None = None
    heat_map: bool = False
    expect: int = 200


@dataclass(frozen=True)
class World:
    """The people and rows the pages are requested for, found in the generated data."""

    spoc: Any  # strategic SPOC of the first force, whose current assessment is a draft
    coordinator: Any  # coordinator of the first force's region
    national: Any
    draft: Any  # the first force's current assessment (draft)
    submitted: Any  # the second force's current assessment (submitted), or the draft if only one force
    region: Any


def world_from(data: Any) -> World:
    """Pick the pages' subjects from a GeneratedData: the first force (draft) and the second (submitted)."""
    from accounts.models import User
    from assessments.generator import NATIONAL_EMAIL
    from assessments.models import Assessment

    first = data.forces[0]
    second = data.forces[1] if len(data.forces) > 1 else first
    current = {a.force_id: a for a in Assessment.objects.filter(round=data.current_round)}
    return World(
        spoc=User.objects.get(email=f"spoc.{first.code}@example.com"),
        coordinator=User.objects.get(email=f"coordinator.{first.region.slug}@example.com"),
        national=User.objects.get(email=NATIONAL_EMAIL),
        draft=current[first.pk],
        submitted=current[second.pk],
        region=first.region,
    )


def _activity_post(world: World) -> dict[str, str]:
    """A complete answer for RI03, as the browser sends it, against the return's current revision."""
    from assessments.models import ActivityReturn

    revision = ActivityReturn.objects.get(assessment=world.draft, activity__code="RI03").revision
    return {
        "implementation_status": "in_progress",
        "not_applicable_reason": "",
        "evidence_summary": "Pilot running in two districts.",
        "next_steps": "Roll out force-wide after the pilot review.",
        "action_owner": "Head of public protection",
        "target_date_0": "31",
        "target_date_1": "3",
        "target_date_2": "2031",
        "revision": str(revision),
        "action": "draft",
        "ref-TOTAL_FORMS": "1",
        "ref-INITIAL_FORMS": "0",
        "ref-MIN_NUM_FORMS": "0",
        "ref-MAX_NUM_FORMS": "10",
    }


def _open_action(world: World) -> int:
    """One of the draft force's open actions on its register (the generator always raises some)."""
    from assessments.actions import open_action_q
    from assessments.models import ActivityReturn

    action_id = (
        ActivityReturn.objects.filter(open_action_q(), assessment=world.draft, action__isnull=False)
        .order_by("activity__area__number", "activity__order")
        .values_list("action_id", flat=True)
        .first()
    )
    if action_id is None:
        raise RuntimeError("The generated draft has no open action to close.")
    return action_id


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


PAGES: list[Page] = [
    Page(
        "spoc_home",
        "SPOC home (force page)",
        "spoc",
        lambda w: _url("assessments:force_home", force_code=w.draft.force.code),
    ),
    Page(
        "force_actions",
        "Open actions (force register)",
        "spoc",
        lambda w: _url("assessments:force_actions", force_code=w.draft.force.code),
    ),
    Page(
        "force_closed_actions",
        "Open and closed actions (force register)",
        "spoc",
        lambda w: _url("assessments:force_actions", force_code=w.draft.force.code) + "?show=closed",
    ),
    Page(
        "action_close",
        "Close an action (GET)",
        "spoc",
        lambda w: _url("assessments:action_close", force_code=w.draft.force.code, action_id=_open_action(w)),
    ),
    Page("task_list", "Task list", "spoc", lambda w: _url("assessments:task_list", assessment_id=w.draft.pk)),
    Page(
        "activity_get",
        "Activity page (GET)",
        "spoc",
        lambda w: _url("assessments:activity", assessment_id=w.draft.pk, code="RI03"),
    ),
    Page(
        "activity_post",
        "Activity page (POST, save)",
        "spoc",
        lambda w: _url("assessments:activity", assessment_id=w.draft.pk, code="RI03"),
        post=_activity_post,
        expect=302,
    ),
    Page(
        "check_answers",
        "Check your answers",
        "spoc",
        lambda w: _url("assessments:check_answers", assessment_id=w.draft.pk),
    ),
    Page(
        "history",
        "Activity history",
        "spoc",
        lambda w: _url("assessments:return_history", assessment_id=w.draft.pk, code="LG01"),
    ),
    Page(
        "review",
        "Coordinator review page",
        "coordinator",
        lambda w: _url("admin:assessments_assessment_review", object_id=w.submitted.pk),
    ),
    Page(
        "review_returned",
        "Coordinator review page, one group (status down)",
        "coordinator",
        lambda w: _url("admin:assessments_assessment_review", object_id=w.submitted.pk) + "?show=down",
    ),
    Page(
        "pipeline_coordinator",
        "Pipeline and turnaround (coordinator)",
        "coordinator",
        lambda w: _url("assessments:pipeline"),
    ),
    Page(
        "pipeline_national",
        "Pipeline and turnaround (national)",
        "national",
        lambda w: _url("assessments:pipeline"),
    ),
    Page(
        "region_overview",
        "Regional overview (heat map)",
        "coordinator",
        lambda w: _url("assessments:region_overview", region_slug=w.region.slug),
        heat_map=True,
    ),
    Page(
        "national_overview",
        "National overview (heat map)",
        "national",
        lambda w: _url("assessments:national_overview"),
        heat_map=True,
    ),
    Page(
        "region_actions",
        "Overdue actions (region)",
        "coordinator",
        lambda w: _url("assessments:region_actions", region_slug=w.region.slug),
    ),
    Page(
        "national_actions",
        "Overdue actions (national)",
        "national",
        lambda w: _url("assessments:national_actions"),
    ),
    Page(
        "changelist_coordinator",
        "Admin changelist (coordinator)",
        "coordinator",
        lambda w: _url("admin:assessments_assessment_changelist"),
    ),
    Page(
        "changelist_national",
        "Admin changelist (national)",
        "national",
        lambda w: _url("admin:assessments_assessment_changelist"),
    ),
]


STAFF = frozenset({"coordinator", "national"})


def sign_in(client: Any, user: Any, *, staff: bool) -> None:
    """Sign in as the user: staff with a verified second factor (the shared test helper), others plainly."""
    if staff:
        try:
            from tests.factories import verified_staff_login
        except ImportError:  # before the second factor landed
            pass
        else:
            verified_staff_login(client, user)
            return
    client.force_login(user)


TRANSACTION_CONTROL = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
)


def counted(captured: Any) -> int:
    """Queries, not transaction control: SQLite logs BEGIN and COMMIT, PostgreSQL does not, and tests
    turn them into savepoints, so leaving them out makes one count hold on both databases and in tests."""
    return sum(
        1 for query in captured.captured_queries if not query["sql"].upper().startswith(TRANSACTION_CONTROL)
    )


def send(client: Any, url: str, data: dict[str, str] | None) -> Any:
    """GET, or POST the form as a browser does: the service's forms have no file inputs, so browsers
    send them urlencoded (the test client's default, multipart, costs the server more to parse)."""
    if data is None:
        return client.get(url)
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def request(client: Any, page: Page, world: World) -> Any:
    """One request for the page; fails loudly if the page does not answer as expected."""
    url = page.url(world)
    response = send(client, url, page.post(world) if page.post else None)
    if response.status_code != page.expect:
        raise AssertionError(f"{page.name}: {url} answered {response.status_code}, expected {page.expect}")
    return response


def query_count(client: Any, page: Page, world: World) -> int:
    """The number of SQL queries one request for the page makes (the request itself, nothing else)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = page.url(world)
    data = page.post(world) if page.post else None
    with CaptureQueriesContext(connection) as captured:
        response = send(client, url, data)
    if response.status_code != page.expect:
        raise AssertionError(f"{page.name}: {url} answered {response.status_code}, expected {page.expect}")
    return counted(captured)


def clients_for(world: World) -> dict[str, Any]:
    """One signed-in client per person, so sessions stay small and separate."""
    from django.test import Client

    clients = {}
    for who in ("spoc", "coordinator", "national"):
        client = Client()
        sign_in(client, getattr(world, who), staff=who in STAFF)
        clients[who] = client
    return clients
