"""Django's own date display (the admin's lists and read-only fields) in the service's one date style.

Pages, emails, PDFs and spreadsheets write dates with assessments/dates.py; the admin writes them
through these locale formats instead, so they are set to the same style: "17 Mar 2026" (short_date)
and "17 Mar 2026 14:05" (short_datetime) rather than Django's "17 Mar 2026, 2:05 p.m." and
"17/03/2026". Only display formats are set: input formats stay Django's for en-GB.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
