"""The roll-up's count cells written in Python: the markup the template loop wrote."""

from __future__ import annotations

from django.template import Context, Template

from assessments.markup.roll_up import count_cells

TEMPLATE_CELLS = (
    '{% for count in counts %}<td class="govuk-table__cell govuk-table__cell--numeric">{{ count }}</td>'
    "{% endfor %}"
)


def test_count_cells_are_what_the_template_wrote():
    counts = (0, 3, 12, 0, 1)
    assert count_cells(counts) == Template(TEMPLATE_CELLS).render(Context({"counts": counts}))
    assert count_cells(()) == ""
