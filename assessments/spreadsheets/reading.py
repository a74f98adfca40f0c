"""Reading a completed return: check the file, the columns and every row, then work out what would change.

Nothing here writes. Every problem is collected with its row (and activity code) so the SPOC can fix the
whole file at once; for each activity that changes, the same rules as the web form apply
(rules.return_problems), with the form's messages.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessments import rules
from assessments.actions import uk_today
from assessments.answers import TEXT_FIELDS, answer_with
from assessments.dates import long_date, long_datetime
from assessments.models import ActivityReturn, Assessment
from assessments.selectors.evidence import EvidenceCheck, evidence_check
from assessments.spreadsheets.cells import blank, clean_text, column_letter, read_date, short
from assessments.spreadsheets.evidence_references import REFERENCES, REFERENCES_SHEET, read_references_sheet
from assessments.spreadsheets.marker import MARKER_PROPERTY, marker_problem
from assessments.spreadsheets.offline import (
    CONFIRM,
    CONFIRM_YES,
    FIELD_LABELS,
    PREVIEW_FIELDS,
    REQUIRED_COLUMNS,
    RETURN_SHEET,
    SHEET_COLUMNS,
    STATUS_LABELS,
    TEXT_LIMITS,
    ActivityChange,
    UploadPreview,
    current_values,
    field_changes,
)
from assessments.status import ImplementationStatus, WorkflowStatus, implementation_label
from spreadsheet_safety import MAX_COLUMNS, MAX_ROWS, SpreadsheetRejected, open_xlsx, unescape_cell

# Beyond this many problems the list stops helping; the count says how many more there are.
MAX_PROBLEMS_LISTED = 50
_STATUS_BY_TEXT = {
    **{implementation_label(value).lower(): value for value in ImplementationStatus.values},
    **{value: value for value in ImplementationStatus.values},
}
_HEADINGS = {
    **{heading.lower(): name for name, heading, _editable in SHEET_COLUMNS},
    **{name.replace("_", " "): name for name, _heading, _editable in SHEET_COLUMNS},
    **{name: name for name, _heading, _editable in SHEET_COLUMNS},
}


_CONFIRM_TEXT = {CONFIRM_YES.lower(), "y", "yes", "confirm", "confirmed", "true", "x"}


@dataclass
class _Row:
    number: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    confirm: bool = False
    # Fields whose cell could not be read: each already has its one message, so the rules skip them.
    unreadable: set[str] = field(default_factory=set)


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
        reference_rows = (
            list(_bounded_rows(book[REFERENCES_SHEET].iter_rows(max_col=MAX_COLUMNS, values_only=True)))
            if REFERENCES_SHEET in book.sheetnames
            else None
        )
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
    # The evidence-of-change rule and the reference dates are checked as the web form checks them.
    evidence = evidence_check(assessment=assessment, today=uk_today())
    parsed = _parse_rows(rows[header_number:], header_number, columns, current, problems)
    if reference_rows is not None:
        references = read_references_sheet(
            reference_rows,
            current,
            problems,
            today=evidence.window.ends_on,
            force_established_on=evidence.force_established_on,
        )
        for item in parsed:
            item.values[REFERENCES] = references.get(item.code, [])
    changes = _changes(assessment, parsed, current, problems, columns, evidence=evidence)
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
    return None if not values or blank(values[0]) else values[0]


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


def _columns(rows: list[tuple[Any, ...]]) -> tuple[dict[str, int], int]:
    """Find the heading row and map each known heading to its column; refuse unknown or missing ones."""
    header_index = next((i for i, row in enumerate(rows) if not all(blank(v) for v in row)), None)
    if header_index is None:
        raise SpreadsheetRejected(
            ["The selected file is empty. Use the spreadsheet downloaded from the service"]
        )
    columns: dict[str, int] = {}
    problems: list[str] = []
    for position, heading in enumerate(rows[header_index]):
        if blank(heading):
            continue
        text = " ".join(str(heading).split())
        name = _HEADINGS.get(text.lower())
        if name is None:
            problems.append(
                f"Column {column_letter(position)} is called “{short(text)}”, "
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
        if all(blank(value) for value in row):
            continue
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        code = "" if blank(cells["code"]) else str(cells["code"]).strip().upper()
        where = f"Row {number}" + (f" ({short(code, 10)})" if code else "")
        if not code:
            problems.append(f"{where}: enter the activity code")
            continue
        if code not in current:
            problems.append(f"{where}: “{short(code, 10)}” is not an activity in this round's action plan")
            continue
        if code in seen:
            problems.append(f"{where}: activity {code} appears more than once (also in row {seen[code]})")
            continue
        seen[code] = number
        item = _Row(number=number, code=code)
        readers: list[tuple[str, Any]] = [
            ("implementation_status", _status),
            *((name, _text_of(name)) for name in TEXT_FIELDS),
            ("target_date", _target_date),
        ]
        for name, reader in readers:
            item.values[name] = _read_cell(item, name, reader, cells, columns, where, problems)
        if CONFIRM in columns:
            item.confirm = _read_cell(item, CONFIRM, _confirm, cells, columns, where, problems)
        parsed.append(item)
    return parsed


def _read_cell(
    item: _Row,
    name: str,
    reader: Any,
    cells: Mapping[str, Any],
    columns: Mapping[str, int],
    where: str,
    problems: list[str],
) -> Any:
    """Read one cell; a cell that cannot be read gets one message, naming its column, and is remembered."""
    before = len(problems)
    value = reader(cells[name], where, problems)
    if len(problems) > before:
        item.unreadable.add(name)
        letter = column_letter(columns[name])
        problems[before:] = [f"{message} (column {letter})" for message in problems[before:]]
    return value


def _status(value: Any, where: str, problems: list[str]) -> str:
    if blank(value):
        return ""
    text = " ".join(str(unescape_cell(value)).split()).lower()
    status = _STATUS_BY_TEXT.get(text)
    if status is None:
        problems.append(
            f"{where}: “{short(str(value))}” is not an implementation status. Write one of: "
            + ", ".join(STATUS_LABELS)
        )
        return ""
    return status


def _confirm(value: Any, where: str, problems: list[str]) -> bool:
    if blank(value) or value is False:
        return False
    if value is True or " ".join(str(value).split()).lower() in _CONFIRM_TEXT:
        return True
    problems.append(
        f"{where}: Confirm “{short(str(value))}” is not understood. Write {CONFIRM_YES} to keep the "
        "answer carried forward from the last round, or leave it blank"
    )
    return False


def _text_of(name: str) -> Any:
    def reader(value: Any, where: str, problems: list[str]) -> str:
        return _text(value, name, where, problems)

    return reader


def _text(value: Any, name: str, where: str, problems: list[str]) -> str:
    if blank(value):
        return ""
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        # A date typed into a text column is kept as people read dates here, not as a cell format.
        text = long_date(value) if value.time() == datetime.time() else long_datetime(value)
    elif isinstance(value, datetime.date):
        text = long_date(value)
    else:
        text = str(unescape_cell(value))
    text = clean_text(text)
    limit, noun = TEXT_LIMITS[name]
    if len(text) > limit:
        problems.append(f"{where}: {noun} must be {limit} characters or fewer (it has {len(text):,})")
    return text


def _target_date(value: Any, where: str, problems: list[str]) -> datetime.date | None:
    return read_date(value, where, problems, label=FIELD_LABELS["target_date"])


def _changes(
    assessment: Assessment,
    parsed: list[_Row],
    current: Mapping[str, ActivityReturn],
    problems: list[str],
    columns: Mapping[str, int],
    *,
    evidence: EvidenceCheck,
) -> list[ActivityChange]:
    changes: list[ActivityChange] = []
    returned = assessment.status == WorkflowStatus.RETURNED
    for item in parsed:
        activity_return = current[item.code]
        existing = current_values(activity_return)
        # As it would be kept (rules.as_kept): a reason beside a status other than Not applicable is
        # dropped, as the web form drops it, and the preview shows it going rather than arriving.
        merged = rules.as_kept(answer_with(existing, item.values))
        changed = [
            name for name in PREVIEW_FIELDS if name in item.values and merged.get(name) != existing.get(name)
        ]
        # Yes on a row that needs no confirming (already confirmed, or not carried forward) changes
        # nothing, so uploading the same file twice is harmless.
        confirms = item.confirm and activity_return.carried_forward and not activity_return.confirmed
        if not changed and not confirms:
            continue
        where = f"Row {item.number} ({item.code})"
        if returned and not activity_return.reopened_for_changes:
            problems.append(
                f"{where}: this activity is not open for changes. Only activities marked "
                "“Changes requested” can be changed"
            )
            continue
        # One message per mistake: a cell that could not be read has had its message, and an unreadable
        # status would only add "Select how far…" on top of "… is not an implementation status".
        if "implementation_status" not in item.unreadable:
            for name, message in rules.return_problems(merged).items():
                if name not in item.unreadable:
                    column = f" (column {column_letter(columns[name])})" if name in columns else ""
                    problems.append(f"{where}: {FIELD_LABELS[name]}: {message}{column}")
            for message in evidence.refuses(item.code, merged).values():
                problems.append(f"{where}: {message}")
        changes.append(
            ActivityChange(
                return_id=activity_return.pk,
                code=item.code,
                title=activity_return.activity.title,
                revision=activity_return.revision,
                values=merged,
                fields=field_changes(changed, existing, merged),
                confirms=confirms,
            )
        )
    return changes


def _limited(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS_LISTED:
        return problems
    extra = len(problems) - MAX_PROBLEMS_LISTED
    return [*problems[:MAX_PROBLEMS_LISTED], f"And {extra:,} more problem(s) like these"]
