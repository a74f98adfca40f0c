"""The regional briefing: key messages, each force's place and trend, and who signed off what."""

from __future__ import annotations

import datetime

import pytest

from assessments.reports.data import regional_report_data
from assessments.reports.rendering import regional_report_pdf
from tests.assessments.benchmark_world import add_forces, open_test_round, sign_off_with_share
from tests.assessments.reports.pdfcheck import page_texts

SPRING = datetime.date(2025, 4, 1)
AUTUMN = datetime.date(2025, 10, 1)


@pytest.fixture
def region_of_seven(world, action_plan):
    """North East with seven forces; two signed-off rounds for six of them (Durham has only drafts)."""
    extra = add_forces(world.home_region, 5, prefix="Tyne Test")
    spring = open_test_round(world, action_plan, name="2025 spring review", opens_on=SPRING)
    autumn = open_test_round(world, action_plan, name="2025 autumn review", opens_on=AUTUMN)
    for index, force in enumerate([world.home_force, *extra]):
        sign_off_with_share(world, spring, force, 0.1 * index)
        sign_off_with_share(world, autumn, force, 0.1 * index + 0.3)
    return autumn, extra


def test_regional_briefing_places_and_trends_every_force(world, region_of_seven):
    autumn, _extra = region_of_seven
    report = regional_report_data(region=world.home_region, round_=autumn, today=AUTUMN)
    briefing = report.briefing
    assert briefing is not None
    cleveland = next(force for force in briefing.forces if force.name == "Cleveland Police")
    assert [name for name, _share in cleveland.trend] == ["2025 spring review", "2025 autumn review"]
    assert cleveland.trend_text.count("→") == 1
    durham = next(force for force in briefing.forces if force.name == "Durham Constabulary")
    assert durham.figures_round_name == "" and durham.trend == ()
    assert all(group.shown for group in briefing.region)
    assert {entry.force_name for entry in briefing.sign_offs} == {line.name for line in report.forces} - {
        "Durham Constabulary"
    }
    assert all(entry.signed_off_by == "Casey Coordinator" for entry in briefing.sign_offs)
    assert briefing.not_signed_off == ("Durham Constabulary",)
    assert (
        briefing.key_messages[0] == "6 of the region's 7 forces have been signed off in 2025 autumn review."
    )
    assert any(
        "weakest process area" in message or "national median" in message for message in briefing.key_messages
    )


def test_a_small_region_says_why_its_spread_is_withheld(world, action_plan):
    spring = open_test_round(world, action_plan, name="2025 spring review", opens_on=SPRING)
    sign_off_with_share(world, spring, world.home_force, 0.5)
    report = regional_report_data(region=world.home_region, round_=spring, today=SPRING)
    assert report.briefing is not None
    assert not any(group.shown for group in report.briefing.region)
    assert any("Not shown" in message for message in report.briefing.key_messages)


def test_the_regional_pdf_carries_the_briefing(world, region_of_seven):
    autumn, extra = region_of_seven
    report = regional_report_data(region=world.home_region, round_=autumn, today=AUTUMN)
    whole = " ".join(" ".join(text.split()) for text in page_texts(regional_report_pdf(report)))
    assert "Key messages" in whole and report.briefing.key_messages[0] in whole
    assert "Each force's position and trend" in whole and "Who signed off what" in whole
    assert "Casey Coordinator" in whole
    assert world.far_force.name not in whole  # another region's force is never named
