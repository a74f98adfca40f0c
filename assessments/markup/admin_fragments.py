"""Parts of admin pages rendered in Python with Django's own markup.

The admin's app list (the navigation sidebar on every page, and the index) is a template with a
dozen nodes per model, and each list filter renders a template with a few nodes per choice; on the
assessment list and the review page they cost more than the rows themselves. These functions give the
markup of Django 5.2's admin/app_list.html (used by templates/admin/app_list.html) and
admin/filter.html (used by the assessment list); on a Django upgrade, compare them with its templates.

As in assessments.markup.admin_tables, fixed markup is filled with str.format and every value is escaped
first with html.escape (what django.utils.html.escape does); tests/assessments/markup/test_admin_fragments.py
checks it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _text(value: Any) -> str:
    """Any value (lazy translations included) as escaped HTML text."""
    return html.escape(str(value))


# --- the app list ----------------------------------------------------------------------------------

APP = (
    '<div class="app-{app_label} module{current}">'
    "<table>"
    '<caption><a href="{app_url}" class="section" title="{title}">{name}</a></caption>'
    '<thead class="visually-hidden"><tr>'
    '<th scope="col">{model_heading}</th><th scope="col">{add_heading}</th>'
    '<th scope="col">{change_heading}</th>'
    "</tr></thead>"
    "{models}"
    "</table>"
    "</div>\n"
)
MODEL = '<tr class="model-{model_name}{current}"><th scope="row" id="{row_id}">{name}</th>{add}{change}</tr>'
MODEL_LINK = '<a href="{url}"{current}>{name}</a>'
ADD_LINK = '<td><a href="{url}" class="addlink" aria-describedby="{row_id}">{label}</a></td>'
CHANGE_LINK = '<td><a href="{url}" class="{css}" aria-describedby="{row_id}">{label}</a></td>'
EMPTY_CELL = "<td></td>"


def _model_row(
    app_label: str, model: Mapping[str, Any], *, path: str, show_changelinks: bool, labels: Mapping[str, str]
) -> str:
    model_name = _text(str(model["object_name"]).lower())
    row_id = f"{_text(app_label)}-{model_name}"
    admin_url = model.get("admin_url") or ""
    is_current = bool(admin_url) and admin_url in path
    name = _text(model["name"])
    if admin_url:
        name = MODEL_LINK.format(
            url=_text(admin_url), current=' aria-current="page"' if is_current else "", name=name
        )
    add_url = model.get("add_url")
    add = ADD_LINK.format(url=_text(add_url), row_id=row_id, label=labels["add"]) if add_url else EMPTY_CELL
    change = ""
    if show_changelinks:
        if admin_url:
            css, label = (
                ("viewlink", labels["view"]) if model.get("view_only") else ("changelink", labels["change"])
            )
            change = CHANGE_LINK.format(url=_text(admin_url), css=css, row_id=row_id, label=label)
        else:
            change = EMPTY_CELL
    return MODEL.format(
        model_name=model_name,
        current=" current-model" if is_current else "",
        row_id=row_id,
        name=name,
        add=add,
        change=change,
    )


def app_list_html(
    app_list: Iterable[Mapping[str, Any]], *, path: str, show_changelinks: bool = False
) -> SafeString:
    """Each app's table of models, as Django's admin/app_list.html renders it for this request path."""
    apps = list(app_list or ())
    if not apps:
        message = _text(gettext("You don’t have permission to view or edit anything."))
        return mark_safe(f"<p>{message}</p>")  # noqa: S308 - an escaped message
    labels = {
        "add": _text(gettext("Add")),
        "view": _text(gettext("View")),
        "change": _text(gettext("Change")),
    }
    headings = {
        "model_heading": _text(gettext("Model name")),
        "add_heading": _text(gettext("Add link")),
        "change_heading": _text(gettext("Change or view list link")),
    }
    fragments = []
    for app in apps:
        app_label = app["app_label"]
        models = "".join(
            _model_row(app_label, model, path=path, show_changelinks=show_changelinks, labels=labels)
            for model in app["models"]
        )
        fragments.append(
            APP.format(
                app_label=_text(app_label),
                current=" current-app" if app["app_url"] in path else "",
                app_url=_text(app["app_url"]),
                title=_text(gettext("Models in the %(name)s application") % {"name": app["name"]}),
                name=_text(app["name"]),
                models=models,
                **headings,
            )
        )
    return mark_safe("".join(fragments))  # noqa: S308 - fixed markup and escaped values only


# --- changelist filters ----------------------------------------------------------------------------

FILTER = (
    '<details data-filter-title="{title}" open><summary>{summary}</summary><ul>{choices}</ul></details>\n'
)
FILTER_CHOICE = '<li{selected}><a href="{url}">{display}</a></li>'


def _cut(text: str, length: int) -> str:
    """`text` cut to `length` characters with an ellipsis, as the truncatechars filter cuts plain text."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


def nomination_options_html(choices: Iterable[tuple[str, str]], *, selected: Any) -> SafeString:
    """The review page's "Nominate notable practice" activity options, built once in Python: a template
    loop over 50 activities (with a filter and the bound field's value each time) cost the page about
    a tenth of its time. Titles are cut to 70 characters as Django's truncatechars filter cuts them
    (69 characters and an ellipsis; a test compares the two), by slicing: Truncator's normalisation was
    most of the cost, and the plan's titles are validated plain text."""
    chosen = str(selected or "")
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(
            f'<option value="{_text(code)}"{" selected" if code == chosen else ""}>'
            f"{_text(code)} {_text(_cut(title, 70))}</option>"
            for code, title in choices
        )
    )


def filter_html(title: str, choices: Iterable[Mapping[str, Any]]) -> SafeString:
    """One list filter as Django's admin/filter.html renders it: a heading and a link per choice."""
    return mark_safe(  # noqa: S308 - fixed markup and escaped values only
        FILTER.format(
            title=_text(title),
            summary=_text(gettext(" By %(filter_title)s ") % {"filter_title": title}),
            choices="".join(
                FILTER_CHOICE.format(
                    selected=' class="selected"' if choice.get("selected") else "",
                    url=_text(iri_to_uri(choice["query_string"])),
                    display=_text(choice["display"]),
                )
                for choice in choices
            ),
        )
    )


def admin_list_filters(cl: Any) -> SafeString:
    """Every list filter of the changelist; filters with their own template are rendered by it."""
    fragments = []
    for spec in cl.filter_specs:
        if spec.template == "admin/filter.html":
            fragments.append(filter_html(spec.title, spec.choices(cl)))
        else:
            fragments.append(admin_list_filter(cl, spec))
    return mark_safe("".join(fragments))  # noqa: S308 - escaped above or rendered by a template
