"""Fixtures for the security tests: scenes in any workflow state, and PDFs without WeasyPrint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from unittest import mock

import pytest

from tests.security.helpers import Scene, build_scene

FAKE_PDF = b"%PDF-1.7\n% rendering is tested in tests/assessments/reports; here only access matters\n"


@pytest.fixture(autouse=True)
def quick_pdfs() -> Iterator[None]:
    """The permission tests ask for many PDFs; who may have one does not depend on how it is drawn."""
    with mock.patch("assessments.reports.rendering.render_pdf", return_value=FAKE_PDF):
        yield


@pytest.fixture
def make_scene(world, open_round) -> Callable[[str], Scene]:
    """Build the world's round in a given state: draft, complete, submitted or signed_off."""
    return lambda state: build_scene(world, open_round, state)
