"""Spreadsheet bombs: small xlsx files that unpack to a great deal, and what reading them costs.

    .venv/bin/python -m bench.spreadsheet_bombs [--cells 1000000] [--strings 1000000]

Builds three bombs (the builders are also used by the tests), then, for each, measures the wall time and
the peak growth of the resident set (bench.measuring.peak_memory, in a forked child) of:

- **before**: what the upload did before the archive checks: openpyxl's read-only load and a walk over
  the rows, as reading.read_return_upload did;
- **after**: `spreadsheet_safety.open_xlsx`, which checks the archive and refuses the file.

Each is run once: the "before" runs take many seconds and much memory, and the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import time
import zipfile
from collections.abc import Callable

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

RETURN_HEADINGS = [
    "Activity code",
    "Activity",
    "Implementation status",
    "Reason it does not apply",
    "Evidence summary",
    "Next steps",
    "Action owner",
    "Target date",
]


def _base_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(RETURN_HEADINGS)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced or added, every part deflated at the highest level."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


def _sheet(rows_xml: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows_xml
        + b"</sheetData></worksheet>"
    )


def wide_row_bomb(cells: int) -> bytes:
    """The Return sheet's heading row, then one row holding `cells` numeric cells (no references)."""
    heading = b'<row r="1">' + b"".join(
        b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>" for text in RETURN_HEADINGS
    )
    row = b'</row><row r="2">' + b"<c><v>1</v></c>" * cells + b"</row>"
    return _replace_parts(_base_workbook(), {"xl/worksheets/sheet1.xml": _sheet(heading + row)})


def wide_row_with_references(cells: int) -> bytes:
    """One row of `cells` cells, each with its own reference: it packs poorly, so the shape check stops it."""
    refs = []
    for number in range(1, cells + 1):
        letters, rest = "", number
        while rest:
            rest, remainder = divmod(rest - 1, 26)
            letters = chr(ord("A") + remainder) + letters
        refs.append(f'<c r="{letters}1"><v>{number}</v></c>')
    return _replace_parts(
        _base_workbook(),
        {"xl/worksheets/sheet1.xml": _sheet(b'<row r="1">' + "".join(refs).encode() + b"</row>")},
    )


def shared_strings_bomb(strings: int) -> bytes:
    """A shared-strings table of `strings` entries, which openpyxl loads whole even in read-only mode.

    openpyxl's own files carry no table here, so the bomb adds one with its relationship and content type.
    """
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>xxxxxxxxxx</t></si>" * strings
        + b"</sst>"
    )
    base = _base_workbook()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        types = archive.read("[Content_Types].xml")
        relationships = archive.read("xl/_rels/workbook.xml.rels")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relationships = relationships.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    return _replace_parts(
        base,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": relationships,
            "xl/sharedStrings.xml": table,
        },
    )


def ratio_bomb(size: int) -> bytes:
    """An extra part of `size` zero bytes: under the per-part limit, but packed a thousand to one."""
    return _replace_parts(_base_workbook(), {"docProps/custom.xml": b"\0" * size})


def _before(data: bytes) -> None:
    """What an upload cost before the archive checks: openpyxl's read-only load and a walk over the rows."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(max_col=30, values_only=True):
                pass
        book.close()
    except Exception:  # noqa: S110 - a refusal is as good as a result here; only the cost matters
        pass


def _after(data: bytes) -> None:
    from spreadsheet_safety import SpreadsheetRejected, open_xlsx

    with contextlib.suppress(SpreadsheetRejected):
        open_xlsx(data).close()


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    """Build the bombs and print each one's size, then time and peak memory before and after."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--strings", type=int, default=1_000_000)
    parser.add_argument("--zeros", type=int, default=15 * 1024 * 1024)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msoic.settings.test")
    import django

    django.setup()
    from bench.measuring import mib, peak_memory

    bombs = {
        f"one row of {arguments.cells:,} cells": wide_row_bomb(arguments.cells),
        f"{arguments.strings:,} shared strings": shared_strings_bomb(arguments.strings),
        f"a part of {arguments.zeros / 2**20:.0f} MiB of zeros": ratio_bomb(arguments.zeros),
    }
    print(f"{'bomb':<34} {'file':>8}  {'before':>18}  {'after':>18}")
    for name, data in bombs.items():
        before, after = functools.partial(_before, data), functools.partial(_after, data)
        before_time, after_time = _timed(before), _timed(after)
        before_memory, after_memory = peak_memory(before), peak_memory(after)
        print(
            f"{name:<34} {len(data) / 1024:>5.0f} KB  "
            f"{before_time:>6.2f} s {mib(before_memory):>10}  {after_time:>6.3f} s {mib(after_memory):>10}"
        )


if __name__ == "__main__":
    main()
