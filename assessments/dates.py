"""The two ways the service writes a date for people to read, in UK time.

GOV.UK style: "17 March 2026" in sentences and summary lists (`long_date`), "17 Mar 2026" in tight
tables (`short_date`). Templates use the filters of the same names (templatetags/assessment_tags.py),
Python (markup, spreadsheets, reports) these functions, so a date reads the same on every page, PDF and
spreadsheet preview. A moment (an aware datetime) is first turned into UK time, so an event at 23:30 UTC
on 31 March shows as 1 April during British Summer Time. Evidence references store their date as ISO
text ("2026-03-17"); that is accepted too, and any other text is shown as it is rather than lost.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(UK_TIME) if value.tzinfo is not None else value
        return moment.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def long_date(value: object) -> str:
    """The date as "17 March 2026"; "" for no date; text that is not a date comes back unchanged."""
    day = _as_date(value)
    if day is None:
        return str(value) if value else ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(value: object) -> str:
    """The date as "17 Mar 2026", for tables with little room; otherwise as long_date."""
    day = _as_date(value)
    if day is None:
        return str(value) if value else ""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
