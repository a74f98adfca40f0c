"""The admin's app list and list filters written in Python: Django's own markup, every value escaped.

assessments.markup.admin_fragments renders the app list (templates/admin/app_list.html uses it) and the
list filters with str.format over values escaped by html.escape. These tests compare them with Django's
own admin/app_list.html and admin/filter.html on hostile text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st

from assessments.markup import admin_fragments
from tests.assessments.markup.markup_tokens import DJANGO_ADMIN_TEMPLATES, NASTY, markup

# --- the app list and the list filters -----------------------------------------------------------


def django_template(name: str):
    """One of Django's own admin templates, not this project's override of it."""
    return engines["django"].from_string((DJANGO_ADMIN_TEMPLATES / name).read_text())


APPS = [
    {
        "name": NASTY,
        "app_label": "assessments",
        "app_url": "/admin/assessments/",
        "models": [
            {
                "name": NASTY,
                "object_name": "Assessment",
                "admin_url": "/admin/assessments/assessment/?a=1&b=2",
                "add_url": None,
                "view_only": True,
            },
            {
                "name": "Forces",
                "object_name": "Force",
                "admin_url": "/admin/assessments/force/",
                "add_url": "/admin/assessments/force/add/",
                "view_only": False,
            },
            {
                "name": "Hidden",
                "object_name": "Secret",
                "admin_url": None,
                "add_url": None,
                "view_only": False,
            },
        ],
    },
    {
        "name": "Action plan",
        "app_label": "actionplan",
        "app_url": "/admin/actionplan/",
        "models": [
            {
                "name": "Activities",
                "object_name": "Activity",
                "admin_url": "/admin/actionplan/activity/",
                "add_url": None,
                "view_only": True,
            }
        ],
    },
]


@pytest.mark.parametrize("show_changelinks", [False, True])
@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/assessments/assessment/%3Fa=1&b=2", "/admin/actionplan/"]
)
def test_the_app_list_gives_djangos_markup(rf, show_changelinks, path):
    request = rf.get(path)
    context = {"app_list": APPS, "show_changelinks": show_changelinks}
    theirs = django_template("app_list.html").render(context, request)
    project_template = (Path(__file__).parents[3] / "templates/admin/app_list.html").read_text()
    ours = engines["django"].from_string(project_template).render(context, request)
    assert markup(ours) == markup(theirs)
    assert "<script>" not in ours


def test_an_empty_app_list_says_so_as_django_does(rf):
    theirs = django_template("app_list.html").render({"app_list": []}, rf.get("/admin/"))
    assert markup(admin_fragments.app_list_html([], path="/admin/")) == markup(theirs)


def test_a_list_filter_gives_djangos_markup():
    choices = [
        {"selected": True, "query_string": "?", "display": "All"},
        {"selected": False, "query_string": "?round__id__exact=1&q=%3Cb%3E", "display": NASTY},
        {"selected": False, "query_string": "?region=café", "display": "Café region"},
    ]
    theirs = django_template("filter.html").render({"title": NASTY, "choices": choices, "spec": None})
    ours = admin_fragments.filter_html(NASTY, choices)
    assert markup(ours) == markup(theirs)
    assert NASTY not in ours and 'href="?region=caf%C3%A9"' in ours


# Latin letters, digits, punctuation and spaces: the characters of the plan's titles (no combining marks).
@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs"), max_codepoint=0x24F), max_size=120))
def test_nomination_titles_are_cut_as_truncatechars_cuts_them(title):
    from django.template.defaultfilters import truncatechars

    from assessments.markup.admin_fragments import _cut

    assert _cut(title, 70) == truncatechars(title, 70)
