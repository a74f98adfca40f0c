"""The ways the service writes a date, or a moment, for people to read, in UK time.

GOV.UK style: "17 March 2026" in sentences and summary lists (`long_date`), "17 Mar 2026" in tight
tables (`short_date`); a moment with its time of day as "17 March 2026 at 14:05" (`long_datetime`)
or "17 Mar 2026 14:05" in tables (`short_datetime`), on the 24-hour clock. Templates use the filters
of the same names (templatetags/assessment_tags.py), Python (markup, emails, spreadsheets, reports)
these functions, so a date reads the same on every page, email, PDF and spreadsheet preview. A
moment (an aware datetime) is first turned into UK time, so an event at 23:30 UTC on 31 March shows
as 1 April during British Summer Time. Evidence references store their date as ISO text
("2026-03-17"); that is accepted too, and any other text is shown as it is rather than lost.

This is the only module that formats a date for people: tests/test_one_date_style.py fails on any
other way (a `|date` filter, strftime, date_format, a `%` format in an f-string), except where the
text is for machines (ISO in JSON, CSV cells, logs) and says so in that test's allow-list.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")
# A spreadsheet's dates are real date cells (they sort and filter as dates); these number formats
# make Excel and LibreOffice show them in the same style as the pages.
SPREADSHEET_DATE_FORMAT = "d mmmm yyyy"
SPREADSHEET_DATETIME_FORMAT = "d mmmm yyyy hh:mm"
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


def _as_uk_moment(value: object) -> datetime.datetime | None:
    if not isinstance(value, datetime.datetime):
        return None
    # An aware moment is shown in UK time; a naive one (a spreadsheet cell) is taken as already local.
    return value.astimezone(UK_TIME) if value.tzinfo is not None else value


def long_datetime(value: object) -> str:
    """A moment as "17 March 2026 at 14:05", UK time; a date alone as long_date."""
    moment = _as_uk_moment(value)
    if moment is None:
        return long_date(value)
    return f"{long_date(moment)} at {moment:%H:%M}"


def short_datetime(value: object) -> str:
    """A moment as "17 Mar 2026 14:05", UK time, for tables; a date alone as short_date."""
    moment = _as_uk_moment(value)
    if moment is None:
        return short_date(value)
    return f"{short_date(moment)} {moment:%H:%M}"
