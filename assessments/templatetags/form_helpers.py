"""Template filters and tags for GOV.UK forms: the error summary's links and a date field's parts.

first_input_id and date_parts live with the rest of the GOV.UK field markup in
assessments/markup/govuk_fields.py. The error summary's entries are gathered here: a page has one
summary ("There is a problem") however many forms it holds, or a screen reader user hears only the
summary that took the focus last.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

from assessments.markup.govuk_fields import date_parts, first_input_id

register = template.Library()
register.filter(first_input_id)
register.filter(date_parts)


@dataclass(frozen=True)
class ErrorLink:
    """One entry of an error summary: the message, and the id of the input its link moves focus to."""

    message: str
    target: str


@register.filter
def error_links(form: forms.BaseForm) -> list[ErrorLink]:
    """A form's errors in the order a reader meets them: the form's own first, then field by field.

    An error that belongs to no field (or to a hidden one, which no one can fix by hand) links to the
    form's first input, as Django lists such errors at the top of a form.
    """
    visible = form.visible_fields()
    first = first_input_id(visible[0]) if visible else ""
    hidden = [error for field in form.hidden_fields() for error in field.errors]
    links = [ErrorLink(str(error), first) for error in [*form.non_field_errors(), *hidden]]
    for field in visible:
        links.extend(ErrorLink(str(error), first_input_id(field)) for error in field.errors)
    return links


@register.simple_tag
def page_error_links(*parts: forms.BaseForm | forms.BaseFormSet) -> list[ErrorLink]:  # type: ignore[type-arg]
    """Every error of a page's forms and formsets, given in the order they appear on the page.

    A formset's own errors (too many rows, say) come before its forms' and link to its first input.
    """
    links: list[ErrorLink] = []
    for part in parts:
        if isinstance(part, forms.BaseFormSet):
            first_form = part.forms[0] if part.forms else None
            visible = first_form.visible_fields() if first_form is not None else []
            first = first_input_id(visible[0]) if visible else ""
            links.extend(ErrorLink(str(error), first) for error in part.non_form_errors())
            for form in part.forms:
                links.extend(error_links(form))
        else:
            links.extend(error_links(part))
    return links
