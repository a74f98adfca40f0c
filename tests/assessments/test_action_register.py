"""The action register pages (issue 15): the force's open actions, and the overdue roll-ups.

The rule itself is tested in test_actions.py; these tests prove the pages read it, filter by owner,
due date and area, show empty states, stay in scope, and make as many queries for many forces and
rounds as for few.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import ActivityReturn, Assessment
from assessments.services import activity_return_save, round_open
from tests.conftest import complete_values
from tests.factories import ForceFactory, verified_staff_login

PAST = datetime.date(2020, 1, 31)
FUTURE = datetime.date(2099, 1, 31)


def _save(assessment, spoc, code, **values):
    activity_return = assessment.returns.get(activity__code=code)
    activity_return_save(
        activity_return_id=activity_return.pk,
        values=complete_values(**values),
        by=spoc,
        expected_revision=activity_return.revision,
    )


@pytest.fixture
def actions(world, home_assessment):
    """Cleveland: an overdue action owned by DCI Shaw, one due later, one undated, one stale on an
    implemented activity; the codes in plan order."""
    codes = list(
        home_assessment.returns.order_by("activity__area__number", "activity__order").values_list(
            "activity__code", flat=True
        )
    )
    _save(
        home_assessment, world.spoc, codes[0], status="in_progress", target_date=PAST, action_owner="DCI Shaw"
    )
    _save(home_assessment, world.spoc, codes[1], status="planned", target_date=FUTURE, action_owner="DI Rao")
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code=codes[2]).update(
        implementation_status="not_started",
        next_steps="Agree a lead",
        action_owner="DI Rao",
        target_date=None,
    )
    _save(home_assessment, world.spoc, codes[3], status="implemented", target_date=PAST, next_steps="Stale")
    last = codes[-1]  # an overdue action in the last area, for the area filter
    _save(home_assessment, world.spoc, last, status="in_progress", target_date=PAST, action_owner="DI Rao")
    return codes[:4] + [last]


def register(client, **params):
    response = client.get(reverse("assessments:force_actions", kwargs={"force_code": "cleveland"}), params)
    assert response.status_code == 200
    return response.content.decode()


def listed(page, codes):
    return [code for code in codes if f">{code}<span" in page]


def test_the_register_lists_open_actions_only(client, world, actions):
    overdue, later, undated, stale, last = actions
    client.force_login(world.chief_officer)
    page = register(client)
    assert listed(page, actions) == [overdue, later, undated, last]
    assert "4 of 4 open actions" in page
    assert "No target date" in page and "Overdue by" in page
    assert "(self-declared draft)" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "DCI Shaw"}, [0]),
        ({"owner": "DI Rao"}, [1, 2, 4]),
        ({"due": "overdue"}, [0, 4]),
        ({"due": "no_target_date"}, [2]),
        ({"due": "later"}, [1]),
        ({"due": "nonsense"}, [0, 1, 2, 4]),  # an unknown choice is ignored, not a 500
        ({"due": "overdue", "owner": "DI Rao"}, [4]),
    ],
)
def test_the_register_filters_by_owner_and_due_date(client, world, actions, params, expected):
    client.force_login(world.spoc)
    assert listed(register(client, **params), actions) == [actions[i] for i in expected]


def test_the_register_filters_by_process_area(client, world, actions):
    client.force_login(world.spoc)
    prefix = actions[-1][:2]
    assert listed(register(client, area=prefix), actions) == [actions[-1]]


def test_empty_states(client, world, home_assessment, actions):
    client.force_login(world.spoc)
    assert "No open actions match" in register(client, owner="Nobody at all")
    ActivityReturn.objects.filter(assessment=home_assessment).update(next_steps="")
    assert "Cleveland Police has no open actions." in register(client)


def test_a_force_without_an_assessment_has_an_empty_register(client, world):
    client.force_login(world.spoc)
    assert "has no assessment yet" in register(client)


def test_out_of_scope_is_404(client, world, home_assessment):
    client.force_login(world.spoc)
    assert (
        client.get(reverse("assessments:force_actions", kwargs={"force_code": "durham"})).status_code == 404
    )
    assert (
        client.get(reverse("assessments:region_actions", kwargs={"region_slug": "north-east"})).status_code
        == 404
    )
    assert client.get(reverse("assessments:national_actions")).status_code == 404
    verified_staff_login(client, world.coordinator)
    assert (
        client.get(reverse("assessments:region_actions", kwargs={"region_slug": "wales"})).status_code == 404
    )
    assert client.get(reverse("assessments:national_actions")).status_code == 404


def test_the_roll_ups_count_overdue_actions_by_force_and_area(client, world, actions):
    verified_staff_login(client, world.coordinator)
    page = client.get(
        reverse("assessments:region_actions", kwargs={"region_slug": "north-east"})
    ).content.decode()
    assert "2 overdue actions in 2 forces" in page  # Cleveland's two; Durham none
    assert "Self-declared draft, 2026-27 autumn review" in page
    assert "Gwent" not in page
    verified_staff_login(client, world.national)
    page = client.get(reverse("assessments:national_actions")).content.decode()
    assert "2 overdue actions in 3 forces" in page and "Gwent Police" in page


def test_the_pages_are_linked_from_the_force_home_and_the_overviews(client, world, home_assessment):
    client.force_login(world.spoc)
    assert "/forces/cleveland/actions/" in client.get("/forces/cleveland/").content.decode()
    verified_staff_login(client, world.national)
    page = client.get(
        reverse("assessments:region_overview", kwargs={"region_slug": "north-east"})
    ).content.decode()
    assert "/regions/north-east/actions/" in page
    assert "/national/actions/" in client.get(reverse("assessments:national_overview")).content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_stay_flat_as_forces_and_rounds_grow(client, world, actions, action_plan):
    urls = {
        "force": reverse("assessments:force_actions", kwargs={"force_code": "cleveland"}),
        "region": reverse("assessments:region_actions", kwargs={"region_slug": "north-east"}),
        "national": reverse("assessments:national_actions"),
    }
    verified_staff_login(client, world.national)
    before = {name: _count(client, url) for name, url in urls.items()}
    assert max(before.values()) <= 12, before
    for _ in range(5):
        ForceFactory(region=world.home_region)
    for index in range(2):
        round_open(
            name=f"Round {index}",
            plan=action_plan,
            opens_on=datetime.date(2027 + index, 1, 1),
            due_on=datetime.date(2027 + index, 3, 1),
            opened_by=world.national,
        )
    assert Assessment.objects.count() > 10
    assert {name: _count(client, url) for name, url in urls.items()} == before


def _register(client, force_code="cleveland", **params):
    return client.get(reverse("assessments:force_actions", kwargs={"force_code": force_code}), params)


def _action_of(assessment, code):
    return assessment.returns.get(activity__code=code).action


def test_the_register_shows_raised_in_and_target_moves(client, world, home_assessment, actions):
    _save(
        home_assessment, world.spoc, actions[0], status="in_progress", target_date=datetime.date(2021, 5, 1)
    )
    verified_staff_login(client, world.spoc)
    html = _register(client).content.decode()
    row = html[html.index(f">{actions[0]}<") : html.index("</tr>", html.index(f">{actions[0]}<"))]
    assert f"Raised in {home_assessment.round.name}; target moved 1 time" in row
    assert "Done or replaced" in row
    # A chief officer sees the register but cannot close actions.
    verified_staff_login(client, world.chief_officer)
    assert "Done or replaced" not in _register(client).content.decode()


def test_a_spoc_marks_an_action_done_and_it_leaves_the_register(client, world, home_assessment, actions):
    action = _action_of(home_assessment, actions[0])
    url = reverse("assessments:action_close", kwargs={"force_code": "cleveland", "action_id": action.pk})
    verified_staff_login(client, world.spoc)
    assert "Close the action on" in client.get(url).content.decode()
    response = client.post(url, {"how": "done", "note": "Delivered"})
    assert response.status_code == 302
    html = _register(client).content.decode()
    assert f">{actions[0]}<" not in html.split('id="closed-actions-heading"')[0]
    closed = _register(client, show="closed").content.decode()
    assert "Done</strong> by Sam Spoc on" in closed and "Delivered" in closed
    # Gone from the overdue roll-up too.
    verified_staff_login(client, world.national)
    assert client.get(reverse("assessments:national_actions")).context["roll_up"].total == 1
    # Closing it again is a message, not an error.
    verified_staff_login(client, world.spoc)
    assert client.post(url, {"how": "done"}).status_code == 404


def test_replacing_needs_a_new_next_step_and_says_so(client, world, home_assessment, actions):
    action = _action_of(home_assessment, actions[0])
    url = reverse("assessments:action_close", kwargs={"force_code": "cleveland", "action_id": action.pk})
    verified_staff_login(client, world.spoc)
    response = client.post(url, {"how": "replaced", "next_steps": "", "note": "x"})
    assert response.status_code == 200
    assert "Enter the new next step that replaces this action" in response.content.decode()
    response = client.post(url, {"how": "replaced", "next_steps": "New plan"})
    assert "Enter who owns the new next step, or give a target date" in response.content.decode()
    response = client.post(
        url,
        {
            "how": "replaced",
            "next_steps": "New plan",
            "action_owner": "DI Rao",
            "target_date_0": "28",
            "target_date_1": "2",
            "target_date_2": "2030",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.closed_as == "replaced"
    current = home_assessment.returns.get(activity__code=actions[0])
    assert (current.next_steps, current.action_owner) == ("New plan", "DI Rao")
    assert "New plan" in _register(client).content.decode()
    response = client.post(url, {"how": "nonsense"})
    assert response.status_code == 404


def test_only_the_forces_spoc_may_close_and_others_see_404_or_403(client, world, home_assessment, actions):
    action = _action_of(home_assessment, actions[0])
    url = reverse("assessments:action_close", kwargs={"force_code": "cleveland", "action_id": action.pk})
    verified_staff_login(client, world.chief_officer)
    assert client.post(url, {"how": "done"}).status_code == 403
    verified_staff_login(client, world.other_coordinator)
    assert client.post(url, {"how": "done"}).status_code == 404
    verified_staff_login(client, world.spoc)
    other = reverse("assessments:action_close", kwargs={"force_code": "cleveland", "action_id": 999999})
    assert client.get(other).status_code == 404
    action.refresh_from_db()
    assert action.closed_as == ""


def test_the_register_with_closed_actions_makes_seven_queries(client, world, home_assessment, actions):
    # Pinned (docs/performance.md, page table): sign-in checks 3, the force, its latest assessment,
    # its open actions and its closed ones.
    action = _action_of(home_assessment, actions[0])
    url = reverse("assessments:action_close", kwargs={"force_code": "cleveland", "action_id": action.pk})
    client.force_login(world.spoc)
    assert client.post(url, {"how": "done", "note": "Delivered"}).status_code == 302
    register = reverse("assessments:force_actions", kwargs={"force_code": "cleveland"}) + "?show=closed"
    assert _count(client, register) == 7
