"""Report data to HTML (for the "view report" pages and for print) and to PDF bytes.

The same body templates serve the web page and the PDF; the PDF wraps them in a standalone print
document (no site header or navigation) styled by static/css/report.css.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from assessments.reports.data import ForceReport, NationalReport, RegionalReport
from assessments.reports.pdf import render_pdf
from assessments.reports.trend_chart import trend_svg

# The layout of the force report's PDF. Raise it with any change to the force report's templates or
# report.css that signed-off PDFs already stored should show too: `manage.py refresh_stored_reports`
# (run after each deploy and on a timer, docs/operations.md) then renders every signed-off version again
# in the new layout, beside the old file.
# 1: the layout before 7 December 2026. 2: the briefing (key messages, trend, benchmark), evidence quality,
# and open actions without those the SPOC closed.
REPORT_TEMPLATE_VERSION = 2

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 300
CHART_BAR_WIDTH = 260
CHART_ROW_HEIGHT = 30
CHART_TOP = 24
# Text inside inline SVG ignores the page stylesheet, so each <text> carries these itself.
CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class ChartBar:
    """One bar of the implemented-or-embedded chart, with its geometry worked out."""

    label: str
    value: int
    y: int
    text_y: int
    width: int
    value_x: int
    strong: bool


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of percentages, described for screen readers."""

    title: str
    description: str
    bars: tuple[ChartBar, ...]
    width: int
    height: int
    label_width: int
    bar_width: int
    ticks: tuple[tuple[int, int], ...]  # (x, percentage)
    font: str = CHART_FONT


def share_chart(*, title: str, rows: list[tuple[str, int, bool]]) -> Chart:
    """A chart of (label, percentage, emphasised) rows."""
    bars = []
    for index, (label, value, strong) in enumerate(rows):
        y = CHART_TOP + index * CHART_ROW_HEIGHT
        width = round(CHART_BAR_WIDTH * max(0, min(value, 100)) / 100)
        bars.append(
            ChartBar(
                label=label,
                value=value,
                y=y + 6,
                text_y=y + 19,
                width=width,
                value_x=CHART_LABEL_WIDTH + width + 6,
                strong=strong,
            )
        )
    description = "; ".join(f"{label}: {value}%" for label, value, _strong in rows)
    return Chart(
        title=title,
        description=description,
        bars=tuple(bars),
        width=CHART_WIDTH,
        height=CHART_TOP + len(rows) * CHART_ROW_HEIGHT + 4,
        label_width=CHART_LABEL_WIDTH,
        bar_width=CHART_BAR_WIDTH,
        ticks=tuple((CHART_LABEL_WIDTH + CHART_BAR_WIDTH * p // 100, p) for p in (0, 25, 50, 75, 100)),
    )


def force_report_chart(report: ForceReport) -> Chart:
    """Implemented or embedded, overall and for each area."""
    rows = [("All activities", report.share, True)]
    rows += [(f"{area.number}. {area.title}", area.share, False) for area in report.areas]
    return share_chart(title="Share of activities implemented or embedded", rows=rows)


def national_report_chart(report: NationalReport) -> Chart:
    """Implemented or embedded across all forces, for each area."""
    rows = [(f"{item.area.number}. {item.area.title}", item.share, False) for item in report.distribution]
    return share_chart(title="Share of activities implemented or embedded, all forces", rows=rows)


def force_report_context(report: ForceReport) -> dict[str, Any]:
    """Template context shared by the web page and the PDF."""
    context: dict[str, Any] = {"report": report, "chart": force_report_chart(report)}
    if report.briefing is not None:
        context["trend_chart"] = trend_svg(report.briefing.trend)
    return context


def regional_report_context(report: RegionalReport) -> dict[str, Any]:
    """Template context shared by the web page and the PDF."""
    return {"report": report}


def national_report_context(report: NationalReport) -> dict[str, Any]:
    """Template context shared by the web page and the PDF."""
    return {"report": report, "chart": national_report_chart(report)}


def force_report_html(report: ForceReport) -> str:
    """The standalone print document for the force report."""
    return render_to_string("reports/force_report_pdf.html", force_report_context(report))


def regional_report_html(report: RegionalReport) -> str:
    """The standalone print document for the regional report."""
    return render_to_string("reports/regional_report_pdf.html", regional_report_context(report))


def national_report_html(report: NationalReport) -> str:
    """The standalone print document for the national report."""
    return render_to_string("reports/national_report_pdf.html", national_report_context(report))


def force_report_pdf(report: ForceReport) -> bytes:
    """The force report as a tagged PDF."""
    return render_pdf(force_report_html(report), title=report.title)


def force_report_pdf_from_html(report: ForceReport, html: str) -> bytes:
    """The force report as a tagged PDF, from its print document already rendered (force_report_html)."""
    return render_pdf(html, title=report.title)


def regional_report_pdf(report: RegionalReport) -> bytes:
    """The regional report as a tagged PDF."""
    return render_pdf(regional_report_html(report), title=report.title)


def national_report_pdf(report: NationalReport) -> bytes:
    """The national report as a tagged PDF."""
    return render_pdf(national_report_html(report), title=report.title)
