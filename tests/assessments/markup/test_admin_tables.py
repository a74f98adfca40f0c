"""The admin's rows and fragments written in Python: the markup the templates gave, every value escaped.

assessments.markup.admin_tables renders the assessment list and the review page's comparison rows, and
assessments.markup.admin_fragments the admin's app list and list filters, with str.format and
f-strings over values escaped by html.escape. These tests compare them with the templates they
replaced (the review row as it was in templates/admin/assessments/assessment/review.html, and Django's
own admin/app_list.html and admin/filter.html) on hostile text, and check the escaping directly.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import django.contrib.admin
import pytest
from django.http import QueryDict
from django.template import engines
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.admin_review import AssessmentAdmin
from assessments.markup import admin_fragments
from assessments.markup import admin_tables as admin_rows
from assessments.selectors.review import ReturnedLastTime, ReviewReturn, ReviewRow, compare

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"
DJANGO_ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates" / "admin"


class _Markup(HTMLParser):
    """Tags, attributes, entity references and text, with runs of white space as one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, *(f"{name}={value}" for name, value in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.tokens.append(("text", text))

    def handle_entityref(self, name: str) -> None:
        self.tokens.append(("entity", name))

    def handle_charref(self, name: str) -> None:
        self.tokens.append(("char", name))


def markup(html: str) -> list[tuple[str, ...]]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tokens


# --- shared pieces -------------------------------------------------------------------------------


def test_object_urls_put_the_id_where_reverse_would():
    urls = admin_rows.ObjectUrls.reverse("admin:assessments_assessment_review")
    for pk in (1, 42, 987654321, 10**12):
        assert urls(pk) == reverse("admin:assessments_assessment_review", args=[pk])


def test_object_urls_keep_preserved_filters_and_escape_them_for_an_attribute():
    query = "?_changelist_filters=q%3D%3Cb%3E%26o%3D1&x=987654321"
    urls = admin_rows.ObjectUrls(f"/admin/assessments/assessment/987654321/change/{query}")
    assert urls(7) == f"/admin/assessments/assessment/7/change/{query}"
    assert urls.html(7) == f"/admin/assessments/assessment/7/change/{query.replace('&', '&amp;')}"
    with pytest.raises(ValueError):
        urls("7; DROP")
    with pytest.raises(ValueError):
        admin_rows.ObjectUrls("/admin/no-placeholder/")


@given(st.text())
def test_lines_gives_what_the_linebreaksbr_filter_gives(text):
    assert admin_rows._lines(text) == linebreaksbr(text)


# --- the assessment list -------------------------------------------------------------------------


def list_row(**overrides) -> admin_rows.AssessmentListRow:
    values = {
        "pk": 12,
        "force_name": "Cleveland Police",
        "round_name": "2026 autumn review",
        "status": "submitted",
        "submitted_at": datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC),
    }
    return admin_rows.AssessmentListRow(**{**values, **overrides})


def list_html(*rows: admin_rows.AssessmentListRow, query: str = "") -> str:
    return admin_rows.assessment_list_html(
        rows,
        change_urls=admin_rows.ObjectUrls(f"/admin/assessments/assessment/987654321/change/{query}"),
        review_urls=admin_rows.ObjectUrls.reverse("admin:assessments_assessment_review"),
        now=datetime.datetime(2026, 11, 17, 8, 0, tzinfo=datetime.UTC),
    )


def test_the_list_row_has_the_admins_cells_in_list_display_order():
    assert AssessmentAdmin.list_display == list(admin_rows.LIST_COLUMNS)
    tokens = markup(list_html(list_row()))
    cells = [token[2] for token in tokens if token[0] == "start" and token[1] in ("th", "td")]
    assert cells == [
        f"class=field-{column}{' nowrap' * (i < 2)}" for i, column in enumerate(admin_rows.LIST_COLUMNS)
    ]


def test_the_list_row_says_the_status_in_words_and_how_long_a_submission_has_waited():
    html = list_html(list_row())
    change = "/admin/assessments/assessment/12/change/"
    assert f'<th class="field-force nowrap"><a href="{change}">Cleveland Police</a></th>' in html
    assert '<td class="field-status_tag">Submitted</td>' in html
    assert '<td class="field-submitted_on">3 Nov 2026</td>' in html
    assert '<td class="field-days_waiting">13</td>' in html  # 13 days and 22 hours
    review = reverse("admin:assessments_assessment_review", args=[12])
    assert f'<a href="{review}">Review<span class="visually-hidden"> Cleveland Police</span></a>' in html


def test_the_list_row_of_an_assessment_not_waiting_offers_view_and_dashes():
    html = list_html(list_row(status="draft", submitted_at=None))
    assert '<td class="field-status_tag">Draft</td>' in html
    assert '<td class="field-submitted_on">–</td><td class="field-days_waiting">–</td>' in html
    assert ">View<span" in html
    signed_off = list_html(list_row(status="signed_off"))
    assert "Signed off" in signed_off and '<td class="field-days_waiting">–</td>' in signed_off


def test_the_list_escapes_names_and_the_preserved_filters():
    html = list_html(
        list_row(force_name=NASTY, round_name=NASTY), list_row(pk=13), query="?_changelist_filters=a%3D1&b=2"
    )
    assert NASTY not in html and "<script>" not in html
    assert html.count(ESCAPED) == 3  # the force's link, the round and the review link's hidden text
    assert 'href="/admin/assessments/assessment/12/change/?_changelist_filters=a%3D1&amp;b=2"' in html
    assert 'href="/admin/assessments/assessment/13/change/?_changelist_filters=a%3D1&amp;b=2"' in html


# --- the review page's comparison ----------------------------------------------------------------

# The rows as templates/admin/assessments/assessment/review.html rendered them before admin_rows.
REVIEW_ROW_TEMPLATE = """{% load assessment_tags %}
{% for row in rows %}{% with ret=row.activity_return code=row.activity_return.activity.code %}
<tr id="activity-{{ code }}">
  <th scope="row"><span class="code">{{ code }}</span> {{ ret.activity.title }}</th>
  <td>
    <strong>{{ ret.implementation_status|implementation_label }}</strong>
    {% if ret.not_applicable_reason %}<p>Reason: {{ ret.not_applicable_reason }}</p>{% endif %}
    {% if ret.evidence_summary %}<p>Evidence: {{ ret.evidence_summary|linebreaksbr }}</p>{% endif %}
    {% for ref in ret.evidence_references %}<p class="ref">{{ ref.title }}{% if ref.location %} – {{ ref.location }}{% endif %}{% if ref.applies_on %} ({{ ref.applies_on|short_date }}){% endif %}</p>{% endfor %}
    {% if ret.next_steps %}<p>Next steps: {{ ret.next_steps|linebreaksbr }}{% if ret.action_owner %} Owner: {{ ret.action_owner }}.{% endif %}{% if ret.target_date %} By {{ ret.target_date|date:"j M Y" }}.{% endif %}</p>{% endif %}
  </td>
  <td>{% if row.previous %}<strong>{{ row.previous.implementation_status|implementation_label }}</strong>{% if row.previous.evidence_summary %}<p>Evidence: {{ row.previous.evidence_summary|linebreaksbr }}</p>{% endif %}{% else %}–{% endif %}</td>
  <td class="change change-{{ row.status_change }}">
    {% if row.status_change == "up" %}Status up{% elif row.status_change == "down" %}Status down{% elif row.status_change == "new" %}New{% elif row.status_change == "other" %}Status changed{% else %}Status unchanged{% endif %}
    {% if row.evidence_changed and row.previous %}<br>Evidence changed{% endif %}
    {% if row.carried_forward_unchanged %}<br>Carried forward unchanged{% endif %}
    {% if ret.reopened_for_changes %}<br>Changes requested{% endif %}
    {% if row.returned %}<div class="returned"><p><strong>Returned last time.</strong> You asked: {{ row.returned.request|linebreaksbr }}</p><p>Changed since the return: {{ row.returned.changed_names|join:", "|default:"Nothing" }}</p></div>{% endif %}
  </td>
  {% if can_decide %}
  <td>
    {% with changes_field="changes_"|add:code comment_field="comment_"|add:code %}
    <div><input type="checkbox" name="{{ changes_field }}" id="id_{{ changes_field }}"{% for name, value in review_form.data.items %}{% if name == changes_field %} checked{% endif %}{% endfor %}> <label for="id_{{ changes_field }}" class="vCheckboxLabel">Needs changes<span class="visually-hidden"> ({{ code }})</span></label></div>
    <label for="id_{{ comment_field }}">Comment<span class="visually-hidden"> on {{ code }}</span></label>
    {% for name, errors in review_form.errors.items %}{% if name == comment_field %}<ul class="errorlist">{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}{% endfor %}
    <textarea name="{{ comment_field }}" id="id_{{ comment_field }}" rows="2" maxlength="2000">{% for name, value in review_form.data.items %}{% if name == comment_field %}{{ value }}{% endif %}{% endfor %}</textarea>
    {% if looked_at %}<p class="looked-at">{% if row.looked_at %}<strong>Looked at</strong> <button type="submit" name="looked_at" value="{{ code }}:clear" class="button">Clear<span class="visually-hidden"> looked at on {{ code }}</span></button>{% else %}<button type="submit" name="looked_at" value="{{ code }}" class="button">Mark as looked at<span class="visually-hidden"> ({{ code }})</span></button>{% endif %}</p>{% endif %}
    {% endwith %}
  </td>
  {% endif %}
</tr>
{% endwith %}{% endfor %}"""  # noqa: E501


def review_return(**overrides) -> ReviewReturn:
    values: dict[str, object] = {
        "code": "LG01",
        "title": "A chief officer leads",
        "implementation_status": "implemented",
        "not_applicable_reason": "",
        "evidence_summary": "Policy approved",
        "evidence_references": [],
        "next_steps": "",
        "action_owner": "",
        "target_date": None,
        "carried_forward": False,
        "reopened_for_changes": False,
    }
    return ReviewReturn(**{**values, **overrides})


def review_row(current: ReviewReturn, previous: dict | None = None) -> ReviewRow:
    change, evidence_changed = compare(current, previous)
    return ReviewRow(current, previous, change, evidence_changed)


def template_rows(rows: list[ReviewRow], *, data=None, errors=None, looked_at=False) -> str:
    """The rows as the review template rendered them (the template read the return's activity)."""

    class AsTemplateSawIt:
        def __init__(self, row: ReviewRow) -> None:
            self.activity_return = SimpleNamespace(
                **{name: getattr(row.activity_return, name) for name in row.activity_return.__slots__},
                activity=SimpleNamespace(code=row.activity_return.code, title=row.activity_return.title),
            )
            self.previous = row.previous
            self.status_change = row.status_change
            self.evidence_changed = row.evidence_changed
            self.carried_forward_unchanged = row.carried_forward_unchanged
            self.returned = row.returned
            self.looked_at = row.looked_at

    template = engines["django"].from_string(REVIEW_ROW_TEMPLATE)
    return template.render(
        {
            "rows": [AsTemplateSawIt(row) for row in rows],
            "can_decide": data is not None,
            "looked_at": looked_at,
            "review_form": SimpleNamespace(data=data or {}, errors=errors or {}),
        }
    )


def hostile_rows() -> list[ReviewRow]:
    reference = {"title": NASTY, "location": f"{NASTY}\nshelf", "applies_on": NASTY}
    return [
        review_row(
            review_return(
                title=NASTY,
                not_applicable_reason=NASTY,
                evidence_summary=f"{NASTY}\r\nsecond line\rthird",
                evidence_references=[reference, {"title": "Plain"}],
                next_steps=f"{NASTY}\nthen more",
                action_owner=NASTY,
                target_date=datetime.date(2031, 3, 3),
                carried_forward=True,
                reopened_for_changes=True,
            ),
            {
                "activity_code": "LG01",
                "implementation_status": "planned",
                "evidence_summary": f"{NASTY}\nold",
            },
        ),
        review_row(review_return(code="LG02", implementation_status="", evidence_summary="")),
        review_row(
            review_return(code="LG03", carried_forward=True),
            {"implementation_status": "implemented", "evidence_summary": "Policy approved"},
        ),
        review_row(
            review_return(code="LG04", implementation_status="embedded"), {"implementation_status": "x"}
        ),
    ]


def test_review_rows_give_the_templates_markup_for_a_coordinator_deciding():
    rows = hostile_rows()
    data = QueryDict(mutable=True)
    data.update({"changes_LG01": "on", "comment_LG01": NASTY, "comment_LG03": "keep </textarea> out"})
    errors = {"comment_LG01": [NASTY, "Say what needs to change in LG01"]}
    ours = admin_rows.review_rows_html(rows, data=data, errors=errors)
    assert markup(ours) == markup(template_rows(rows, data=data, errors=errors))
    assert NASTY not in ours and "<script>" not in ours and "</textarea> out" not in ours


def test_review_rows_give_the_templates_markup_for_someone_who_cannot_decide():
    rows = hostile_rows()
    ours = admin_rows.review_rows_html(rows, data=None)
    assert markup(ours) == markup(template_rows(rows))
    assert "<textarea" not in ours and "<input" not in ours


def resubmitted_rows() -> list[ReviewRow]:
    """Rows of a resubmission: one returned and changed (hostile request), one returned and unchanged,
    one looked at, one plain."""
    first, second, third, fourth = hostile_rows()
    return [
        ReviewRow(
            first.activity_return,
            first.previous,
            first.status_change,
            first.evidence_changed,
            returned=ReturnedLastTime(request=f"{NASTY}\nplease", changed_fields=("evidence_summary",)),
            looked_at=True,
        ),
        ReviewRow(
            second.activity_return,
            None,
            second.status_change,
            False,
            returned=ReturnedLastTime(request="Add the audit", changed_fields=()),
        ),
        ReviewRow(third.activity_return, third.previous, third.status_change, False, looked_at=True),
        fourth,
    ]


@pytest.mark.parametrize("looked_at", [True, False])
def test_returned_and_looked_at_rows_give_the_templates_markup(looked_at):
    rows = resubmitted_rows()
    data = QueryDict(mutable=True)
    data.update({"changes_LG02": "on", "comment_LG02": "Still no audit"})
    ours = admin_rows.review_rows_html(rows, data=data, looked_at=looked_at)
    assert markup(ours) == markup(template_rows(rows, data=data, looked_at=looked_at))
    assert NASTY not in ours
    assert ("Mark as looked at" in ours) == looked_at
    assert "Changed since the return: Evidence summary</p>" in ours
    assert "Changed since the return: Nothing</p>" in ours
    assert markup(admin_rows.review_rows_html(rows, data=None)) == markup(template_rows(rows))


def test_review_rows_say_what_changed_in_words():
    html = admin_rows.review_rows_html(hostile_rows(), data=None)
    assert '<td class="change change-up">Status up<br>Evidence changed<br>Changes requested</td>' in html
    assert '<td class="change change-new">New</td>' in html
    assert '<td class="change change-same">Status unchanged<br>Carried forward unchanged</td>' in html
    assert '<td class="change change-other">Status changed<br>Evidence changed</td>' in html
    assert f'<th scope="row"><span class="code">LG01</span> {ESCAPED}</th>' in html
    assert f"Owner: {ESCAPED}. By 3 Mar 2031.</p>" in html
    assert "<td>–</td>" in html  # no earlier sign-off to compare with


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    status=st.sampled_from(["", "planned", "embedded", "not_applicable"]),
    previous_status=st.sampled_from([None, "", "planned", "embedded"]),
)
def test_review_rows_match_the_template_for_any_text(text, status, previous_status):
    previous = (
        None
        if previous_status is None
        else {"implementation_status": previous_status, "evidence_summary": text}
    )
    current = review_return(
        title=text or "t",
        implementation_status=status,
        not_applicable_reason=text,
        evidence_summary=text,
        evidence_references=[{"title": text, "location": text, "applies_on": text}],
        next_steps=text,
        action_owner=text,
        target_date=datetime.date(2030, 12, 31) if text else None,
    )
    rows = [review_row(current, previous)]
    data = {"comment_LG01": text, "changes_LG01": text}
    assert markup(admin_rows.review_rows_html(rows, data=data)) == markup(template_rows(rows, data=data))


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


# --- the pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_assessment_list_escapes_force_names_and_counts_the_total_only_when_filtered(
    client, world, open_round
):
    from tests.factories import ForceFactory, verified_staff_login

    ForceFactory(code="evil", name=NASTY, region=world.home_region)
    from assessments.services import round_open

    round_open(
        name="Spring",
        plan=open_round.plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 1),
        opened_by=world.national,
    )
    verified_staff_login(client, world.coordinator)
    url = reverse("admin:assessments_assessment_changelist")
    html = client.get(url).content.decode()
    assert NASTY not in html and ESCAPED in html
    assert "results (" not in html  # unfiltered: the count is the total, as Django shows it
    filtered = client.get(url, {"round__id__exact": open_round.pk}).content.decode()
    # The first round has the region's two forces; the force made after it joins the next round.
    assert '2 results (<a href="?">5 total</a>)' in filtered


def test_the_submission_date_is_the_uk_date_not_the_stored_utc_one():
    submitted_on = admin_rows.submitted_on
    late_summer_evening = datetime.datetime(2026, 7, 14, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST on the 15th
    assert submitted_on(late_summer_evening) == "15 Jul 2026"
    winter_evening = datetime.datetime(2026, 12, 14, 23, 30, tzinfo=datetime.UTC)  # GMT: still the 14th
    assert submitted_on(winter_evening) == "14 Dec 2026"
    assert submitted_on(None) == "–"
