"""A force's return as an xlsx workbook, offline and back: build it, then preview and apply an upload.

Reading the upload (reading.py) checks everything before anything is written: the file
(spreadsheet_safety), the columns, every row, and then, for each activity that changes, the same rules
as the web form.
The preview keeps only what changes. Applying saves each changed activity through
services.activity_return_save, which checks the SPOC's right to edit that return and the revision
captured when the preview was built, all inside one transaction: one refusal rolls back every activity.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, Protection  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from assessments import rules, services
from assessments.answers import (
    FIELD_HEADINGS,
    SINGLE_VALUE_FIELDS,
    TEXT_FIELDS,
    Answer,
    answer_of,
    answer_with,
)
from assessments.dates import long_date
from assessments.models import ActivityReturn, Assessment
from assessments.spreadsheets import evidence_references
from assessments.spreadsheets.cells import DATE_CELL_FORMAT, clean_text
from assessments.spreadsheets.evidence_references import REFERENCES, REFERENCES_SHEET
from assessments.spreadsheets.marker import add_marker
from assessments.status import ImplementationStatus, WorkflowStatus, implementation_label
from spreadsheet_safety import xlsx_cell

RETURN_SHEET = "Return"
GUIDANCE_SHEET = "Guidance"

# (field, column heading, editable) in the order of the sheet: the activity, then one column for each
# of the answer's fields but its evidence references.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("code", "Activity code", False),
    ("title", "Activity", False),
    *((name, FIELD_HEADINGS[name], True) for name in SINGLE_VALUE_FIELDS),
)
# After the answer, "Confirm": the SPOC writes Yes to keep an answer carried forward from the last round
# as it is (what the web form's save does for that activity). Not required: files downloaded before it
# existed still upload.
CONFIRM = "confirm"
CONFIRM_YES = "Yes"
SHEET_COLUMNS: tuple[tuple[str, str, bool], ...] = (*COLUMNS, (CONFIRM, "Confirm", True))
VALUE_FIELDS = SINGLE_VALUE_FIELDS
FIELD_LABELS = {name: heading for name, heading, _editable in SHEET_COLUMNS} | {
    REFERENCES: "Evidence references"
}
# What an upload can change, in the order the preview lists it.
PREVIEW_FIELDS = (*VALUE_FIELDS[:3], REFERENCES, *VALUE_FIELDS[3:])
REQUIRED_COLUMNS = ("code", *VALUE_FIELDS)
TEXT_LIMITS = {
    "not_applicable_reason": (rules.REASON_MAX, "The reason"),
    "evidence_summary": (rules.EVIDENCE_SUMMARY_MAX, "The evidence summary"),
    "next_steps": (rules.NEXT_STEPS_MAX, "The next steps"),
    "action_owner": (rules.OWNER_MAX, "The action owner"),
}
COLUMN_WIDTHS = (10, 45, 20, 35, 60, 50, 30, 18, 12)
STATUS_LABELS = [implementation_label(value) for value in ImplementationStatus.values]
DATE_COLUMN = 1 + [name for name, _heading, _editable in COLUMNS].index("target_date")


class UploadOutOfDate(Exception):
    """An activity changed after the preview was built; nothing was written."""


class UploadNotAllowed(Exception):
    """The user may no longer change one of the activities (the assessment moved on); nothing was written."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one activity: what it says now and what the file would make it say."""

    field: str
    label: str
    current: str
    new: str


@dataclass(frozen=True)
class ActivityChange:
    """An activity the upload changes, with the revision the preview was built from."""

    return_id: int
    code: str
    title: str
    revision: int
    values: Answer
    fields: list[FieldChange]
    out_of_date: bool = False
    # True when the row confirms an answer carried forward from the last round (Confirm: Yes).
    confirms: bool = False


@dataclass(frozen=True)
class UploadPreview:
    """Everything an upload would change, activity by activity and field by field."""

    assessment_id: int
    token: str
    changes: list[ActivityChange]
    rows_read: int = 0

    @property
    def confirmations(self) -> int:
        """How many carried-forward answers saving would confirm."""
        return sum(1 for change in self.changes if change.confirms)

    @property
    def out_of_date(self) -> bool:
        """True when any activity changed since the preview was built."""
        return any(change.out_of_date for change in self.changes)

    def to_session(self) -> dict[str, Any]:
        """Only what confirming needs: ids, revisions and the new values (dates as ISO text)."""
        return {
            "assessment_id": self.assessment_id,
            "token": self.token,
            "rows_read": self.rows_read,
            "items": [
                {
                    "return_id": change.return_id,
                    "revision": change.revision,
                    "confirm": change.confirms,
                    "values": {
                        name: _serialise(value)
                        for name, value in change.values.items()
                        if name in {f.field for f in change.fields}
                    },
                }
                for change in self.changes
            ],
        }


# Building the workbook ------------------------------------------------------------------------------


def return_workbook(*, assessment: Assessment) -> bytes:
    """The assessment's returns as an xlsx file: locked code and title, a status drop-down, guidance."""
    returns = list(
        ActivityReturn.objects.filter(assessment=assessment)
        .select_related("activity")
        .order_by("activity__area__number", "activity__order")
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = RETURN_SHEET
    sheet.append([heading for _name, heading, _editable in SHEET_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    returned = assessment.status == WorkflowStatus.RETURNED
    for row_number, activity_return in enumerate(returns, start=2):
        values = [
            activity_return.activity.code,
            activity_return.activity.title,
            implementation_label(activity_return.implementation_status)
            if activity_return.implementation_status
            else "",
            activity_return.not_applicable_reason,
            activity_return.evidence_summary,
            activity_return.next_steps,
            activity_return.action_owner,
            activity_return.target_date,
            "",
        ]
        open_for_changes = not returned or activity_return.reopened_for_changes
        awaiting_confirmation = activity_return.carried_forward and not activity_return.confirmed
        for column, (value, (_name, _heading, editable)) in enumerate(
            zip(values, SHEET_COLUMNS, strict=True), 1
        ):
            cell = sheet.cell(row=row_number, column=column, value=xlsx_cell(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if editable and open_for_changes and (_name != CONFIRM or awaiting_confirmation):
                cell.protection = Protection(locked=False)
        sheet.cell(row=row_number, column=DATE_COLUMN).number_format = DATE_CELL_FORMAT
    last_row = max(2, len(returns) + 1)
    status_list = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_LABELS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Implementation status",
        error="Choose a status from the list.",
    )
    status_list.add(f"C2:C{last_row}")
    date_check = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Target date",
        error="Enter a real date, for example 31/03/2027.",
    )
    date_check.add(f"H2:H{last_row}")
    confirm_list = DataValidation(
        type="list",
        formula1=f'"{CONFIRM_YES}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Confirm",
        error=f"Write {CONFIRM_YES} to keep the carried-forward answer, or leave it blank.",
    )
    confirm_list.add(f"I2:I{last_row}")
    sheet.add_data_validation(status_list)
    sheet.add_data_validation(date_check)
    sheet.add_data_validation(confirm_list)
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    # Locked cells (code, title, and activities not open for changes) cannot be typed over.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    evidence_references.add_references_sheet(
        book, returns, editable=lambda r: not returned or r.reopened_for_changes
    )
    _add_guidance(book, assessment)
    add_marker(book, assessment)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _add_guidance(book: Workbook, assessment: Assessment) -> None:
    sheet = book.create_sheet(GUIDANCE_SHEET)
    lines = [
        "How to fill in this spreadsheet",
        "",
        f"Force: {assessment.force.name}",
        f"Round: {assessment.round.name}",
        "",
        "Fill in the Return sheet: one row for each activity. Do not change the activity codes.",
        "Implementation status: choose from the list (" + ", ".join(STATUS_LABELS) + ").",
        "Not applicable needs a reason. Implemented and Embedded need an evidence summary.",
        "Planned and In progress need next steps, an action owner and a target date.",
        "Target date: a real date, written as DD/MM/YYYY, for example 31/03/2027.",
        f"Confirm: answers carried forward from the last round count as complete only once confirmed. "
        f"Write {CONFIRM_YES} in the Confirm column to keep one as it is; changing an answer confirms it "
        "too.",
        f"Evidence summary and next steps: up to {rules.EVIDENCE_SUMMARY_MAX} characters each. "
        "Do not include details of victims, suspects or operations.",
        "",
        f"Evidence references: on the {REFERENCES_SHEET} sheet, one row each (activity code, document or "
        "source, where it is held, the date it applies to). Add, change or delete rows; an activity with "
        f"no rows there has no references. Up to {rules.MAX_EVIDENCE_REFERENCES} for each activity.",
        "Upload the finished file from the task list. You will see every change before anything is saved.",
    ]
    if assessment.status == WorkflowStatus.RETURNED:
        lines.append(
            "The regional coordinator returned this assessment: "
            "only the activities they marked can be changed."
        )
    for line in lines:
        sheet.append([xlsx_cell(line)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def current_values(activity_return: ActivityReturn) -> Answer:
    """A return's answer with its text cleaned as an upload would clean it, for comparison."""
    answer = answer_of(activity_return)
    cleaned: dict[str, Any] = {
        name: clean_text(value) for name, value in answer.items() if name in TEXT_FIELDS
    }
    cleaned[REFERENCES] = evidence_references.cleaned_references(answer["evidence_references"])
    return answer_with(answer, cleaned)


def field_changes(
    names: list[str], existing: Mapping[str, Any], merged: Mapping[str, Any]
) -> list[FieldChange]:
    """The preview lines for `names`: each field's label, what it says now and what it would say.

    Shared by the reader (building a preview from a file) and the stored preview (rebuilding it when the
    SPOC confirms), so both show a change in exactly the same words.
    """
    return [
        FieldChange(
            field=name,
            label=FIELD_LABELS[name],
            current=display(name, existing[name]),
            new=display(name, merged[name]),
        )
        for name in names
    ]


def display(name: str, value: Any) -> str:
    """A value as the preview shows it."""
    if name == "implementation_status":
        return implementation_label(value) if value else ""
    if name == REFERENCES:
        return "\n".join(evidence_references.reference_text(reference) for reference in value or [])
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value or "")


# Preview and confirm ---------------------------------------------------------------------------------


def preview_from_session(*, assessment: Assessment, stored: Mapping[str, Any]) -> UploadPreview:
    """Rebuild the preview from what the session kept, against the returns as they are now."""
    items = {int(item["return_id"]): item for item in stored.get("items", [])}
    returns = (
        ActivityReturn.objects.filter(assessment=assessment, pk__in=items)
        .select_related("activity")
        .order_by("activity__area__number", "activity__order")
    )
    changes = []
    for activity_return in returns:
        item = items[activity_return.pk]
        existing = current_values(activity_return)
        new = {name: _deserialise(name, value) for name, value in item["values"].items()}
        merged = rules.as_kept(answer_with(existing, new))
        changes.append(
            ActivityChange(
                return_id=activity_return.pk,
                code=activity_return.activity.code,
                title=activity_return.activity.title,
                revision=int(item["revision"]),
                values=merged,
                fields=field_changes([name for name in PREVIEW_FIELDS if name in new], existing, merged),
                out_of_date=activity_return.revision != int(item["revision"]),
                confirms=bool(item.get("confirm")),
            )
        )
    if len(changes) != len(items):
        raise UploadOutOfDate
    return UploadPreview(
        assessment_id=assessment.pk,
        token=str(stored.get("token", "")),
        changes=changes,
        rows_read=int(stored.get("rows_read", 0)),
    )


def apply_upload(*, assessment: Assessment, stored: Mapping[str, Any], by: Any) -> int:
    """Save every changed activity in one transaction, or none; return how many were saved."""
    saved = 0
    with transaction.atomic():
        for item in stored.get("items", []):
            activity_return = (
                ActivityReturn.objects.select_related("activity")
                .filter(assessment=assessment, pk=int(item["return_id"]))
                .first()
            )
            if activity_return is None:
                raise UploadOutOfDate
            new = {name: _deserialise(name, value) for name, value in item["values"].items()}
            values = answer_with(current_values(activity_return), new)
            try:
                services.activity_return_save(
                    activity_return_id=activity_return.pk,
                    values=values,
                    by=by,
                    expected_revision=int(item["revision"]),
                )
            except services.StaleReturn:
                raise UploadOutOfDate from None
            except PermissionDenied:
                raise UploadNotAllowed from None
            saved += 1
    return saved


def _serialise(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _deserialise(name: str, value: Any) -> Any:
    if name == "target_date":
        return datetime.date.fromisoformat(value) if value else None
    return value
