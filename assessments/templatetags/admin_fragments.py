"""The admin's app list and list filters as template tags.

The markup is in assessments/markup/admin_fragments.py.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import urlencode
from django.utils.safestring import SafeString

from assessments.markup.admin_fragments import admin_list_filters, app_list_html

register = template.Library()
register.simple_tag(admin_list_filters)


@register.simple_tag(takes_context=True)
def admin_app_list(context: template.Context, app_list: Any, show_changelinks: Any = False) -> SafeString:
    """The app list for the page's request (the current app and model are marked)."""
    request = context.get("request")
    path = urlencode(request.path) if request is not None else ""
    return app_list_html(app_list, path=path, show_changelinks=bool(show_changelinks))
