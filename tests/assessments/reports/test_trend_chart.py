"""The trend chart's SVG: well-formed, escaped, one line per area plus the overall line, described."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assessments.reports.data.briefing import Trend, TrendPoint
from assessments.reports.trend_chart import trend_description, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Our own output, parsed to prove it is well-formed (not untrusted input)."""
    return ET.fromstring(svg)  # noqa: S314


def trend(points: int = 8) -> Trend:
    return Trend(
        areas=((1, "Leadership & governance"), (2, 'Victims <script>alert("x")</script>')),
        points=tuple(
            TrendPoint(
                round_name=f"{2022 + i // 2} {'spring' if i % 2 else 'autumn'} review",
                shares=(10 * i, 5 * i),
                overall=7 * i,
            )
            for i in range(points)
        ),
    )


def test_the_svg_is_well_formed_and_escapes_every_title():
    svg = str(trend_svg(trend()))
    root = parse(svg)  # raises if the markup is broken by a title
    assert "<script>" not in svg
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert 'Victims <script>alert("x")</script>' in " ".join(t for t in texts if t).replace("2. ", "")
    assert "1. Leadership & governance" in texts


def test_one_line_per_area_and_one_for_all_activities():
    root = parse(str(trend_svg(trend())))
    assert len(list(root.iter(f"{SVG}polyline"))) == 3
    points = list(root.iter(f"{SVG}polyline"))[0].get("points").split()
    assert len(points) == 8


def test_a_single_round_has_points_but_no_lines():
    root = parse(str(trend_svg(trend(points=1))))
    assert not list(root.iter(f"{SVG}polyline"))


def test_it_is_an_image_with_a_title_and_description_for_screen_readers():
    root = parse(str(trend_svg(trend(), chart_id="t")))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t-title t-desc"
    assert root.find(f"{SVG}title").text.startswith("Share of activities implemented or embedded")
    assert root.find(f"{SVG}desc").text == trend_description(trend())
    assert "8 signed-off rounds, from 2022 autumn review to 2025 spring review" in trend_description(trend())


def test_text_carries_its_own_font_because_inline_svg_ignores_the_stylesheet():
    root = parse(str(trend_svg(trend())))
    assert all("Liberation Sans" in (element.get("font-family") or "") for element in root.iter(f"{SVG}text"))


def test_no_rounds_is_described():
    assert trend_description(Trend(areas=(), points=())) == "No signed-off rounds yet."
