"""Template filters for GOV.UK forms: the error summary's links and a date field's parts.

The functions live with the rest of the GOV.UK field markup in assessments/markup/govuk_fields.py.
"""

from __future__ import annotations

from django import template

from assessments.markup.govuk_fields import date_parts, first_input_id

register = template.Library()
register.filter(first_input_id)
register.filter(date_parts)
