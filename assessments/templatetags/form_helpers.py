"""Template helpers for GOV.UK forms."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def first_input_id(bound_field: forms.BoundField) -> str:
    """The id of the first input a user can focus for this field.

    crispy-forms-gds numbers radio and checkbox inputs from 1 and splits dates into day, month and
    year inputs, so the field's own auto id points at nothing focusable; an error summary link must
    land on the first real input instead.
    """
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return str(bound_field.auto_id)
