"""The basis of a figure: whether a count or share rests on signed-off, submitted or self-declared answers.

Readers act on the overviews and reports, so each figure says how far it has been checked:

- *signed off*: accepted by a regional coordinator (the assessment is signed off);
- *submitted*: sent by the force and awaiting review;
- *self-declared*: a draft, or returned for changes, including answers carried forward from the last
  round that nobody has confirmed in this one.

The basis follows the assessment's workflow status, with one exception for single answers: an answer
carried forward and not yet confirmed is self-declared whatever the assessment's status, because nobody
in this round has looked at it. Pages, exports and PDFs take the basis and its label from here.
"""

from __future__ import annotations

from django.db import models

from assessments.progress import awaiting_confirmation
from assessments.status import WorkflowStatus


class FigureBasis(models.TextChoices):
    """How far the answers behind a figure have been checked."""

    SIGNED_OFF = "signed_off", "Signed off"
    SUBMITTED = "submitted", "Submitted, awaiting review"
    SELF_DECLARED = "self_declared", "Self-declared draft"


_BASIS_OF_STATUS: dict[str, FigureBasis] = {
    WorkflowStatus.SIGNED_OFF: FigureBasis.SIGNED_OFF,
    WorkflowStatus.SUBMITTED: FigureBasis.SUBMITTED,
    WorkflowStatus.DRAFT: FigureBasis.SELF_DECLARED,
    WorkflowStatus.RETURNED: FigureBasis.SELF_DECLARED,
}
_BASIS_LABELS: dict[str, str] = {value: str(label) for value, label in FigureBasis.choices}


def assessment_basis(workflow_status: str) -> FigureBasis:
    """The basis of an assessment's figures; an unknown status is treated as the least checked."""
    return _BASIS_OF_STATUS.get(workflow_status, FigureBasis.SELF_DECLARED)


def answer_basis(*, workflow_status: str, carried_forward: bool, confirmed: bool) -> FigureBasis:
    """The basis of one answer: an unconfirmed carried-forward answer is self-declared."""
    if awaiting_confirmation(carried_forward=carried_forward, confirmed=confirmed):
        return FigureBasis.SELF_DECLARED
    return assessment_basis(workflow_status)


def basis_label(basis: str) -> str:
    """A basis in words ("Self-declared draft"); an unknown value as it is."""
    return _BASIS_LABELS.get(basis, basis)


def figure_caption(*, basis: str, round_name: str) -> str:
    """The label a force's figure carries on an overview or report: its basis and its round."""
    return f"{basis_label(basis)}, {round_name}"
