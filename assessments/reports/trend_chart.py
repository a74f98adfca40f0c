"""The trend chart: the share implemented or embedded per process area over every signed-off round, as SVG.

Why the service draws it itself rather than with a charting library: the chart is a few lines and
points on a 0–100% scale, which is about a hundred lines of code; WeasyPrint renders inline SVG into
the tagged PDF directly, so nothing needs rasterising; and none of matplotlib, pygal or plotly is
installed, while each would add a large dependency (and its own fonts, which the PDF's font check
refuses) for one chart. The existing bar chart is drawn the same way (reports/rendering.py).

Every piece of text that comes from data (area titles, round names) is escaped here, and text carries
its own font attributes because WeasyPrint's inline SVG ignores the page stylesheet. The chart is a
picture of the table printed beside it (the same figures), and its title and description say so for
screen readers and the PDF's tags.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from assessments.reports.data.briefing import Trend

WIDTH = 640
PLOT_LEFT = 44
PLOT_RIGHT = 620
PLOT_TOP = 16
PLOT_BOTTOM = 216
LEGEND_TOP = 262
LEGEND_ROW = 18
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# GOV.UK Frontend colours, each line also with its own marker shape and dash, so colour is never the
# only way to tell the lines apart; the overall line is black and thicker.
SERIES_STYLES = (
    ("#1d70b8", "circle", ""),
    ("#d4351c", "square", "6 3"),
    ("#00703c", "diamond", ""),
    ("#f47738", "triangle", "2 2"),
    ("#4c2c92", "circle", "8 3 2 3"),
    ("#5694ca", "square", ""),
)
OVERALL_STYLE = ("#0b0c0c", "none", "")


def _x(index: int, count: int) -> float:
    if count <= 1:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return PLOT_LEFT + 20 + index * (PLOT_RIGHT - PLOT_LEFT - 40) / (count - 1)


def _y(percentage: int) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * max(0, min(percentage, 100)) / 100


def _text(
    x: float, y: float, words: str, *, size: int = 10, anchor: str = "start", bold: bool = False
) -> str:
    weight = "bold" if bold else "normal"
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="#0b0c0c">{escape(words)}</text>'
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return ""


def trend_description(trend: Trend) -> str:
    """The chart in words, for its title and the PDF's alternative text."""
    if not trend.points:
        return "No signed-off rounds yet."
    first, last = trend.points[0], trend.points[-1]
    return (
        f"{len(trend.points)} signed-off round{'' if len(trend.points) == 1 else 's'}, from "
        f"{first.round_name} to {last.round_name}: all activities {first.overall}% to {last.overall}% "
        "implemented or embedded. The figures for each area are in the table beside the chart."
    )


def trend_svg(trend: Trend, *, chart_id: str = "trend-chart") -> SafeString:
    """The chart as inline SVG, every data-borne string escaped; marked safe for templates."""
    count = len(trend.points)
    title = "Share of activities implemented or embedded, by process area, over every signed-off round"
    height = LEGEND_TOP + LEGEND_ROW * ((len(trend.areas) + 2) // 2) + 8
    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(trend_description(trend))}</desc>',
    ]
    for percentage in (0, 25, 50, 75, 100):
        y = _y(percentage)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" y2="{y:.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(_text(PLOT_LEFT - 6, y + 3.5, f"{percentage}%", size=9, anchor="end"))
    for index, point in enumerate(trend.points):
        # Round names ("2024 spring review") on two lines: the year, then the rest.
        year, _space, rest = point.round_name.partition(" ")
        x = _x(index, count)
        parts.append(_text(x, PLOT_BOTTOM + 14, year, size=9, anchor="middle"))
        if rest:
            parts.append(_text(x, PLOT_BOTTOM + 25, rest, size=8, anchor="middle"))
    series = [
        (f"{number}. {title}", [p.shares[i] for p in trend.points], SERIES_STYLES[i % len(SERIES_STYLES)], 2)
        for i, (number, title) in enumerate(trend.areas)
    ]
    series.append(("All activities", [p.overall for p in trend.points], OVERALL_STYLE, 3))
    for position, (label, values, (colour, shape, dash), weight) in enumerate(series):
        coordinates = " ".join(f"{_x(i, count):.1f},{_y(v):.1f}" for i, v in enumerate(values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        if count > 1:
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
                f'stroke-width="{weight}"{dashes}/>'
            )
        parts.extend(_marker(shape or "circle", _x(i, count), _y(v), colour) for i, v in enumerate(values))
        column, row = position % 2, position // 2
        lx, ly = 12 + column * 316, LEGEND_TOP + row * LEGEND_ROW
        parts.append(
            f'<line x1="{lx}" y1="{ly:.1f}" x2="{lx + 24}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="{weight}"{dashes}/>'
        )
        parts.append(_marker(shape, lx + 12, ly, colour))
        parts.append(_text(lx + 30, ly + 3.5, label, size=9, bold=label == "All activities"))
    parts.append("</svg>")
    # Every value above is a number we formatted or a string passed through escape().
    return mark_safe("".join(parts))  # noqa: S308
