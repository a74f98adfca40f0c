"""Reading a completed return: check the file, the columns and every row, then work out what would change.

Nothing here writes. Every problem is collected with its row (and activity code) so the SPOC can fix the
whole file at once; for each activity that changes, the same rules as the web form apply
(rules.return_problems), with the form's messages.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessments import rules
from assessments.answers import TEXT_FIELDS, answer_with
from assessments.models import ActivityReturn, Assessment
from assessments.spreadsheets.marker import MARKER_PROPERTY, marker_problem
from assessments.spreadsheets.offline import (
    COLUMNS,
    EARLIEST_YEAR,
    FIELD_LABELS,
    LATEST_YEAR,
    REQUIRED_COLUMNS,
    RETURN_SHEET,
    STATUS_LABELS,
    TEXT_LIMITS,
    VALUE_FIELDS,
    ActivityChange,
    UploadPreview,
    clean_text,
    current_values,
    field_changes,
)
from assessments.status import ImplementationStatus, WorkflowStatus, implementation_label
from spreadsheet_safety import MAX_COLUMNS, MAX_ROWS, SpreadsheetRejected, open_xlsx, unescape_cell

# Beyond this many problems the list stops helping; the count says how many more there are.
MAX_PROBLEMS_LISTED = 50
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_STATUS_BY_TEXT = {
    **{implementation_label(value).lower(): value for value in ImplementationStatus.values},
    **{value: value for value in ImplementationStatus.values},
}
_HEADINGS = {
    **{heading.lower(): name for name, heading, _editable in COLUMNS},
    **{name.replace("_", " "): name for name, _heading, _editable in COLUMNS},
    **{name: name for name, _heading, _editable in COLUMNS},
}


@dataclass
class _Row:
    number: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)


def read_return_upload(*, assessment: Assessment, data: bytes) -> UploadPreview:
    """Check the file completely and work out what it would change; raise SpreadsheetRejected otherwise."""
    # The archive and the shape of every sheet are checked before openpyxl parses anything; a sheet with
    # a row past MAX_ROWS or a cell right of MAX_COLUMNS is refused at that row or cell.
    book = open_xlsx(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    try:
        marker = _marker(book)
        # Another force's or round's file (or a changed marker) is refused before its rows are read.
        if marker is not None and (problem := marker_problem(assessment=assessment, value=marker)):
            raise SpreadsheetRejected([problem])
        sheet = book[RETURN_SHEET] if RETURN_SHEET in book.sheetnames else book.worksheets[0]
        rows = list(_bounded_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)))
    except SpreadsheetRejected:
        raise
    except Exception:  # a damaged part of the archive only shows up while reading rows
        raise SpreadsheetRejected(["The selected file is damaged and cannot be opened"]) from None
    finally:
        book.close()
    columns, header_number = _columns(rows)
    current = {
        r.activity.code: r
        for r in ActivityReturn.objects.filter(assessment=assessment).select_related("activity")
    }
    problems: list[str] = []
    parsed = _parse_rows(rows[header_number:], header_number, columns, current, problems)
    changes = _changes(assessment, parsed, current, problems)
    if problems:
        raise SpreadsheetRejected(_limited(problems))
    if marker is None and (problem := marker_problem(assessment=assessment, value=None)):
        raise SpreadsheetRejected([problem])
    return UploadPreview(
        assessment_id=assessment.pk, token=uuid.uuid4().hex, changes=changes, rows_read=len(parsed)
    )


def _marker(book: Any) -> Any:
    """The marker property's value, or None when the file has none (or it is blank)."""
    values = [p.value for p in book.custom_doc_props.props if p.name == MARKER_PROPERTY]
    return None if not values or _blank(values[0]) else values[0]


def _bounded_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for index, row in enumerate(rows):
        if index > MAX_ROWS:  # the heading row plus MAX_ROWS rows of answers
            raise SpreadsheetRejected(
                [
                    f"The selected file has more than {MAX_ROWS:,} rows. "
                    "Use the spreadsheet downloaded from the service"
                ]
            )
        yield row


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _columns(rows: list[tuple[Any, ...]]) -> tuple[dict[str, int], int]:
    """Find the heading row and map each known heading to its column; refuse unknown or missing ones."""
    header_index = next((i for i, row in enumerate(rows) if not all(_blank(v) for v in row)), None)
    if header_index is None:
        raise SpreadsheetRejected(
            ["The selected file is empty. Use the spreadsheet downloaded from the service"]
        )
    columns: dict[str, int] = {}
    problems: list[str] = []
    for position, heading in enumerate(rows[header_index]):
        if _blank(heading):
            continue
        text = " ".join(str(heading).split())
        name = _HEADINGS.get(text.lower())
        if name is None:
            problems.append(
                f"Column {_column_letter(position)} is called “{_short(text)}”, "
                "which is not a column of the return"
            )
        elif name in columns:
            problems.append(f"The column “{FIELD_LABELS[name]}” appears more than once")
        else:
            columns[name] = position
    missing = [FIELD_LABELS[name] for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.insert(0, "The file is missing the column(s) " + ", ".join(f"“{m}”" for m in missing))
    if problems:
        problems.append("Use the column headings from the spreadsheet downloaded from the service")
        raise SpreadsheetRejected(problems)
    return columns, header_index + 1


def _parse_rows(
    rows: list[tuple[Any, ...]],
    first_number: int,
    columns: dict[str, int],
    current: Mapping[str, ActivityReturn],
    problems: list[str],
) -> list[_Row]:
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=first_number + 1):
        if all(_blank(value) for value in row):
            continue
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        code = "" if _blank(cells["code"]) else str(cells["code"]).strip().upper()
        where = f"Row {number}" + (f" ({_short(code, 10)})" if code else "")
        if not code:
            problems.append(f"{where}: enter the activity code")
            continue
        if code not in current:
            problems.append(f"{where}: “{_short(code, 10)}” is not an activity in this round's action plan")
            continue
        if code in seen:
            problems.append(f"{where}: activity {code} appears more than once (also in row {seen[code]})")
            continue
        seen[code] = number
        item = _Row(number=number, code=code)
        item.values["implementation_status"] = _status(cells["implementation_status"], where, problems)
        for name in TEXT_FIELDS:
            item.values[name] = _text(cells[name], name, where, problems)
        item.values["target_date"] = _date(cells["target_date"], where, problems)
        parsed.append(item)
    return parsed


def _status(value: Any, where: str, problems: list[str]) -> str:
    if _blank(value):
        return ""
    text = " ".join(str(unescape_cell(value)).split()).lower()
    status = _STATUS_BY_TEXT.get(text)
    if status is None:
        problems.append(
            f"{where}: “{_short(str(value))}” is not an implementation status. Use one of: "
            + ", ".join(STATUS_LABELS)
        )
        return ""
    return status


def _text(value: Any, name: str, where: str, problems: list[str]) -> str:
    if _blank(value):
        return ""
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().strftime("%d/%m/%Y") if value.time() == datetime.time() else value.isoformat(" ")
    elif isinstance(value, datetime.date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(unescape_cell(value))
    text = clean_text(text)
    limit, noun = TEXT_LIMITS[name]
    if len(text) > limit:
        problems.append(f"{where}: {noun} must be {limit} characters or fewer (it has {len(text):,})")
    return text


def _date(value: Any, where: str, problems: list[str]) -> datetime.date | None:
    label = FIELD_LABELS["target_date"]
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, str):
        text = value.strip()
        match = _DATE_TEXT.match(text)
        iso = _ISO_DATE_TEXT.match(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
            elif iso:
                year, month, day = (int(part) for part in iso.groups())
            else:
                raise ValueError
            result = datetime.date(year, month, day)
        except ValueError:
            problems.append(
                f"{where}: {label} “{_short(text)}” is not a real date. "
                "Write it as DD/MM/YYYY, for example 31/03/2027"
            )
            return None
    else:
        problems.append(f"{where}: {label} must be a date, written as DD/MM/YYYY, for example 31/03/2027")
        return None
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        problems.append(f"{where}: {label} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None
    return result


def _changes(
    assessment: Assessment, parsed: list[_Row], current: Mapping[str, ActivityReturn], problems: list[str]
) -> list[ActivityChange]:
    changes: list[ActivityChange] = []
    returned = assessment.status == WorkflowStatus.RETURNED
    for item in parsed:
        activity_return = current[item.code]
        existing = current_values(activity_return)
        changed = [name for name in VALUE_FIELDS if item.values[name] != existing.get(name)]
        if not changed:
            continue
        where = f"Row {item.number} ({item.code})"
        if returned and not activity_return.reopened_for_changes:
            problems.append(
                f"{where}: this activity is not open for changes. Only activities marked "
                "“Changes requested” can be changed"
            )
            continue
        merged = answer_with(existing, item.values)
        for name, message in rules.return_problems(merged).items():
            problems.append(f"{where}: {FIELD_LABELS[name]}: {message}")
        changes.append(
            ActivityChange(
                return_id=activity_return.pk,
                code=item.code,
                title=activity_return.activity.title,
                revision=activity_return.revision,
                values=merged,
                fields=field_changes(changed, existing, merged),
            )
        )
    return changes


def _limited(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS_LISTED:
        return problems
    extra = len(problems) - MAX_PROBLEMS_LISTED
    return [*problems[:MAX_PROBLEMS_LISTED], f"And {extra:,} more problem(s) like these"]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
