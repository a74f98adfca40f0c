"""GOV.UK form fields for the activity form, written with format_html; templatetags/govuk_fields.py
registers them for the templates.

The activity page writes its form by hand, in the markup crispy-forms-gds made for it
(_activity_form_fields.html, _evidence_reference_fields.html). Written as templates, each field took
a dozen or more template nodes and two includes, and the form (six fields, a radio for each status,
a reference's four fields, the hidden inputs) was the largest part of the page's rendering time.
These tags write the same markup from Python. format_html escapes every value given to it (labels,
hints, what was typed, error messages) exactly as the templates' autoescaping did; only the fixed
markup below is trusted.

Ids follow crispy-forms-gds, which the error summary (first_input_id, below), the browser tests
and the keyboard journey rely on: radios number from 1 (`id_<name>_1`), date parts from 0
(`<id>_0`), and error messages are `<id>-error`, then `<id>-error-2` and on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

EMPTY = SafeString("")
StrOrPromise = str | Promise


@dataclass(frozen=True)
class FieldParts:
    """What every field's markup needs, read from the bound field once (its properties are not cheap)."""

    id: str
    name: str
    label: StrOrPromise  # as given, so a label marked safe stays unescaped, as in a template
    hint: StrOrPromise
    value: object  # as the field gives it: None when there is none
    errors: list[tuple[str, str]]  # (id, message)

    @property
    def text(self) -> object:
        """The value for a text input or textarea: what was typed or stored, or nothing."""
        return "" if self.value is None else self.value

    @property
    def invalid(self) -> bool:
        """Whether the field has an error to show."""
        return bool(self.errors)

    def described_by(self, *, character_count: bool = False) -> str:
        """The ids for aria-describedby: hint, then character count message, then errors."""
        ids = [f"{self.id}-hint"] if self.hint else []
        if character_count:
            ids.append(f"{self.id}-info")
        ids.extend(error_id for error_id, _ in self.errors)
        return " ".join(ids)

    def hint_html(self) -> SafeString:
        """The hint under the label, if the field has one."""
        if not self.hint:
            return EMPTY
        return format_html('<div id="{}-hint" class="govuk-hint">{}</div>', self.id, self.hint)

    def errors_html(self) -> SafeString:
        """One GOV.UK error message per error, each with its own id for aria-describedby."""
        if not self.errors:
            return EMPTY
        return format_html_join(
            "",
            '<p id="{}" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>',
            self.errors,
        )


def parts(field: forms.BoundField) -> FieldParts:
    """The field's id, name, label, hint, value and errors with their ids."""
    auto_id = str(field.auto_id)
    return FieldParts(
        id=auto_id,
        name=field.html_name,
        label=field.label,
        hint=field.help_text,
        value=field.value(),
        errors=[
            (f"{auto_id}-error" if index == 1 else f"{auto_id}-error-{index}", str(message))
            for index, message in enumerate(field.errors, 1)
        ],
    )


def _group_class(f: FieldParts, extra: str = "") -> str:
    return f"govuk-form-group{extra}{' govuk-form-group--error' if f.invalid else ''}"


def _described_by_attribute(described_by: str) -> SafeString:
    return format_html(' aria-describedby="{}"', described_by) if described_by else EMPTY


_INVALID = SafeString(' aria-invalid="true"')


RADIO = (
    '<div class="govuk-radios__item">'
    '<input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}>'
    '<label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    "</div>"
)
RADIO_WITH_HINT = (
    '<div class="govuk-radios__item">'
    '<input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}'
    ' aria-describedby="{id}-hint">'
    '<label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    '<div id="{id}-hint" class="govuk-hint govuk-radios__hint">{hint}</div>'
    "</div>"
)
CHECKED = SafeString(" checked")


def radio(f: FieldParts, index: int, value: object, label: str, hint: str) -> SafeString:
    """One radio of a set, numbered from 1, with its own hint if it has one."""
    return format_html(
        RADIO_WITH_HINT if hint else RADIO,
        id=f"id_{f.name}_{index}",
        name=f.name,
        value=value,
        checked=CHECKED if value == f.value else EMPTY,
        label=label,
        hint=hint,
    )


def govuk_radios(field: forms.BoundField) -> SafeString:
    """Radios with a hint on each option, under the field's label as an h2 legend."""
    f = parts(field)
    # crispy-forms-gds Choice objects carry each option's hint.
    radios = [
        radio(f, index, choice[0], choice[1], getattr(choice, "hint", ""))
        for index, choice in enumerate(getattr(field.field, "choices", ()), 1)
    ]
    return format_html(
        '<div class="{}">'
        '<fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">'
        '<h2 class="govuk-fieldset__heading">{}</h2></legend>'
        "{}"
        '<div class="govuk-radios" data-module="govuk-radios">{}</div>'
        "</fieldset></div>",
        _group_class(f),
        _described_by_attribute(f.described_by()) if f.invalid else EMPTY,
        f.label,
        f.errors_html(),
        SafeString("".join(radios)),
    )


def govuk_textarea(field: forms.BoundField, *, rows: int, maxlength: int) -> SafeString:
    """A GOV.UK character count: the script counts as people type; the server enforces the limit."""
    f = parts(field)
    # The new line after <textarea> keeps a leading new line in the answer (browsers drop the first).
    return format_html(
        '<div class="{}" data-module="govuk-character-count" data-maxlength="{}">'
        '<label class="govuk-label" for="{}">{}</label>'
        "{}{}"
        '<textarea class="govuk-textarea govuk-js-character-count{}" id="{}" name="{}" rows="{}"'
        ' aria-describedby="{}"{}>\n{}</textarea>'
        '<div id="{}-info" class="govuk-hint govuk-character-count__message">'
        "You can enter up to {} characters</div>"
        "</div>",
        _group_class(f, " govuk-character-count"),
        maxlength,
        f.id,
        f.label,
        f.hint_html(),
        f.errors_html(),
        " govuk-textarea--error" if f.invalid else "",
        f.id,
        f.name,
        rows,
        f.described_by(character_count=True),
        _INVALID if f.invalid else EMPTY,
        f.text,
        f.id,
        maxlength,
    )


def govuk_input(field: forms.BoundField, *, maxlength: int) -> SafeString:
    """A text input two thirds wide, with its label, hint and errors."""
    f = parts(field)
    return format_html(
        '<div class="{}">'
        '<label class="govuk-label" for="{}">{}</label>'
        "{}{}"
        '<input class="govuk-input govuk-!-width-two-thirds{}" id="{}" name="{}" type="text" maxlength="{}"'
        ' value="{}"{}{}>'
        "</div>",
        _group_class(f),
        f.id,
        f.label,
        f.hint_html(),
        f.errors_html(),
        " govuk-input--error" if f.invalid else "",
        f.id,
        f.name,
        maxlength,
        f.text,
        _described_by_attribute(f.described_by()),
        _INVALID if f.invalid else EMPTY,
    )


def govuk_date(field: forms.BoundField) -> SafeString:
    """A GOV.UK date input: day, month and year, keeping exactly what was typed."""
    f = parts(field)
    error_class = " govuk-input--error" if f.invalid else ""
    inputs = format_html_join(
        "",
        '<div class="govuk-date-input__item"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-date-input__label" for="{0}">{1}</label>'
        '<input class="govuk-input govuk-date-input__input {2}{3}" id="{0}" name="{4}" type="text"'
        ' inputmode="numeric" value="{5}">'
        "</div></div>",
        (
            (
                part["id"],
                part["label"],
                "govuk-input--width-4" if part["wide"] else "govuk-input--width-2",
                error_class,
                part["name"],
                part["value"],
            )
            for part in date_parts(field)
        ),
    )
    return format_html(
        '<div class="{}">'
        '<fieldset class="govuk-fieldset" role="group"{}>'
        '<legend class="govuk-fieldset__legend">{}</legend>'
        "{}{}"
        '<div class="govuk-date-input" id="{}">{}</div>'
        "</fieldset></div>",
        _group_class(f),
        _described_by_attribute(f.described_by()),
        f.label,
        f.hint_html(),
        f.errors_html(),
        f.id,
        inputs,
    )


def govuk_checkbox(field: forms.BoundField) -> SafeString:
    """A single small checkbox (such as "Remove this reference")."""
    f = parts(field)
    return format_html(
        '<div class="govuk-form-group">'
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item">'
        '<input class="govuk-checkboxes__input" id="{0}" name="{1}" type="checkbox"{2}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{0}">{3}</label>'
        "</div></div></div>",
        f.id,
        f.name,
        CHECKED if f.value else EMPTY,
        f.label,
    )


def hidden_inputs(form: forms.Form) -> SafeString:
    """A form's hidden inputs, as `{{ form }}` renders a form that has only hidden fields.

    Django renders each through four nested widget templates: the formset's management form alone
    took longer than a whole evidence reference. A form with errors (a tampered post) is left to
    Django, so its error list appears as Django makes it.
    """
    if form.errors:
        return SafeString(str(form))
    return SafeString("".join(hidden_input(field) for field in form.hidden_fields()))


def hidden_input(field: forms.BoundField) -> SafeString:
    """Django's `<input type="hidden">` for one field, without its widget templates (hidden_inputs).

    Django gives a hidden input only its type, name, value and id (no required or aria-invalid), and
    the revision and management form fields have no attributes of their own.
    """
    value = field.field.widget.format_value(field.value())
    if value is None:
        return format_html('<input type="hidden" name="{}" id="{}">', field.html_name, field.auto_id)
    return format_html(
        '<input type="hidden" name="{}" value="{}" id="{}">', field.html_name, value, field.auto_id
    )


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
