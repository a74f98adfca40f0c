"""The task list's and check-your-answers rows and the heat map's cells against the templates they replaced.

assessments/markup/task_list.py and assessments/markup/heat_map.py write GOV.UK components (task list,
summary list, tag) that no library in the project renders: crispy-forms-gds has no task list or
summary list, and GOV.UK Frontend's own Nunjucks templates are not here to run. The project vendors
only GOV.UK Frontend's built CSS and JavaScript (static/govuk/); frontend/ installs the npm package
only to build them, and keeps no node_modules; rendering Nunjucks would also need Node and the
nunjucks package, which the project does not use. So there is no executable oracle for the
component markup itself.

The oracle here is the next best: the project's own Django templates as they were before the rows
moved into Python, recovered from git with the filters they used as they were then. The task list
and check-your-answers rows come from templates/assessments/task_list.html and check_answers.html at
the parent of e3dcf07 ("SPOC pages under 4x the trivial page"), the filters task_tag_class and
implementation_label from assessments/templatetags/assessment_tags.py there; the heat map cell from
templates/assessments/_heat_map.html at the parent of 6794258 ("National scale"), the status_css
filter likewise. Each test renders the same rows both ways and compares them with
tests/assessments/markup/html_oracle.py; no difference is accepted. A change of GOV.UK Frontend's
components still needs a person to compare its release notes with these templates.
"""

from __future__ import annotations

import dataclasses
import datetime
from types import SimpleNamespace

import pytest
from django import template
from django.template import Engine
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.markup import heat_map, task_list
from assessments.overviews import CELLS
from assessments.selectors import AreaHeading, TaskRow, TaskSection
from assessments.status import ImplementationStatus, TaskStatus
from tests.assessments.markup.html_oracle import differences

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
ASSESSMENT_ID = 7

# --- the templates and filters before the switch -----------------------------------------------------

register = template.Library()  # the filters below, loaded by the templates as "history"

# assessments/templatetags/assessment_tags.py at e3dcf07^.
TASK_TAG_CLASSES = {
    TaskStatus.NOT_STARTED: "govuk-tag--grey",
    TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
    TaskStatus.COMPLETED: "",
    TaskStatus.CARRIED_FORWARD: "govuk-tag--yellow",
    TaskStatus.CHANGES_REQUESTED: "govuk-tag--red",
    # Added with the status (issue 17): the template's filter would have carried it the same way.
    TaskStatus.NEEDS_EVIDENCE_OF_CHANGE: "govuk-tag--orange",
}


@register.filter
def task_tag_class(status: str) -> str:
    return TASK_TAG_CLASSES.get(TaskStatus(status), "")


@register.filter
def implementation_label(status: str) -> str:
    return ImplementationStatus(status).label if status in ImplementationStatus.values else "Not answered"


@register.filter
def status_css(status: str) -> str:
    return f"app-status--{status.replace('_', '-')}" if status else "app-status--none"


# The loops over the rows, verbatim from the templates named in the module docstring.
TASK_LIST_ROWS = """
        {% for row in section.rows %}
          {% with ret=row.activity_return %}
          <li class="govuk-task-list__item govuk-task-list__item--with-link" id="{{ ret.activity.code }}">
            <div class="govuk-task-list__name-and-hint">
              <a class="govuk-link govuk-task-list__link" href="{% url 'assessments:activity' assessment.pk ret.activity.code %}" aria-describedby="{{ ret.activity.code }}-status">{{ ret.activity.code }} {{ ret.activity.title }}</a>
              {% if ret.reopened_for_changes and ret.coordinator_comment %}<div class="govuk-task-list__hint">Coordinator: {{ ret.coordinator_comment }}</div>{% endif %}
            </div>
            <div class="govuk-task-list__status" id="{{ ret.activity.code }}-status">
              {% if row.task_status == "completed" %}Completed{% else %}<strong class="govuk-tag {{ row.task_status|task_tag_class }}">{{ row.task_status.label }}</strong>{% endif %}
            </div>
          </li>
          {% endwith %}
        {% endfor %}
"""  # noqa: E501
ANSWER_ROWS = """
    {% for row in section.rows %}{% with ret=row.activity_return %}
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{{ ret.activity.code }} {{ ret.activity.title }}</dt>
        <dd class="govuk-summary-list__value">
          <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{{ ret.implementation_status|implementation_label }}{% if row.task_status != "completed" %} <strong class="govuk-tag {{ row.task_status|task_tag_class }}">{{ row.task_status.label }}</strong>{% endif %}</p>
          {% if ret.implementation_status == "not_applicable" %}<p class="govuk-body-s">Reason: {{ ret.not_applicable_reason }}</p>{% endif %}
          {% if ret.evidence_summary %}<p class="govuk-body-s">Evidence: {{ ret.evidence_summary|truncatechars:400 }}</p>{% endif %}
          {% if ret.next_steps %}<p class="govuk-body-s">Next steps: {{ ret.next_steps|truncatechars:300 }}{% if ret.action_owner %} (owner: {{ ret.action_owner }}{% if ret.target_date %}, by {{ ret.target_date|date:"j F Y" }}{% endif %}){% endif %}</p>{% endif %}
          {% if ret.implementation_status %}<p class="govuk-body-s"><a class="govuk-link" href="{% url 'assessments:return_history' assessment.pk ret.activity.code %}">Who entered this and who accepted it<span class="govuk-visually-hidden"> ({{ ret.activity.code }})</span></a></p>{% endif %}
        </dd>
        <dd class="govuk-summary-list__actions">
          <a class="govuk-link" href="{% url 'assessments:activity' assessment.pk ret.activity.code %}">{% if can_submit %}Change{% else %}View{% endif %}<span class="govuk-visually-hidden"> {{ ret.activity.code }}</span></a>
        </dd>
      </div>
    {% endwith %}{% endfor %}
"""  # noqa: E501
INCOMPLETE_LINKS = """
        {% for ret in incomplete %}<li><a class="govuk-link" href="{% url 'assessments:activity' assessment.pk ret.activity.code %}">{{ ret.activity.code }} {{ ret.activity.title }}</a></li>{% endfor %}
"""  # noqa: E501
HEAT_MAP_CELLS = """
        {% for cell in row.cells %}<td class="govuk-table__cell app-heat-cell {{ cell.status|status_css }}"><span aria-hidden="true">{{ cell.abbreviation }}</span><span class="govuk-visually-hidden">{{ cell.label }}</span></td>{% endfor %}
"""  # noqa: E501

ENGINE = Engine(libraries={"history": __name__})


def render(rows_template: str, **context: object) -> str:
    return ENGINE.from_string("{% load history %}" + rows_template).render(template.Context(context))


def as_the_templates_saw_it(row: TaskRow) -> SimpleNamespace:
    """The templates read an ActivityReturn (with its activity) and the row's task status."""
    values = {item.name: getattr(row, item.name) for item in dataclasses.fields(row)}
    activity_return = SimpleNamespace(**values, activity=SimpleNamespace(code=row.code, title=row.title))
    return SimpleNamespace(activity_return=activity_return, task_status=row.task_status)


def template_task_list(rows: list[TaskRow]) -> str:
    section = SimpleNamespace(rows=[as_the_templates_saw_it(row) for row in rows])
    return render(TASK_LIST_ROWS, section=section, assessment=SimpleNamespace(pk=ASSESSMENT_ID))


def template_answers(rows: list[TaskRow], *, can_submit: bool) -> str:
    section = SimpleNamespace(rows=[as_the_templates_saw_it(row) for row in rows])
    return render(
        ANSWER_ROWS, section=section, assessment=SimpleNamespace(pk=ASSESSMENT_ID), can_submit=can_submit
    )


def fast_task_list(rows: list[TaskRow]) -> str:
    sections = [TaskSection(area=AreaHeading(1, "Leadership"), rows=rows)]
    return task_list.task_list_sections(sections, assessment_id=ASSESSMENT_ID)[0].rows_html


def fast_answers(rows: list[TaskRow], *, can_submit: bool) -> str:
    sections = [TaskSection(area=AreaHeading(1, "Leadership"), rows=rows)]
    (rendered,) = task_list.answer_sections(sections, assessment_id=ASSESSMENT_ID, can_change=can_submit)
    return rendered.rows_html


# --- the rows ----------------------------------------------------------------------------------------


def row(**overrides: object) -> TaskRow:
    values: dict[str, object] = {
        "code": "LG01",
        "title": "A chief officer leads",
        "implementation_status": "",
        "is_complete": False,
        "carried_forward": False,
        "confirmed": False,
        "reopened_for_changes": False,
        "coordinator_comment": "",
    }
    return TaskRow(**{**values, **overrides})


def every_kind_of_row() -> list[TaskRow]:
    """A row in each task status, and each way an answer's details show or not."""
    return [
        row(code="LG01", title=NASTY),
        row(code="LG02", implementation_status="planned", evidence_summary="Policy drafted"),
        row(code="LG03", carried_forward=True, implementation_status="implemented"),
        row(
            code="LG04",
            implementation_status="not_applicable",
            not_applicable_reason=NASTY,
            is_complete=True,
            confirmed=True,
        ),
        row(
            code="LG05",
            implementation_status="embedded",
            reopened_for_changes=True,
            coordinator_comment=NASTY,
            is_complete=True,
            evidence_summary=NASTY + "e\u0301" * 450,
            next_steps="Train staff " * 40,
            action_owner=NASTY,
            target_date=datetime.date(2027, 3, 5),
        ),
        row(
            code="LG06",
            reopened_for_changes=True,
            next_steps="Train staff",
            target_date=datetime.date(2027, 1, 2),
        ),
        row(code="LG07", coordinator_comment="An old comment", next_steps="Review", action_owner="DCI"),
        row(code="LG08", implementation_status="in_progress", confirmed=True, evidence_summary="x" * 400),
        row(
            code="LG09",
            implementation_status="embedded",
            confirmed=True,
            is_complete=True,
            evidence_summary="Unchanged",
            needs_evidence_of_change=True,
        ),
    ]


def test_every_task_status_is_covered():
    assert {r.task_status for r in every_kind_of_row()} == set(TaskStatus)


def test_task_list_rows_are_what_the_template_wrote():
    rows = every_kind_of_row()
    assert differences(template_task_list(rows), fast_task_list(rows)) == []


@pytest.mark.parametrize("can_submit", [True, False])
def test_answer_rows_are_what_the_template_wrote(can_submit):
    rows = every_kind_of_row()
    theirs = template_answers(rows, can_submit=can_submit)
    assert differences(theirs, fast_answers(rows, can_submit=can_submit)) == []


def test_missing_activity_links_are_what_the_template_wrote():
    rows = every_kind_of_row()[:3]
    theirs = render(
        INCOMPLETE_LINKS,
        incomplete=[as_the_templates_saw_it(r).activity_return for r in rows],
        assessment=SimpleNamespace(pk=ASSESSMENT_ID),
    )
    assert differences(theirs, task_list.activity_links(rows, assessment_id=ASSESSMENT_ID)) == []


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    title=text.filter(str.strip),
    answer=text,
    status=st.sampled_from(["", *ImplementationStatus.values]),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    target_date=st.none() | st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)),
    repeat=st.integers(min_value=1, max_value=12),
)
def test_rows_match_the_templates_for_any_answer(title, answer, status, flags, target_date, repeat):
    reopened, carried_forward, confirmed, complete = flags
    rows = [
        row(
            title=title,
            implementation_status=status,
            reopened_for_changes=reopened,
            carried_forward=carried_forward,
            confirmed=confirmed,
            is_complete=complete,
            coordinator_comment=answer,
            not_applicable_reason=answer,
            evidence_summary=answer * repeat,
            next_steps=answer * repeat,
            action_owner=answer,
            target_date=target_date,
        )
    ]
    assert differences(template_task_list(rows), fast_task_list(rows)) == []
    assert differences(template_answers(rows, can_submit=True), fast_answers(rows, can_submit=True)) == []


def test_heat_map_cells_are_what_the_template_wrote():
    cells = [*CELLS.values(), *reversed(CELLS.values())]
    theirs = render(HEAT_MAP_CELLS, row=SimpleNamespace(cells=cells))
    assert differences(theirs, heat_map.heat_map_cells(cells)) == []


def test_a_different_row_is_reported():
    rows = every_kind_of_row()
    theirs = template_answers(rows, can_submit=True)
    ours = str(fast_answers(rows, can_submit=True))
    for changed in (
        ours.replace('hidden"> LG01</span>', 'hidden">LG01</span>'),  # "ChangeLG01" to a screen reader
        ours.replace("govuk-tag--grey", "govuk-tag--gray"),
        ours.replace("Next steps:", "Next step:"),
    ):
        assert changed != ours
        assert differences(theirs, changed) != []
