"""One cell of a return's spreadsheet: the rules both sheets (the return and its evidence references) share.

Writing: how a date cell is shown. Reading: what counts as blank, how text is cleaned, how a date is
read (a real date cell, or text written DD/MM/YYYY or YYYY-MM-DD), and how a problem names its column.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from spreadsheet_safety import without_invisible_formatting

# Excel shows a real date cell this way: the service's own style, "17 March 2026".
DATE_CELL_FORMAT = "d mmmm yyyy"
# Dates outside these years are typing mistakes (a two-digit year, a day typed as the year).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def blank(value: Any) -> bool:
    """An empty cell, or one holding only spaces: both mean the SPOC left it empty."""
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: Any) -> str:
    """Trim and drop control characters, keeping new lines and tabs, as the web form does.

    Spreadsheets often end lines with a carriage return; those become ordinary new lines. Bidi controls
    and other invisible format characters are dropped (spreadsheet_safety.text states the rule).
    """
    text = without_invisible_formatting(str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)).strip()


def read_date(value: Any, where: str, problems: list[str], *, label: str) -> datetime.date | None:
    """A date cell, or text as people write dates; a problem (naming `where` and `label`) otherwise.

    Spreadsheet programs store a typed date as a date, but a pasted or text-formatted one stays text.
    """
    if blank(value):
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
                f"{where}: {label} “{short(text)}” is not a real date. "
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


def short(text: str, limit: int = 40) -> str:
    """A cell's text cut short for a problem message, so one long cell cannot swamp the list."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_letter(position: int) -> str:
    """The spreadsheet's name for a column (0 is A, 26 is AA), as the SPOC sees it on screen."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
