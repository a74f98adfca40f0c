"""GOV.UK form fields for the activity form, written with format_html; templatetags/govuk_fields.py
registers them for the templates.

The activity page writes its form by hand, in the markup crispy-forms-gds made for it
(_activity_form_fields.html, _evidence_reference_fields.html). Written as templates, each field took
a dozen or more template nodes and two includes, and the form (six fields, a radio for each status,
a reference's four fields, the hidden inputs) was the largest part of the page's rendering time.
These tags write the same markup from Python. format_html escapes every value given to it (labels,
hints, what was typed, error messages) exactly as the templates' autoescaping did; only the fixed
markup below is trusted.

tests/assessments/markup/test_govuk_oracle.py renders every field in every state through
crispy-forms-gds as well and compares the two, so a change to either side fails a test. The markup
is the library's except for the differences listed in that module, where this follows GOV.UK
Frontend's own components instead: hints are `<id>-hint` and error messages `<p id="<id>-error">`,
then `<id>-error-2` and on (crispy-forms-gds writes `<id>_hint` and `<span id="<id>_1_error">`),
date inputs have `inputmode="numeric"` in a `role="group"` fieldset, and a character-counted
textarea has no hard `maxlength`. Radios number from 1 (`id_<name>_1`) and date parts from 0
(`<id>_0`), as in the library; the error summary (first_input_id, below), the browser tests and the
keyboard journey rely on these ids. The reason for "Not applicable" is a GOV.UK conditional reveal
under its radio (govuk_radios with `revealed`), written as GOV.UK Frontend 6 expects it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _group(f: FieldParts) -> SafeString:
    """The field's form group, opened: crispy-forms-gds gives it the id `div_<field id>`."""
    return format_html(
        '<div id="div_{}" class="govuk-form-group{}">', f.id, " govuk-form-group--error" if f.invalid else ""
    )


def _described_by_attribute(described_by: str) -> SafeString:
    return format_html(' aria-describedby="{}"', described_by) if described_by else EMPTY


_INVALID = SafeString(' aria-invalid="true"')


RADIO = (
    '<div class="govuk-radios__item">'
    '<input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}'
    "{controls}>"
    '<label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    "</div>"
)
RADIO_WITH_HINT = (
    '<div class="govuk-radios__item">'
    '<input class="govuk-radios__input" id="{id}" name="{name}" type="radio" value="{value}"{checked}'
    ' aria-describedby="{id}-hint"{controls}>'
    '<label class="govuk-label govuk-radios__label" for="{id}">{label}</label>'
    '<div id="{id}-hint" class="govuk-hint govuk-radios__hint">{hint}</div>'
    "</div>"
)
CHECKED = SafeString(" checked")


def radio(
    f: FieldParts, index: int, value: object, label: str, hint: str, *, revealed: SafeString = EMPTY
) -> SafeString:
    """One radio of a set, numbered from 1, with its own hint if it has one, and what it reveals.

    The revealed question follows the radio's item in a `govuk-radios__conditional` div, as GOV.UK
    Frontend 6 writes it: the radio points at it with `data-aria-controls`, which Frontend's radios
    script turns into `aria-controls` when it starts (so without the script no attribute points at a
    hidden control), and the div is `--hidden` only while its radio is not chosen. That class hides
    it only once the script has marked the page `govuk-frontend-supported`: without JavaScript the
    question is always shown and can be answered.
    """
    radio_id = f"id_{f.name}_{index}"
    checked = value == f.value
    conditional_id = f"conditional_{f.name}_{index}"
    item = format_html(
        RADIO_WITH_HINT if hint else RADIO,
        id=radio_id,
        name=f.name,
        value=value,
        checked=CHECKED if checked else EMPTY,
        controls=format_html(' data-aria-controls="{}"', conditional_id) if revealed else EMPTY,
        label=label,
        hint=hint,
    )
    if not revealed:
        return item
    return format_html(
        '{}<div class="govuk-radios__conditional{}" id="{}">{}</div>',
        item,
        "" if checked else " govuk-radios__conditional--hidden",
        conditional_id,
        revealed,
    )


def govuk_radios(field: forms.BoundField, *, reveal_on: str = "", revealed: SafeString = EMPTY) -> SafeString:
    """Radios with a hint on each option, under the field's label as an h2 legend.

    Given `revealed` (another field's markup), the radio whose value is `reveal_on` reveals it: a
    GOV.UK conditional reveal, as crispy-forms-gds's ConditionalRadios writes it, with the
    differences test_govuk_oracle.py lists.
    """
    f = parts(field)
    # crispy-forms-gds Choice objects carry each option's hint.
    choices = list(getattr(field.field, "choices", ()))
    reveals = bool(revealed) and any(choice[0] == reveal_on for choice in choices)
    radios = [
        radio(
            f,
            index,
            choice[0],
            choice[1],
            getattr(choice, "hint", ""),
            revealed=revealed if reveals and choice[0] == reveal_on else EMPTY,
        )
        for index, choice in enumerate(choices, 1)
    ]
    # GOV.UK Frontend's radios script only reveals conditional questions, so the data-module is there
    # only when one is (crispy-forms-gds writes it only for its conditional radios too); those leave
    # out the form group's id as well.
    group = (
        format_html('<div class="govuk-form-group{}">', " govuk-form-group--error" if f.invalid else "")
        if reveals
        else _group(f)
    )
    return format_html(
        "{}"
        '<fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">'
        '<h2 class="govuk-fieldset__heading">{}</h2></legend>'
        "{}"
        '<div class="govuk-radios"{}>{}</div>'
        "</fieldset></div>",
        group,
        _described_by_attribute(f.described_by()) if f.invalid else EMPTY,
        f.label,
        f.errors_html(),
        SafeString(' data-module="govuk-radios"') if reveals else EMPTY,
        SafeString("".join(radios)),
    )


def govuk_textarea(field: forms.BoundField, *, rows: int, maxlength: int) -> SafeString:
    """A GOV.UK character count: the script counts as people type; the server enforces the limit.

    As crispy-forms-gds writes it, the count wraps the form group. The textarea has no maxlength
    (test_govuk_oracle.py says why), and cols="40" is Django's default, which GOV.UK's width overrides.
    """
    f = parts(field)
    # The new line after <textarea> keeps a leading new line in the answer (browsers drop the first).
    return format_html(
        '<div class="govuk-character-count" data-module="govuk-character-count" data-maxlength="{}">'
        "{}"
        '<label class="govuk-label" for="{}">{}</label>'
        "{}{}"
        '<textarea class="govuk-textarea govuk-js-character-count{}" id="{}" name="{}" rows="{}" cols="40"'
        ' aria-describedby="{}"{}>\n{}</textarea>'
        '<span id="{}-info" class="govuk-hint govuk-character-count__message" aria-live="polite">'
        "You can enter up to {} characters</span>"
        "</div></div>",
        maxlength,
        _group(f),
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
        "{}"
        '<label class="govuk-label" for="{}">{}</label>'
        "{}{}"
        '<input class="govuk-input govuk-!-width-two-thirds{}" id="{}" name="{}" type="text" maxlength="{}"'
        ' value="{}"{}{}>'
        "</div>",
        _group(f),
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
    """A GOV.UK date input: day, month and year, keeping exactly what was typed.

    As crispy-forms-gds does, every part of a date with an error is aria-invalid, and the red border
    goes on the parts that are themselves wrong (letters in the month, say), each described by its
    own error; when the date as a whole is wrong (31 February), it goes on all three.
    """
    f = parts(field)
    inputs = date_parts(field)
    any_part_wrong = any(part["errors"] for part in inputs)
    html = format_html_join(
        "",
        '<div class="govuk-date-input__item"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-date-input__label" for="{0}">{1}</label>'
        '<input class="govuk-input govuk-date-input__input {2}{3}" id="{0}" name="{4}" type="text"'
        ' inputmode="numeric" value="{5}"{6}{7}>'
        "</div></div>",
        (
            (
                part["id"],
                part["label"],
                "govuk-input--width-4" if part["wide"] else "govuk-input--width-2",
                " govuk-input--error" if f.invalid and (part["errors"] or not any_part_wrong) else "",
                part["name"],
                part["value"],
                _described_by_attribute(
                    " ".join(error_id for error_id, message in f.errors if message in part["errors"])
                ),
                _INVALID if f.invalid else EMPTY,
            )
            for part in inputs
        ),
    )
    return format_html(
        "{}"
        '<fieldset class="govuk-fieldset" role="group"{}>'
        '<legend class="govuk-fieldset__legend">{}</legend>'
        "{}{}"
        '<div class="govuk-date-input" id="{}">{}</div>'
        "</fieldset></div>",
        _group(f),
        _described_by_attribute(f.described_by()),
        f.label,
        f.hint_html(),
        f.errors_html(),
        f.id,
        html,
    )


def govuk_checkbox(field: forms.BoundField) -> SafeString:
    """A single small checkbox (such as "Remove this reference"), with its hint and errors if any.

    No data-module: GOV.UK Frontend's checkboxes script only reveals conditional questions and
    clears "none of these" options, and a single checkbox has neither (crispy-forms-gds omits it).
    """
    f = parts(field)
    return format_html(
        "{0}{1}{2}"
        '<div class="govuk-checkboxes govuk-checkboxes--small">'
        '<div class="govuk-checkboxes__item">'
        '<input class="govuk-checkboxes__input" id="{3}" name="{4}" type="checkbox"{5}{6}{7}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{3}">{8}</label>'
        "</div></div></div>",
        _group(f),
        f.hint_html(),
        f.errors_html(),
        f.id,
        f.name,
        CHECKED if f.value else EMPTY,
        _described_by_attribute(f.described_by()),
        _INVALID if f.invalid else EMPTY,
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


def date_parts(bound_field: forms.BoundField) -> list[dict[str, Any]]:
    """Day, month and year inputs of a date field: id, name, label, exactly what was typed, and the
    errors of that part alone.

    crispy-forms-gds's DateInputField keeps each part's own errors (letters in the month, say) on
    that part's widget when it cleans the field; the date input marks those parts.
    """
    widget = bound_field.field.widget
    value = bound_field.value()
    if not isinstance(value, list | tuple):
        value = widget.decompress(value) if isinstance(widget, forms.MultiWidget) else [None, None, None]
    subfields = getattr(bound_field.field, "fields", ())
    labels = ("Day", "Month", "Year")
    return [
        {
            "id": f"{bound_field.auto_id}_{index}",
            "name": f"{bound_field.html_name}_{index}",
            "label": label,
            "value": "" if part is None else part,
            "wide": index == 2,
            "errors": [str(error) for error in getattr(subfields[index].widget, "errors", ())]
            if index < len(subfields)
            else [],
        }
        for index, (label, part) in enumerate(zip(labels, value, strict=False))
    ]
