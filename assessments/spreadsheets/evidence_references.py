"""The "Evidence references" sheet of a return's spreadsheet: written by offline.py, read by reading.py.

An activity has any number of evidence references, so they have their own sheet, one row each, keyed by
activity code; the return sheet keeps one row per activity. Reading checks every row and names each
mistake once, with its row and column, as the return sheet's reader does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from assessments import rules
from assessments.answers import EvidenceReference, date_from
from assessments.dates import long_date
from assessments.models import ActivityReturn
from assessments.spreadsheets.cells import (
    DATE_CELL_FORMAT,
    blank,
    clean_text,
    column_letter,
    read_date,
    short,
)
from spreadsheet_safety import unescape_cell, xlsx_cell

# Evidence references, any number per activity, one row each, on their own sheet: (field, heading).
REFERENCES_SHEET = "Evidence references"
REFERENCES = "evidence_references"
REFERENCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Activity code"),
    ("title", "Document or source"),
    ("location", "Where it is held"),
    ("applies_on", "Date it applies to"),
)


def add_references_sheet(book: Workbook, returns: list[ActivityReturn], *, editable: Any) -> None:
    """One row per evidence reference, dates as real date cells; SPOCs add, change or delete rows."""
    sheet = book.create_sheet(REFERENCES_SHEET)
    sheet.append([heading for _name, heading in REFERENCE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for activity_return in returns:
        for reference in activity_return.evidence_references:
            applies_on = date_from(reference.get("applies_on"))
            sheet.append(
                [
                    xlsx_cell(activity_return.activity.code),
                    xlsx_cell(reference.get("title", "")),
                    xlsx_cell(reference.get("location", "")),
                    applies_on or xlsx_cell(reference.get("applies_on", "")),
                ]
            )
            sheet.cell(row=sheet.max_row, column=4).number_format = DATE_CELL_FORMAT
    for row in range(sheet.max_row + 1, sheet.max_row + 101):
        sheet.cell(row=row, column=4).number_format = DATE_CELL_FORMAT
    for index, width in enumerate((14, 50, 50, 20)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"


def read_references_sheet(
    rows: list[tuple[Any, ...]],
    current: Mapping[str, ActivityReturn],
    problems: list[str],
    *,
    today: datetime.date | None = None,
    force_established_on: datetime.date | None = None,
) -> dict[str, list[EvidenceReference]]:
    """The references sheet, by activity code in the order of its rows; every mistake is named once.

    With `today`, a date in the future or before `force_established_on` is refused, as on the form.
    """
    by_code: dict[str, list[EvidenceReference]] = {}
    if not rows:
        return by_code
    headings = [" ".join(str(v).split()).lower() if not blank(v) else "" for v in rows[0]]
    positions = {}
    for name, heading in REFERENCE_COLUMNS:
        if heading.lower() not in headings:
            problems.append(
                f"The {REFERENCES_SHEET} sheet is missing the column “{heading}”. "
                "Use the column headings from the spreadsheet downloaded from the service"
            )
            return by_code
        positions[name] = headings.index(heading.lower())
    letters = {name: column_letter(index) for name, index in positions.items()}
    for number, row in enumerate(rows[1:], start=2):
        if all(blank(value) for value in row):
            continue
        cells = {name: (row[index] if index < len(row) else None) for name, index in positions.items()}
        code = "" if blank(cells["code"]) else str(unescape_cell(cells["code"])).strip().upper()
        where = f"{REFERENCES_SHEET} row {number}" + (f" ({short(code, 10)})" if code else "")
        if code not in current:
            problems.append(
                f"{where}: “{short(code, 10)}” is not an activity in this round's action plan (column "
                f"{letters['code']}). Write the activity code, for example LG01"
                if code
                else f"{where}: enter the activity code (column {letters['code']}), for example LG01"
            )
            continue
        title = clean_text(unescape_cell(cells["title"]) if not blank(cells["title"]) else "")
        location = clean_text(unescape_cell(cells["location"]) if not blank(cells["location"]) else "")
        if not title:
            problems.append(f"{where}: enter the name of the document or source (column {letters['title']})")
        elif len(title) > rules.REFERENCE_TITLE_MAX:
            problems.append(
                f"{where}: the name must be {rules.REFERENCE_TITLE_MAX} characters or fewer "
                f"(column {letters['title']})"
            )
        if len(location) > rules.REFERENCE_LOCATION_MAX:
            problems.append(
                f"{where}: the location must be {rules.REFERENCE_LOCATION_MAX} characters or fewer "
                f"(column {letters['location']})"
            )
        before = len(problems)
        applies_on = read_date(cells["applies_on"], where, problems, label="Date it applies to")
        if len(problems) > before:
            problems[before:] = [f"{m} (column {letters['applies_on']})" for m in problems[before:]]
        elif applies_on is None:
            problems.append(
                f"{where}: enter the date this evidence applies to (column {letters['applies_on']}), "
                "for example 31/03/2026"
            )
        elif today is not None and (
            problem := rules.reference_date_problem(
                applies_on, today=today, force_established_on=force_established_on
            )
        ):
            problems.append(f"{where}: Date it applies to {problem} (column {letters['applies_on']})")
        kept = by_code.setdefault(code, [])
        if len(kept) == rules.MAX_EVIDENCE_REFERENCES:
            problems.append(
                f"{where}: activity {code} has more than {rules.MAX_EVIDENCE_REFERENCES} references"
            )
            continue
        kept.append(
            EvidenceReference(
                title=title, location=location, applies_on=applies_on.isoformat() if applies_on else ""
            )
        )
    return by_code


def cleaned_references(references: Iterable[Mapping[str, Any]]) -> list[EvidenceReference]:
    """Stored references with their text cleaned as an upload cleans it, so the two compare equal."""
    return [
        EvidenceReference(
            title=clean_text(reference.get("title")),
            location=clean_text(reference.get("location")),
            applies_on=str(reference.get("applies_on") or ""),
        )
        for reference in references
    ]


def reference_text(reference: EvidenceReference) -> str:
    """One evidence reference on one line, as the preview shows it."""
    where = f" – {reference['location']}" if reference.get("location") else ""
    when = f" ({long_date(reference['applies_on'])})" if reference.get("applies_on") else ""
    return f"{reference['title']}{where}{when}"
