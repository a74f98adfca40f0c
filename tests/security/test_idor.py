"""IDOR sweep: every URL pattern that names an object, tried by force and region users on other forces'
and regions' objects, by GET and by POST. The answer must be exactly what a missing object gets (404 on
the site), nothing may change, and the other force's name must not appear."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.security.helpers import FAR, MISSING, OWN, Scene, fingerprint, rolled_back, sign_in
from tests.security.permission_table import ALLOW_LIST, OUT_OF_SCOPE, TABLE, Action
from tests.security.test_permission_table import outcome
from tests.security.urlwalk import all_patterns

# URL arguments that pick out an object someone may or may not be allowed to reach.
OBJECT_ARGUMENTS = {"assessment_id", "force_code", "region_slug", "round_id", "pack_id", "object_id", "id"}
REFUSALS = {"404", "405", "403", "login", "gone"}


def _object_patterns() -> dict[str, tuple[str, ...]]:
    return {
        pattern.key: pattern.arguments
        for pattern in all_patterns()
        if OBJECT_ARGUMENTS & set(pattern.arguments)
    }


def _sweep_targets() -> dict[str, Action]:
    """One table action per (URL name, state) among patterns that name an object."""
    named = _object_patterns()
    targets: dict[str, Action] = {}
    for action in TABLE.values():
        if action.url_name in named:
            targets.setdefault(f"{action.url_name} ({action.state})", action)
    return targets


def _post_body(action: Action, scene: Scene) -> dict[str, Any]:
    """The form the owner would post here (from any POST action on the same address), else nothing."""
    for candidate in (action, *TABLE.values()):
        if candidate.url_name == action.url_name and candidate.method == "POST" and candidate.data:
            return candidate.data(scene, OWN)
    return {}


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_every_pattern_that_names_an_object_is_swept_or_allow_listed():
    swept = {action.url_name for action in _sweep_targets().values()}
    missing = sorted(key for key in _object_patterns() if key not in swept and key not in ALLOW_LIST)
    assert not missing, (
        f"Add these to TABLE in tests/security/permission_table.py so the sweep tries them: {missing}"
    )


@pytest.mark.parametrize("target", list(_sweep_targets()))
def test_other_forces_and_regions_objects_are_missing_and_untouched(target, make_scene):
    action = _sweep_targets()[target]
    scene = make_scene(action.state)
    problems = []
    for role, scopes in OUT_OF_SCOPE.items():
        user = scene.world.user(role)
        for method in ("GET", "POST"):
            body = _post_body(action, scene) if method == "POST" else {}
            with rolled_back():
                client = Client()
                sign_in(client, user)
                send = client.get if method == "GET" else client.post
                missing = outcome(send(action.url(scene, MISSING), body))
            for scope in scopes:
                with rolled_back():
                    client = Client()
                    sign_in(client, user)
                    before = fingerprint()
                    response = (client.get if method == "GET" else client.post)(
                        action.url(scene, scope), body
                    )
                    changed = fingerprint() != before
                got = outcome(response)
                where = f"{role.label} {method} {scope}"
                if changed:
                    problems.append(f"{where}: data changed")
                if got != missing:
                    problems.append(f"{where}: got {got}, but a missing object gets {missing}")
                if got not in REFUSALS or (
                    not action.url_name.startswith("admin:") and got not in {"404", "405"}
                ):
                    problems.append(f"{where}: got {got}, expected a refusal")
                names = [scene.force(scope).name] + ([scene.region(FAR).name] if scope == FAR else [])
                for name in names:
                    if name.encode() in _body(response):
                        problems.append(f"{where}: the response names {name}")
    assert not problems, f"{target}:\n  " + "\n  ".join(problems)
