"""The force home page's repeated rows, rendered in Python: the progress table by process area, the
benchmark table (shared with the force PDF) and the list of earlier rounds.

Rendered through the template language these loops, with their includes and per-cell filters, were
most of the home page's rendering (docs/performance.md). As markup.admin_tables does for the review,
these build the same markup from fixed fragments and values escaped here first (html.escape, what
django.utils.html.escape calls); tests/assessments/markup/test_force_home.py compares each with the
template it replaced, on hostile text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from assessments.status import ImplementationStatus, implementation_label, workflow_label

if TYPE_CHECKING:
    from assessments.benchmarks import ForceBenchmark, GroupBenchmark
    from assessments.models import Assessment
    from assessments.progress import AreaProgress


def _text(value: object) -> str:
    return html.escape(str(value))


def _joined(fragments: Iterable[str]) -> SafeString:
    return mark_safe("".join(fragments))  # noqa: S308 - fixed markup and values escaped by _text


# Every status on the scale, then "not answered": the progress table's columns, in order.
_STATUS_COLUMNS: Sequence[str] = (*ImplementationStatus.values, "")


def status_headings() -> SafeString:
    """The progress table's status column headings, in scale order, then "not answered"."""
    return _joined(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        f"{_text(implementation_label(value))}</th>"
        for value in _STATUS_COLUMNS
    )


def progress_rows(areas: Iterable[AreaProgress]) -> SafeString:
    """One row per process area: its count at each status, then its share implemented or embedded."""
    rows = []
    for area in areas:
        counts = "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{area.counts.get(value, 0)}</td>'
            for value in _STATUS_COLUMNS
        )
        rows.append(
            '<tr class="govuk-table__row">'
            f'<th scope="row" class="govuk-table__header">{area.number}. {_text(area.title)}</th>'
            f"{counts}"
            f'<td class="govuk-table__cell">{area.implemented_or_embedded} of {area.total}'
            '<div class="app-bar" aria-hidden="true">'
            f'<div class="app-bar__fill app-bar__fill--{area.implemented_share}"></div></div></td>'
            "</tr>"
        )
    return _joined(rows)


def _benchmark_cell(group: GroupBenchmark, force_name: str) -> str:
    if group.distribution is None:
        return '<td class="govuk-table__cell">Not shown (see below)</td>'
    position = f"<br><strong>{force_name}: {_text(group.position)}</strong>" if group.position else ""
    return f'<td class="govuk-table__cell">{_text(group.distribution.summary)}{position}</td>'


def benchmark_rows(benchmark: ForceBenchmark) -> SafeString:
    """One row per process area: the force's own share, then its region's and the nation's spread."""
    force_name = _text(benchmark.force_name)
    rows = []
    for area in benchmark.areas:
        own = "No figures" if area.force_share is None else f"{area.force_share}%"
        rows.append(
            '<tr class="govuk-table__row">'
            f'<th scope="row" class="govuk-table__header">{area.number}. {_text(area.title)}</th>'
            '<td class="govuk-table__cell govuk-table__cell--numeric app-benchmark__force">'
            f"<strong>{own}</strong></td>"
            f"{_benchmark_cell(area.region, force_name)}"
            f"{_benchmark_cell(area.nation, force_name)}"
            "</tr>"
        )
    return _joined(rows)


def earlier_rounds(assessments: Iterable[Assessment]) -> SafeString:
    """The force's assessments in earlier rounds, each linked to its task list, with its status.

    The task list's address is reversed once and each assessment's id put in its place.
    """
    pattern = reverse("assessments:task_list", args=[0])
    head, _, tail = pattern.rpartition("/0/")
    return _joined(
        f'<li><a class="govuk-link" href="{_text(f"{head}/{assessment.pk}/{tail}")}">'
        f"{_text(assessment.round.name)}</a> – {_text(workflow_label(assessment.status))}</li>"
        for assessment in assessments
    )
