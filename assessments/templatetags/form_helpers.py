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


@register.filter
def date_parts(bound_field: forms.BoundField) -> list[dict[str, object]]:
    """Day, month and year inputs of a date field: id, name, label and exactly what was typed."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if not isinstance(value, list | tuple):
        value = widget.decompress(value) if isinstance(widget, forms.MultiWidget) else [None, None, None]
    labels = ("Day", "Month", "Year")
    return [
        {
            "id": f"{bound_field.auto_id}_{index}",
            "name": f"{bound_field.html_name}_{index}",
            "label": label,
            "value": "" if part is None else part,
            "wide": index == 2,
        }
        for index, (label, part) in enumerate(zip(labels, value, strict=False))
    ]
