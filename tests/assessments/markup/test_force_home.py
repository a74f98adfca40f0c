"""The force home page's rows written in Python (assessments/markup/force_home.py): the markup the
templates gave, every value escaped. Each test renders the template fragment it replaced, copied here
as it was, and compares the two as a browser would read them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse

from assessments.benchmarks import AreaBenchmark, Distribution, ForceBenchmark, GroupBenchmark
from assessments.markup import force_home
from assessments.progress import AreaProgress
from tests.assessments.markup.markup_tokens import ESCAPED, NASTY, markup

PROGRESS_TEMPLATE = """{% load assessment_tags %}
<tr>{% for value, label in statuses %}<th scope="col" class="govuk-table__header govuk-table__header--numeric">{{ label }}</th>{% endfor %}
<th scope="col" class="govuk-table__header govuk-table__header--numeric">{{ ""|implementation_label }}</th></tr>
{% for area in areas %}
<tr class="govuk-table__row">
  <th scope="row" class="govuk-table__header">{{ area.number }}. {{ area.title }}</th>
  {% for value, label in statuses %}<td class="govuk-table__cell govuk-table__cell--numeric">{{ area.counts|lookup:value }}</td>{% endfor %}
  <td class="govuk-table__cell govuk-table__cell--numeric">{{ area.counts|lookup:"" }}</td>
  <td class="govuk-table__cell">
    {{ area.implemented_or_embedded }} of {{ area.total }}
    <div class="app-bar" aria-hidden="true"><div class="app-bar__fill app-bar__fill--{{ area.implemented_share }}"></div></div>
  </td>
</tr>
{% endfor %}"""  # noqa: E501

BENCHMARK_TEMPLATE = """{% for area in benchmark.areas %}
<tr class="govuk-table__row">
  <th scope="row" class="govuk-table__header">{{ area.number }}. {{ area.title }}</th>
  <td class="govuk-table__cell govuk-table__cell--numeric app-benchmark__force"><strong>{% if area.force_share is None %}No figures{% else %}{{ area.force_share }}%{% endif %}</strong></td>
  {% with group=area.region %}<td class="govuk-table__cell">{% if group.shown %}{{ group.distribution.summary }}{% if group.position %}<br><strong>{{ benchmark.force_name }}: {{ group.position }}</strong>{% endif %}{% else %}Not shown (see below){% endif %}</td>{% endwith %}
  {% with group=area.nation %}<td class="govuk-table__cell">{% if group.shown %}{{ group.distribution.summary }}{% if group.position %}<br><strong>{{ benchmark.force_name }}: {{ group.position }}</strong>{% endif %}{% else %}Not shown (see below){% endif %}</td>{% endwith %}
</tr>
{% endfor %}"""  # noqa: E501

EARLIER_TEMPLATE = """{% load assessment_tags %}{% for earlier in earlier_rounds %}
<li><a class="govuk-link" href="{% url 'assessments:task_list' earlier.pk %}">{{ earlier.round.name }}</a> – {{ earlier.status|workflow_label }}</li>
{% endfor %}"""  # noqa: E501


def render(source: str, context: dict) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_progress_table_gives_the_templates_markup():
    from assessments.status import ImplementationStatus, implementation_label

    areas = [
        AreaProgress(number=1, title=NASTY, counts={"planned": 3, "embedded": 2, "": 4}, total=9, complete=5),
        AreaProgress(number=2, title="Victims", counts={}, total=0, complete=0),
        AreaProgress(
            number=3, title="Training", counts={"implemented": 7, "not_applicable": 1}, total=8, complete=8
        ),
    ]
    statuses = [(value, implementation_label(value)) for value in ImplementationStatus.values]
    ours = f"<tr>{force_home.status_headings()}</tr>{force_home.progress_rows(areas)}"
    assert markup(ours) == markup(render(PROGRESS_TEMPLATE, {"areas": areas, "statuses": statuses}))
    assert f"1. {ESCAPED}</th>" in ours and NASTY not in ours
    assert "2 of 9" in ours and "app-bar__fill--20" in ours


def group(*, shown: bool, position: str = "", reason: str = "") -> GroupBenchmark:
    distribution = (
        Distribution(forces=6, lower_quartile=12.5, median=40.0, upper_quartile=77.5) if shown else None
    )
    return GroupBenchmark(
        group_name=NASTY, distribution=distribution, position=position, withheld_reason=reason
    )


@pytest.mark.parametrize("force_name", [NASTY, "Cleveland Police"])
def test_the_benchmark_rows_give_the_templates_markup(force_name):
    benchmark = ForceBenchmark(
        force_name=force_name,
        region_name=NASTY,
        figures_round_name="2026 spring",
        areas=(
            AreaBenchmark(1, NASTY, 100, group(shown=True, position="Top quarter"), group(shown=True)),
            AreaBenchmark(
                2, "Intelligence", None, group(shown=False, reason=NASTY), group(shown=True, position=NASTY)
            ),
            AreaBenchmark(3, "Victims", 0, group(shown=True, position="Bottom quarter"), group(shown=False)),
        ),
    )
    ours = force_home.benchmark_rows(benchmark)
    assert markup(ours) == markup(render(BENCHMARK_TEMPLATE, {"benchmark": benchmark}))
    assert NASTY not in ours and "No figures" in ours and "Not shown (see below)" in ours


def test_the_earlier_rounds_give_the_templates_markup():
    earlier = [
        SimpleNamespace(pk=7, round=SimpleNamespace(name=NASTY), status="signed_off"),
        SimpleNamespace(pk=12345, round=SimpleNamespace(name="2025 spring"), status="returned"),
        SimpleNamespace(pk=3, round=SimpleNamespace(name="2024"), status="odd"),
    ]
    ours = force_home.earlier_rounds(earlier)
    assert markup(ours) == markup(render(EARLIER_TEMPLATE, {"earlier_rounds": earlier}))
    assert f'href="{reverse("assessments:task_list", args=[12345])}"' in ours and NASTY not in ours
