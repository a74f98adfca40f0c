"""The review page's comparison rows written in Python: the markup the template gave, every value escaped.

assessments.markup.admin_tables renders the review page's comparison rows with f-strings over values
escaped by html.escape. These tests compare them with the template they replaced (the review row as it
was in templates/admin/assessments/assessment/review.html) on hostile text, and check the escaping
directly. The assessment list's rows are tested in test_assessment_list.py, the app list and filters in
test_admin_fragments.py.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template import engines
from django.template.defaultfilters import linebreaksbr
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.markup import admin_tables as admin_rows
from assessments.selectors.review import ReturnedLastTime, ReviewReturn, ReviewRow, compare
from tests.assessments.markup.markup_tokens import ESCAPED, NASTY, markup

# --- shared pieces -------------------------------------------------------------------------------


@given(st.text())
def test_lines_gives_what_the_linebreaksbr_filter_gives(text):
    assert admin_rows._lines(text) == linebreaksbr(text)


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


# --- the summary of groups and the history table ----------------------------------------------------

# Both as templates/admin/assessments/assessment/review.html rendered them before admin_rows.
SUMMARY_TEMPLATE = """{% for key, label, count in group_counts %}
<li>{% if group == key %}<strong aria-current="true">{{ label }}: {{ count }}</strong>{% elif count %}<a href="?show={{ key }}#review-table">{{ label }}: {{ count }}</a>{% else %}{{ label }}: 0{% endif %}</li>
{% endfor %}
<li>{% if group %}<a href="?show=all#review-table">Show all {{ total }} activities</a>{% else %}<strong aria-current="true">All {{ total }} activities</strong>{% endif %}</li>"""  # noqa: E501
HISTORY_TEMPLATE = """{% load assessment_tags %}{% for event in events %}
<tr><td>{{ event.created_at|short_datetime }}</td><td>{{ event.actor_name }} ({{ event.actor_role }})</td><td>{{ event.get_from_status_display }} → {{ event.get_to_status_display }} (version {{ event.version }})</td><td>{{ event.comment|linebreaksbr }}</td></tr>
{% empty %}
<tr><td colspan="4">Nothing has happened to this assessment yet.</td></tr>
{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("group", [None, "returned", "down", "old", "not-a-group"])
def test_the_group_summary_gives_the_templates_markup(group):
    group_counts = [("returned", "Returned last time", 2), ("down", "Status down", 0), ("old", NASTY, 5)]
    ours = admin_rows.group_summary(group_counts, group=group, total=50)
    theirs = (
        engines["django"]
        .from_string(SUMMARY_TEMPLATE)
        .render({"group_counts": group_counts, "group": group, "total": 50})
    )
    assert markup(ours) == markup(theirs)
    assert NASTY not in ours


def test_the_history_gives_the_templates_markup():
    from assessments.models import AssessmentEvent
    from assessments.selectors.review import ReviewEvent

    moments = [
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 7, 1, 9, 5, tzinfo=datetime.UTC),
    ]
    values = [
        {
            "pk": 1,
            "created_at": moments[0],
            "version": 1,
            "actor_id": 3,
            "actor_name": NASTY,
            "actor_role": "SPOC",
            "from_status": "draft",
            "to_status": "submitted",
            "comment": "",
        },
        {
            "pk": 2,
            "created_at": moments[1],
            "version": 1,
            "actor_id": 4,
            "actor_name": "Casey",
            "actor_role": NASTY,
            "from_status": "submitted",
            "to_status": "returned",
            "comment": f"{NASTY}\r\nsecond line\rthird",
        },
    ]
    ours = admin_rows.history_rows([ReviewEvent(**value) for value in values])
    theirs = (
        engines["django"]
        .from_string(HISTORY_TEMPLATE)
        .render(
            {"events": [AssessmentEvent(id=value.pop("pk"), **value) for value in [dict(v) for v in values]]}
        )
    )
    assert markup(ours) == markup(theirs)
    assert NASTY not in ours and "Submitted → Returned for changes (version 1)" in ours
    empty = engines["django"].from_string(HISTORY_TEMPLATE).render({"events": []})
    assert markup(admin_rows.history_rows([])) == markup(empty)
