"""Checks on an xlsx archive that run before any spreadsheet library parses it.

A 30 KB upload can unpack to gigabytes: deflate packs a run of identical bytes about a thousand to one, so
a sheet of one row with millions of empty cells, or a shared-strings table of millions of entries, fits
well under the 5 MB upload limit and then costs minutes of CPU and gigabytes of memory to parse. The
checks here bound the work before openpyxl sees the file:

1. the archive's directory: how many parts, and each part's declared size and compression ratio;
2. the actual bytes: every part is inflated in chunks and counted, stopping at the limit, because the
   sizes in the directory are written by the uploader and can lie;
3. the shape of every worksheet: a streaming XML scan stops at the first row or cell past the limits the
   caller gives (the offline return has one row per activity and eight columns), and refuses any DTD.

Each limit is far above what a real file of ours reaches (the return unpacks to well under 1 MB; the
largest legitimate plan to a few MB), so only a file built to hurt is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.parsers import expat

from spreadsheet_safety.errors import SpreadsheetRejected

MAX_PARTS = 100
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
# Spreadsheet XML packs about 5 to 30 to one; a ratio past this is a run of repeated bytes.
MAX_RATIO = 100
# Below this size a part's ratio does not matter: it cannot cost much whatever it holds.
RATIO_APPLIES_FROM = 1024 * 1024
_CHUNK = 64 * 1024
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_SHARED_STRINGS = "xl/sharedStrings.xml"
_COLUMN_LETTERS = re.compile(r"^\$?([A-Za-z]{1,3})")

UNPACKS_TOO_LARGE = (
    "The selected file is too large once it is unpacked, so it cannot be opened. "
    "Use the spreadsheet downloaded from the service"
)
TOO_MANY_PARTS = (
    "The selected file has too many parts to be a spreadsheet from this service. "
    "Use the spreadsheet downloaded from the service"
)
UNUSUAL_PACKING = (
    "The selected file is packed in an unusual way, so it cannot be opened safely. "
    "Open it in Excel, save it as an Excel workbook (.xlsx) and upload it again"
)
DAMAGED = "The selected file is damaged and cannot be opened"


class _StopScan(Exception):
    """Raised inside the XML scanner to stop it at the first thing past a limit."""


def check_archive(data: bytes, *, max_rows: int, max_columns: int) -> None:
    """Refuse the archive unless every part is small, plainly packed, and every sheet within the shape.

    `max_rows` counts the rows below a sheet's heading row; `max_columns` is the rightmost column a
    cell may sit in. Raises SpreadsheetRejected with one plain message; returns None when the file may
    be parsed.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_directory(infos)
            total = 0
            for info in infos:
                total += _inflated_size(archive, info, limit=_part_limit(info))
                if total > MAX_UNPACKED_BYTES:
                    raise SpreadsheetRejected([UNPACKS_TOO_LARGE])
            for info in infos:
                if _WORKSHEET.match(info.filename):
                    _scan_sheet(archive, info, max_rows=max_rows, max_columns=max_columns)
    except SpreadsheetRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise SpreadsheetRejected([DAMAGED]) from None
    except Exception:  # zlib and zipfile raise several kinds of error on a damaged archive
        raise SpreadsheetRejected([DAMAGED]) from None


def _part_limit(info: zipfile.ZipInfo) -> int:
    return MAX_SHARED_STRINGS_BYTES if info.filename == _SHARED_STRINGS else MAX_PART_BYTES


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise SpreadsheetRejected([TOO_MANY_PARTS])
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise SpreadsheetRejected([UNPACKS_TOO_LARGE])
    for info in infos:
        if info.file_size > _part_limit(info):
            raise SpreadsheetRejected([UNPACKS_TOO_LARGE])
        if info.file_size >= RATIO_APPLIES_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SpreadsheetRejected([UNUSUAL_PACKING])


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> int:
    """The part's real unpacked size, counted in chunks and abandoned as soon as it passes `limit`."""
    size = 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise SpreadsheetRejected([UNPACKS_TOO_LARGE])
            if size >= RATIO_APPLIES_FROM and size > MAX_RATIO * max(info.compress_size, 1):
                raise SpreadsheetRejected([UNUSUAL_PACKING])
    return size


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, max_rows: int, max_columns: int) -> None:
    """Stream the sheet's XML; stop at the first row past heading plus max_rows, or cell past max_columns."""
    problem: list[str] = []
    state = {"row": 0, "column": 0}

    def refuse(message: str) -> None:
        problem.append(message)
        raise _StopScan

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            reference = attributes.get("r", "")
            state["row"] = int(reference) if reference.isdigit() else state["row"] + 1
            state["column"] = 0
            if state["row"] > max_rows + 1:  # the heading row, then at most max_rows rows
                refuse(
                    f"The selected file has more than {max_rows:,} rows. "
                    "Use the spreadsheet downloaded from the service"
                )
        elif local == "c":
            letters = _COLUMN_LETTERS.match(attributes.get("r", ""))
            state["column"] = _column_number(letters.group(1)) if letters else state["column"] + 1
            if state["column"] > max_columns:
                refuse(
                    f"The selected file has more than {max_columns} columns. "
                    "Use the spreadsheet downloaded from the service"
                )

    def no_dtd(*_args: Any) -> None:
        refuse(DAMAGED)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _StopScan:
        raise SpreadsheetRejected(problem) from None
    except expat.ExpatError:
        raise SpreadsheetRejected([DAMAGED]) from None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
