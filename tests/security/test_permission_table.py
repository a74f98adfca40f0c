"""The permission table (tests/security/permission_table.py) applied to every role and scope, and a check
that every URL pattern of the site and the admin is either in the table or deliberately allow-listed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.security.helpers import Scene, rolled_back, sign_in
from tests.security.permission_table import ALLOW_LIST, TABLE, Action
from tests.security.urlwalk import all_patterns


def perform(
    client: Client, action: Action, scene: Scene, scope: str, *, extra: dict[str, Any] | None = None
) -> HttpResponse:
    """Send the action's request for a scope, with its form body (and any extra fields) when it posts."""
    url = action.url(scene, scope)
    if action.method == "GET":
        return client.get(url)
    data = action.data(scene, scope) if action.data else {}
    return client.post(url, {**data, **(extra or {})})


def outcome(response: HttpResponse) -> str:
    """The table's word for a response: its status code, or "login" / "gone" for the telling redirects."""
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        if location in (reverse("login"), reverse("admin:login")):
            return "login"
        if location == reverse("admin:index"):
            return "gone"
    return str(response.status_code)


@pytest.mark.parametrize("name", list(TABLE))
def test_each_action_gives_the_expected_outcome_for_every_role_and_scope(name, make_scene):
    action = TABLE[name]
    scene = make_scene(action.state)
    problems = []
    for (role, scope), expected in action.expect.items():
        with rolled_back():
            client = Client()
            sign_in(client, scene.world.user(role))
            got = outcome(perform(client, action, scene, scope))
        if got != expected:
            problems.append(f"{role.label}, {scope}: expected {expected}, got {got}")
    assert not problems, f"{name} ({action.method} {action.url_name}):\n  " + "\n  ".join(problems)


def test_every_url_pattern_is_in_the_permission_table_or_the_allow_list():
    covered = {action.url_name for action in TABLE.values()} | set(ALLOW_LIST)
    missing = sorted({pattern.key for pattern in all_patterns()} - covered)
    assert not missing, (
        "These URL patterns are in neither the permission table nor its allow-list:\n  "
        + "\n  ".join(missing)
        + "\nAdd an Action for each to TABLE in tests/security/permission_table.py (who may use it, per "
        "role and scope), or, if nothing in it depends on force or region, an ALLOW_LIST entry saying why."
    )


def test_the_allow_list_names_only_patterns_that_exist():
    keys = {pattern.key for pattern in all_patterns()}
    stale = sorted(set(ALLOW_LIST) - keys)
    assert not stale, f"Remove these ALLOW_LIST entries; no URL pattern has them any more: {stale}"
