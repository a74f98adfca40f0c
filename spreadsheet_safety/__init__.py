"""Formula escaping for every export, and the checks every uploaded file passes before it is parsed.

A small top-level package, not part of any app, because both assessments (returns and round exports) and
actionplan (the plan's admin import and export) need it, and actionplan imports nothing from assessments.
It knows nothing of Django models or settings.

Escaping: a spreadsheet program treats a cell that starts with = + - @ (or a tab or carriage return,
which some programs skip before looking for those) as a formula, so a return that says
``=HYPERLINK("http://evil.example", "Click")`` would run when a coordinator opens the export. Every
string cell of every export that starts with one of those characters gets a single quote in front,
which makes the program show it as text. Reading a file back, `unescape_cell` removes exactly that
quote again, so a round trip through the offline return changes nothing.

File checks: size, then the first bytes (an xlsx file is a zip archive; an OLE2 compound file is an
old .xls or a password-protected xlsx), then the archive itself (archive.check_archive: how far it
unpacks, and the shape of every sheet, before any parsing), then openpyxl in read-only (streaming) mode
with every error caught. The caller counts rows as it reads them and stops at MAX_ROWS.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.workbook.workbook import Workbook  # type: ignore[import-untyped]

from spreadsheet_safety.archive import check_archive
from spreadsheet_safety.errors import SpreadsheetRejected
from spreadsheet_safety.text import without_invisible_formatting

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "SpreadsheetRejected",
    "check_archive",
    "escape_cell",
    "escape_row",
    "human_size",
    "open_xlsx",
    "read_upload",
    "unescape_cell",
    "without_invisible_formatting",
    "xlsx_cell",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_PREFIX = "'"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# No sheet we read has more than a few columns; a cell further right than this is not from our files.
MAX_COLUMNS = 30
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"

# Characters the xlsx format cannot hold at all (openpyxl refuses them); they are dropped on export.
_ILLEGAL_XLSX_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape_cell(value: Any) -> Any:
    """A string that a spreadsheet would read as a formula, made into plain text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE_PREFIX + value
    return value


def escape_row(values: list[Any]) -> list[Any]:
    """Escape every cell of one row."""
    return [escape_cell(value) for value in values]


def xlsx_cell(value: Any) -> Any:
    """Escape a cell for an xlsx export and drop characters the format cannot store."""
    value = escape_cell(value)
    if isinstance(value, str):
        return _ILLEGAL_XLSX_CHARACTERS.sub("", value)
    return value


def unescape_cell(value: Any) -> Any:
    """Undo `escape_cell` on a value read back from one of our own files."""
    if isinstance(value, str) and value.startswith(ESCAPE_PREFIX) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def human_size(size: int) -> str:
    """A file size as people write it, rounded up so a file just over a limit never looks within it."""
    if size >= 1024 * 1024:
        tenths = math.ceil(size * 10 / (1024 * 1024))
        return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"
    return f"{max(1, math.ceil(size / 1024))} KB"


def read_upload(uploaded: Any) -> bytes:
    """The uploaded file's bytes, refusing an empty file or one over 5 MB before reading it all."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise SpreadsheetRejected(
            [
                f"The selected file is {human_size(size)}. "
                f"It must be smaller than {human_size(MAX_UPLOAD_BYTES)}"
            ]
        )
    data = b"".join(uploaded.chunks()) if hasattr(uploaded, "chunks") else uploaded.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetRejected(
            [
                f"The selected file is {human_size(len(data))}. "
                f"It must be smaller than {human_size(MAX_UPLOAD_BYTES)}"
            ]
        )
    if not data:
        raise SpreadsheetRejected(["The selected file is empty"])
    return data


def open_xlsx(data: bytes, *, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS) -> Workbook:
    """Open the bytes as an xlsx workbook in read-only mode, or say plainly why they are not one.

    No sheet may have more than `max_rows` rows below its heading row, nor a cell right of column
    `max_columns`; the archive is checked for both, and for how far it unpacks, before openpyxl sees it.
    """
    if data.startswith(OLE2_MAGIC):
        raise SpreadsheetRejected(
            [
                "The selected file is password-protected or in the old .xls format. "
                "Remove the password, or save it as an Excel workbook (.xlsx), and upload it again"
            ]
        )
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetRejected(
            ["The selected file is not a spreadsheet. Upload an Excel workbook (.xlsx)"]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetRejected(["The selected file is damaged and cannot be opened"]) from None
    if "xl/workbook.xml" not in names:
        raise SpreadsheetRejected(
            ["The selected file is not an Excel workbook. Upload an Excel workbook (.xlsx)"]
        )
    check_archive(data, max_rows=max_rows, max_columns=max_columns)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file; all mean the same here.
        raise SpreadsheetRejected(["The selected file is damaged and cannot be opened"]) from None
