"""Every URL pattern of the project, site and admin, with the key the permission table uses for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    """One leaf URL pattern: its namespaced name (or route when unnamed) and its full route."""

    key: str
    route: str
    arguments: tuple[str, ...]


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Pattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        route = prefix + str(pattern.pattern)
        qualified = f"{namespace}:{pattern.name}" if namespace else pattern.name
        key = qualified if pattern.name else route
        arguments = tuple(pattern.pattern.regex.groupindex)
        yield Pattern(key=key, route=route, arguments=arguments)


def all_patterns() -> list[Pattern]:
    """Every leaf pattern reachable from ROOT_URLCONF."""
    return list(_walk(get_resolver().url_patterns, "", ""))
