"""The overdue roll-up's count cells: one row of numbers per force, joined once in Python.

The national roll-up has 44 forces x 9 area columns (and a total); looping over each count in the
template language was a large part of the page's time. The counts are whole numbers, so the markup
holds nothing a user typed; `int()` makes sure of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

COUNT_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'


def count_cells(counts: Iterable[int]) -> SafeString:
    """A numeric GOV.UK table cell for each count, as the template wrote them."""
    return mark_safe("".join(COUNT_CELL.format(int(count)) for count in counts))  # noqa: S308
