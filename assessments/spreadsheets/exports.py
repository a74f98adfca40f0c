"""Round-wide exports: one row per force and activity, for a region or for everyone, as csv or xlsx.

The rows come from one query (values_list across the joins), and the previous round's statuses from one
more, so a national export of 44 forces × 50 activities costs the same queries as a region's. Every
string cell is escaped (spreadsheet_safety), so no cell is ever a live formula.

Besides the answer, each row says what it rests on and where it came from (issue 15): its evidence
references, whether it was carried forward and confirmed, who submitted it and when, the force's status
for the activity in the previous round, the state of its action (assessments.actions.action_state) and
its basis (assessments.basis.answer_basis).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from assessments.actions import action_state, uk_today
from assessments.answers import FIELD_HEADINGS, SINGLE_VALUE_FIELDS, evidence_references_from
from assessments.basis import answer_basis, basis_label
from assessments.dates import SPREADSHEET_DATE_FORMAT, SPREADSHEET_DATETIME_FORMAT
from assessments.models import ActivityReturn, Region, Round
from assessments.status import implementation_label, workflow_label
from spreadsheet_safety import escape_row, xlsx_cell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# (heading, database column) in the order of the file.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Region", "assessment__force__region__name"),
    ("Force", "assessment__force__name"),
    ("Round", "assessment__round__name"),
    ("Process area", "activity__area__title"),
    ("Activity code", "activity__code"),
    ("Activity", "activity__title"),
    # The answer, one column for each of its fields but the evidence references (a list).
    *((FIELD_HEADINGS[name], name) for name in SINGLE_VALUE_FIELDS),
    ("Complete", "is_complete"),
    ("Workflow status", "assessment__status"),
    ("Version", "assessment__version"),
    ("Signed off by", "assessment__signed_off_by__full_name"),
    ("Signed off as", "assessment__signed_off_role"),
    ("Signed off at", "assessment__signed_off_at"),
)
# Read with each row to work out the columns after EXPORT_COLUMNS; not written as they are.
EXTRA_COLUMNS: tuple[str, ...] = (
    "evidence_references",
    "carried_forward",
    "confirmed",
    "assessment__submitted_by__full_name",
    "assessment__submitted_at",
    "assessment__force_id",
    "activity_id",
    "action__closed_as",
)
DERIVED_HEADINGS: tuple[str, ...] = (
    "Evidence references",
    "Carried forward",
    "Confirmed this round",
    "Submitted by",
    "Submitted at",
    "Previous round's status",
    "Action",
    "Basis",
)
HEADINGS = [heading for heading, _column in EXPORT_COLUMNS] + list(DERIVED_HEADINGS)


@dataclass(frozen=True)
class ExportFile:
    """A file ready to send: name, content type and bytes."""

    filename: str
    content_type: str
    content: bytes


def round_export_rows(*, round: Round, region: Region | None = None) -> Iterator[list[Any]]:
    """One row per force and activity in the round (only the region's forces if one is given)."""
    returns = ActivityReturn.objects.filter(assessment__round=round)
    if region is not None:
        returns = returns.filter(assessment__force__region=region)
    previous = _previous_statuses(round=round, region=region)
    today = uk_today()
    columns = [column for _heading, column in EXPORT_COLUMNS] + list(EXTRA_COLUMNS)
    rows = returns.order_by(
        "assessment__force__region__name",
        "assessment__force__name",
        "activity__area__number",
        "activity__order",
    ).values_list(*columns)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        yield _readable(dict(values)) + _derived(values, previous=previous, today=today)


def _previous_statuses(*, round: Round, region: Region | None) -> dict[tuple[int, int], str]:
    """Each force's status for each activity in the round opened before this one (one query, or none
    when this is the first round)."""
    before = Round.objects.filter(opens_on__lt=round.opens_on).order_by("-opens_on", "-pk")
    returns = ActivityReturn.objects.filter(assessment__round__in=before.values("pk")[:1])
    if region is not None:
        returns = returns.filter(assessment__force__region=region)
    return {
        (force_id, activity_id): status
        for force_id, activity_id, status in returns.values_list(
            "assessment__force_id", "activity_id", "implementation_status"
        )
    }


def _derived(
    values: dict[str, Any], *, previous: dict[tuple[int, int], str], today: datetime.date
) -> list[Any]:
    """The columns after the answer: references, carried forward, submission, last round, action, basis."""
    references = "; ".join(
        " – ".join(part for part in (ref["title"], ref["location"], ref["applies_on"]) if part)
        for ref in evidence_references_from(values["evidence_references"])
    )
    submitted_at = values["assessment__submitted_at"]
    earlier = previous.get((values["assessment__force_id"], values["activity_id"]))
    state = action_state(
        implementation_status=values["implementation_status"],
        next_steps=values["next_steps"],
        action_owner=values["action_owner"],
        target_date=values["target_date"],
        closed_as=values["action__closed_as"] or "",
        today=today,
    )
    basis = answer_basis(
        workflow_status=values["assessment__status"],
        carried_forward=values["carried_forward"],
        confirmed=values["confirmed"],
    )
    return [
        references,
        "Yes" if values["carried_forward"] else "No",
        "Yes" if values["confirmed"] else "No",
        values["assessment__submitted_by__full_name"] or "",
        timezone.localtime(submitted_at).replace(tzinfo=None, microsecond=0) if submitted_at else None,
        "" if earlier is None else (implementation_label(earlier) if earlier else "Not answered"),
        str(state),
        basis_label(basis),
    ]


def _readable(values: dict[str, Any]) -> list[Any]:
    """The answer's own columns in words (changes `values`: pass a copy)."""
    # A blank answer is a blank cell here, not "Not answered": the file is for sorting and filtering.
    status = values["implementation_status"]
    values["implementation_status"] = implementation_label(status) if status else ""
    values["assessment__status"] = workflow_label(values["assessment__status"])
    values["is_complete"] = "Yes" if values["is_complete"] else "No"
    signed_at = values["assessment__signed_off_at"]
    values["assessment__signed_off_at"] = (
        timezone.localtime(signed_at).replace(tzinfo=None, microsecond=0) if signed_at else None
    )
    values["assessment__signed_off_by__full_name"] = values["assessment__signed_off_by__full_name"] or ""
    return [values[column] for _heading, column in EXPORT_COLUMNS]


def round_export(*, round: Round, region: Region | None, file_format: str) -> ExportFile:
    """The round's returns as a csv or xlsx file named after the round and scope."""
    scope = region.slug if region is not None else "all-forces"
    stem = f"{slugify(round.name)}-{scope}"
    rows = round_export_rows(round=round, region=region)
    if file_format == "csv":
        return ExportFile(f"{stem}.csv", CSV_CONTENT_TYPE, rows_to_csv(HEADINGS, rows))
    if file_format == "xlsx":
        return ExportFile(f"{stem}.xlsx", XLSX_CONTENT_TYPE, rows_to_xlsx(HEADINGS, rows, title="Returns"))
    raise ValueError(f"Unknown export format: {file_format}")


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def rows_to_csv(headings: list[str], rows: Iterator[list[Any]]) -> bytes:
    """A UTF-8 csv (with the byte-order mark Excel needs to read it as UTF-8), every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(escape_row(headings))
    for row in rows:
        writer.writerow(escape_row([_csv_value(value) for value in row]))
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """A cell's value, escaped; a date stays a real date cell, shown as the pages show dates."""
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        is_moment = isinstance(value, datetime.datetime)
        cell.number_format = SPREADSHEET_DATETIME_FORMAT if is_moment else SPREADSHEET_DATE_FORMAT
        return cell
    return xlsx_cell(value)


def rows_to_xlsx(headings: list[str], rows: Iterator[list[Any]], *, title: str) -> bytes:
    """A one-sheet xlsx workbook, every string cell escaped, dates as real dates."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(heading) for heading in headings])
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
