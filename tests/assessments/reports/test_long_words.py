"""A long unbroken string wraps inside its table cell: it never runs off the page or over the next column.

Checked on WeasyPrint's own layout (the boxes it draws), not on extracted text: every line of text must
end inside the cell that holds it, and every cell inside the page's content area.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from assessments.reports.data import force_report_data
from assessments.reports.pdf import SafeURLFetcher, static_base_url
from assessments.reports.rendering import force_report_html
from tests.assessments.reports.conftest import fill
from tests.conftest import complete_values

UNBROKEN = "x" * 300
EPSILON = 0.5  # CSS pixels: rounding in the layout


def overflowing_text(html: str) -> list[str]:
    """Each text run whose right edge passes its table cell's content edge or the page's content edge."""
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=SafeURLFetcher()).render()
    problems: list[str] = []

    def walk(box, cell_right: float | None, page_right: float, where: str = "") -> None:
        if box.style["overflow"] == "hidden":
            return  # clipped: nothing inside shows (the visually hidden captions)
        if isinstance(box, boxes.TableCellBox):
            where = f"<{box.element_tag} class={box.element.get('class')}>"
            cell_right = box.content_box_x() + box.width
            if cell_right > page_right + EPSILON:
                problems.append(f"a cell ends at {cell_right:.0f}, past the page at {page_right:.0f}")
        if isinstance(box, boxes.TextBox):
            right = box.position_x + box.width
            limit = min(page_right, cell_right) if cell_right is not None else page_right
            if right > limit + EPSILON:
                problems.append(f"{box.text[:20]!r}… ends at {right:.0f}, past {limit:.0f} in {where}")
        for child in getattr(box, "children", []):
            walk(child, cell_right, page_right, where)

    for page in document.pages:
        page_box = page._page_box
        page_right = page_box.content_box_x() + page_box.width
        walk(page_box, None, page_right)
    return problems


def test_a_300_character_word_in_every_text_column_stays_in_its_cell(world, home_assessment):
    fill(
        home_assessment,
        world.spoc,
        overrides={
            "LG01": complete_values(
                "planned", next_steps=UNBROKEN, action_owner=UNBROKEN[:150], evidence_summary=UNBROKEN
            ),
            "LG02": complete_values("implemented", evidence_summary=UNBROKEN),
            "LG03": complete_values("not_applicable", not_applicable_reason=UNBROKEN),
        },
    )
    html = force_report_html(force_report_data(assessment=home_assessment))
    assert UNBROKEN[:150] in html
    problems = overflowing_text(html)
    assert problems == [], "\n".join(problems)
