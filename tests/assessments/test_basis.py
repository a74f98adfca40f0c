"""The basis of a figure (issue 15): signed off, submitted, or self-declared (carried forward included)."""

from __future__ import annotations

import pytest

from assessments.basis import FigureBasis, answer_basis, assessment_basis, basis_label, figure_caption


@pytest.mark.parametrize(
    ("status", "basis"),
    [
        ("signed_off", FigureBasis.SIGNED_OFF),
        ("submitted", FigureBasis.SUBMITTED),
        ("draft", FigureBasis.SELF_DECLARED),
        ("returned", FigureBasis.SELF_DECLARED),
    ],
)
def test_an_assessments_figures_rest_on_its_workflow_status(status, basis):
    assert assessment_basis(status) is basis


def test_a_carried_forward_answer_nobody_confirmed_is_self_declared():
    assert (
        answer_basis(workflow_status="draft", carried_forward=True, confirmed=False)
        is FigureBasis.SELF_DECLARED
    )
    assert answer_basis(workflow_status="submitted", carried_forward=True, confirmed=False) == "self_declared"
    assert answer_basis(workflow_status="submitted", carried_forward=True, confirmed=True) == "submitted"


def test_labels_say_the_basis_and_the_round():
    assert basis_label("self_declared") == "Self-declared draft"
    assert figure_caption(basis="signed_off", round_name="2026-27 autumn review") == (
        "Signed off, 2026-27 autumn review"
    )
