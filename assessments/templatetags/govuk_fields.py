"""The activity form's GOV.UK fields as template tags; the markup is in assessments/markup/govuk_fields.py."""

from __future__ import annotations

from django import template

from assessments.markup import govuk_fields

register = template.Library()
for _tag in (
    govuk_fields.govuk_radios,
    govuk_fields.govuk_textarea,
    govuk_fields.govuk_input,
    govuk_fields.govuk_date,
    govuk_fields.govuk_checkbox,
):
    register.simple_tag(_tag)
register.filter(govuk_fields.hidden_inputs)
register.filter(govuk_fields.hidden_input)
