"""The one date style: "17 March 2026", "17 Mar 2026", and a moment's time of day, in UK time."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.utils import formats, timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments.dates import long_date, long_datetime, short_date, short_datetime

UTC = datetime.UTC


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_dates_read_as_django_would_write_them_in_gov_uk_style(day):
    """The same words the `date:"j F Y"` and `date:"j M Y"` filters gave, which these replace."""
    assert long_date(day) == date_filter(day, "j F Y")
    assert short_date(day) == date_filter(day, "j M Y")


def test_the_four_forms():
    moment = datetime.datetime(2026, 3, 17, 14, 5, tzinfo=UTC)  # GMT: UK time is UTC
    assert long_date(moment) == "17 March 2026"
    assert short_date(moment) == "17 Mar 2026"
    assert long_datetime(moment) == "17 March 2026 at 14:05"
    assert short_datetime(moment) == "17 Mar 2026 14:05"


@pytest.mark.parametrize(
    ("moment", "day", "time"),
    [
        # British Summer Time began at 01:00 UTC on Sunday 29 March 2026 (clocks 01:00 -> 02:00).
        (datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026", "00:59"),
        (datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026", "02:00"),
        # A summer evening in UTC is already the next day in the UK.
        (datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "1 April 2026", "00:30"),
        # It ended at 01:00 UTC on Sunday 25 October 2026 (clocks 02:00 -> 01:00).
        (datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 October 2026", "01:30"),
        (datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 October 2026", "01:30"),
        # In winter UK time is UTC: 23:30 is still the same day.
        (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "31 December 2026", "23:30"),
    ],
)
def test_a_moment_is_shown_in_uk_time_across_the_summer_time_changes(moment, day, time):
    assert long_date(moment) == day
    assert long_datetime(moment) == f"{day} at {time}"
    short_day = " ".join([day.split()[0], day.split()[1][:3], day.split()[2]])
    assert short_datetime(moment) == f"{short_day} {time}"


def test_a_moment_in_another_zone_is_turned_into_uk_time():
    new_york = datetime.timezone(datetime.timedelta(hours=-4))
    assert long_datetime(datetime.datetime(2026, 7, 1, 20, 0, tzinfo=new_york)) == "2 July 2026 at 01:00"


def test_a_naive_moment_is_taken_as_uk_time_already():
    """A spreadsheet cell has no zone: what the person typed is what they read back."""
    typed = datetime.datetime(2026, 7, 1, 23, 30)  # noqa: DTZ001 - a cell's value has no zone
    assert long_datetime(typed) == "1 July 2026 at 23:30"


def test_a_date_alone_has_no_time_of_day():
    assert long_datetime(datetime.date(2026, 7, 1)) == "1 July 2026"
    assert short_datetime(datetime.date(2026, 7, 1)) == "1 Jul 2026"


@pytest.mark.parametrize("function", [long_date, short_date, long_datetime, short_datetime])
def test_nothing_is_blank_iso_text_is_a_date_and_other_text_is_kept(function):
    assert function(None) == "" and function("") == ""
    assert function("2026-03-17") in ("17 March 2026", "17 Mar 2026")
    assert function("around Easter") == "around Easter"


def test_templates_use_the_filters_of_the_same_names():
    template = engines["django"].from_string(
        "{% load assessment_tags %}{{ when|long_date }}|{{ when|short_date }}|"
        "{{ when|long_datetime }}|{{ when|short_datetime }}"
    )
    moment = datetime.datetime(2026, 6, 30, 23, 5, tzinfo=UTC)
    assert template.render({"when": moment}) == (
        "1 July 2026|1 Jul 2026|1 July 2026 at 00:05|1 Jul 2026 00:05"
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 3, 17, 14, 5, tzinfo=UTC),
        datetime.datetime(2026, 7, 14, 23, 30, tzinfo=UTC),  # 00:30 BST on the 15th
    ],
)
def test_the_admins_own_dates_are_in_the_same_style(moment):
    """Django's admin writes dates through the locale formats (msoic/formats/en_GB), not dates.py."""
    local = timezone.localtime(moment)
    assert formats.date_format(local, "DATETIME_FORMAT") == short_datetime(moment)
    assert formats.date_format(local.date(), "DATE_FORMAT") == short_date(moment)
    assert formats.date_format(local.date(), "SHORT_DATE_FORMAT") == short_date(moment)
    assert formats.localize(local) == short_datetime(moment)
