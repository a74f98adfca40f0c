"""The heat map's cells: one fragment per status, built once, joined per row.

The national map has 44 x 50 cells; rendering each through the template language took most of the
page's time (docs/performance.md). The overview (assessments/overviews.py) gives each cell as data;
this module turns a row of them into HTML for the templates' `heat_map_cells` tag.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessments.overviews import CELLS, HeatCell


def status_css(status: str) -> str:
    """Heat-map class for an implementation status (colour is always paired with text)."""
    return f"app-status--{status.replace('_', '-')}" if status else "app-status--none"


# Every fragment is built by format_html, so joining them is safe.
CELL_HTML = {
    status: format_html(
        '<td class="govuk-table__cell app-heat-cell {}"><span aria-hidden="true">{}</span>'
        '<span class="govuk-visually-hidden">{}</span></td>',
        status_css(status),
        cell.abbreviation,
        cell.label,
    )
    for status, cell in CELLS.items()
}


def heat_map_cells(cells: Iterable[HeatCell]) -> SafeString:
    """A row's heat-map cells as HTML, in the order given."""
    return mark_safe("".join(CELL_HTML[cell.status] for cell in cells))  # noqa: S308 - see CELL_HTML
