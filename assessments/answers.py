"""A force's answer for one activity: its fields, its type, and its JSON form.

One answer travels the whole way from the activity form to the PDF: the form's cleaned data becomes
an `Answer` (forms.ActivityReturnForm.answer), services.activity_return_save stores it on the
ActivityReturn, snapshots.build_snapshot_data writes it as JSON at sign-off (`answer_json`), and the
reports read it back, live (`answer_of`) or from a snapshot (`answer_from_json`), before showing it.
The spreadsheet and the carry-forward to a new round use the same type and the same field list.

`ANSWER_FIELDS` is the one list of the answer's fields; the other tuples here are named parts of it.
Nothing here reads the database or renders anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict, cast

if TYPE_CHECKING:
    from assessments.models import ActivityReturn


class EvidenceReference(TypedDict):
    """A document, record or link the force relies on, and the date it applies to.

    `applies_on` is an ISO date ("2026-03-31") or "" when none was given: it is stored as JSON text.
    """

    title: str
    location: str
    applies_on: str


class Answer(TypedDict):
    """The SPOC's answer for one activity: the seven fields a form, a spreadsheet or a snapshot carries."""

    implementation_status: str  # an ImplementationStatus value, or "" when not answered
    not_applicable_reason: str
    evidence_summary: str
    evidence_references: list[EvidenceReference]
    next_steps: str
    action_owner: str
    target_date: datetime.date | None


class AnswerJSON(TypedDict):
    """An Answer as JSON data, as a snapshot stores it: the target date is ISO text or null."""

    implementation_status: str
    not_applicable_reason: str
    evidence_summary: str
    evidence_references: list[EvidenceReference]
    next_steps: str
    action_owner: str
    target_date: str | None


# The answer's fields in the order of the form, the spreadsheet and the snapshot.
ANSWER_FIELDS: tuple[str, ...] = (
    "implementation_status",
    "not_applicable_reason",
    "evidence_summary",
    "evidence_references",
    "next_steps",
    "action_owner",
    "target_date",
)
# The fields of free text, which the form and the spreadsheet trim and clean alike.
TEXT_FIELDS: tuple[str, ...] = ("not_applicable_reason", "evidence_summary", "next_steps", "action_owner")
# Every field but the evidence references, a list: what has one form input, or one spreadsheet column.
SINGLE_VALUE_FIELDS: tuple[str, ...] = tuple(name for name in ANSWER_FIELDS if name != "evidence_references")
# What each single-value field is called in a spreadsheet's column headings and an upload's preview.
FIELD_HEADINGS: dict[str, str] = {
    "implementation_status": "Implementation status",
    "not_applicable_reason": "Reason it does not apply",
    "evidence_summary": "Evidence summary",
    "next_steps": "Next steps",
    "action_owner": "Action owner",
    "target_date": "Target date",
}


def empty_answer() -> Answer:
    """An activity nobody has answered yet."""
    return Answer(
        implementation_status="",
        not_applicable_reason="",
        evidence_summary="",
        evidence_references=[],
        next_steps="",
        action_owner="",
        target_date=None,
    )


def answer_of(activity_return: ActivityReturn) -> Answer:
    """The answer stored on a return, exactly as stored; the references are copies, so nothing is shared.

    The references are not tidied: a snapshot built from this must hash the same as it always has.
    """
    return Answer(
        implementation_status=activity_return.implementation_status,
        not_applicable_reason=activity_return.not_applicable_reason,
        evidence_summary=activity_return.evidence_summary,
        evidence_references=[
            cast(EvidenceReference, dict(reference)) for reference in activity_return.evidence_references
        ],
        next_steps=activity_return.next_steps,
        action_owner=activity_return.action_owner,
        target_date=activity_return.target_date,
    )


def answer_json(answer: Answer) -> AnswerJSON:
    """The answer as JSON data: the snapshot's form of it (the target date as ISO text)."""
    target = answer["target_date"]
    return AnswerJSON(
        implementation_status=answer["implementation_status"],
        not_applicable_reason=answer["not_applicable_reason"],
        evidence_summary=answer["evidence_summary"],
        evidence_references=[
            cast(EvidenceReference, dict(reference)) for reference in answer["evidence_references"]
        ],
        next_steps=answer["next_steps"],
        action_owner=answer["action_owner"],
        target_date=target.isoformat() if target else None,
    )


def answer_from_json(values: Mapping[str, object]) -> Answer:
    """An answer read from JSON data (a snapshot's return) or from a row of column values.

    Stored JSON outlives the code that wrote it, so this reads it generously: a missing or empty
    field is blank, a target date may be a date or ISO text (anything else is no date), and the
    references are tidied (evidence_references_from).
    """
    return Answer(
        implementation_status=_text(values.get("implementation_status")),
        not_applicable_reason=_text(values.get("not_applicable_reason")),
        evidence_summary=_text(values.get("evidence_summary")),
        evidence_references=evidence_references_from(values.get("evidence_references")),
        next_steps=_text(values.get("next_steps")),
        action_owner=_text(values.get("action_owner")),
        target_date=date_from(values.get("target_date")),
    )


def answer_with(answer: Answer, changes: Mapping[str, object]) -> Answer:
    """`answer` with some of its fields replaced, as a spreadsheet row replaces the ones it changes.

    Names that are not answer fields are left out, so a form's or a file's other values never reach
    the answer. The values are the caller's to check: the readers that call this have done so.
    """
    merged: dict[str, object] = {**answer}
    merged.update((name, value) for name, value in changes.items() if name in ANSWER_FIELDS)
    return cast(Answer, merged)


def evidence_references_from(raw: object) -> list[EvidenceReference]:
    """References from stored JSON, each with its three fields as text; anything not a mapping is skipped."""
    if not isinstance(raw, list | tuple):
        return []
    return [
        EvidenceReference(
            title=_text(item.get("title")),
            location=_text(item.get("location")),
            applies_on=_text(item.get("applies_on")),
        )
        for item in raw
        if isinstance(item, Mapping)
    ]


def date_from(value: object) -> datetime.date | None:
    """A date from a date, or from ISO text; None for anything else (blank, malformed, another type)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(value: object) -> str:
    return str(value) if value else ""
