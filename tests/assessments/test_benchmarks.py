"""Anonymised benchmarking: quartiles, the five-force guard, signed-off figures only, names kept out."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from assessments.benchmarks import (
    BOTTOM_QUARTER,
    MIDDLE_HALF,
    TOP_QUARTER,
    force_benchmark,
    group_benchmark,
    national_benchmark,
    position_in,
    quartiles,
)
from assessments.models import Assessment
from tests.assessments.benchmark_world import (
    add_forces,
    open_test_round,
    set_top_share,
    sign_off_with_share,
)
from tests.assessments.reports.conftest import sign_in

SPRING = datetime.date(2025, 4, 1)
AUTUMN = datetime.date(2025, 10, 1)


def test_quartiles_use_the_inclusive_method():
    """Five forces at 10..50%: the quartiles are the second and fourth values, the median the third."""
    spread = quartiles([50, 10, 40, 20, 30])
    assert (spread.lower_quartile, spread.median, spread.upper_quartile) == (20, 30, 40)
    assert spread.summary == "Median 30% (quartiles 20% to 40%)"


def test_quartiles_between_two_forces_show_one_decimal():
    spread = quartiles([0, 10, 20, 30, 40, 55])
    assert spread.summary == "Median 25% (quartiles 12.5% to 37.5%)"


def test_position_is_strictly_above_or_below_the_quartiles():
    spread = quartiles([10, 20, 30, 40, 50])
    assert position_in(50, spread) == TOP_QUARTER
    assert position_in(40, spread) == MIDDLE_HALF
    assert position_in(20, spread) == MIDDLE_HALF
    assert position_in(10, spread) == BOTTOM_QUARTER
    level = quartiles([60, 60, 60, 60, 60])
    assert position_in(60, level) == MIDDLE_HALF  # nobody is top or bottom when all are level


def test_four_forces_with_figures_is_withheld_with_its_reason():
    withheld = group_benchmark(group_name="England and Wales", values=[10, 20, 30, 40], force_value=20)
    assert not withheld.shown and withheld.position == ""
    assert withheld.withheld_reason == (
        "Not shown: only 4 forces in England and Wales have signed-off figures. "
        "A comparison needs at least 5, so that no force can be recognised."
    )


def test_five_forces_with_figures_is_shown():
    shown = group_benchmark(group_name="England and Wales", values=[10, 20, 30, 40, 50], force_value=50)
    assert shown.shown and shown.position == TOP_QUARTER and shown.withheld_reason == ""


def test_a_region_of_fewer_than_five_forces_is_never_benchmarked_against_itself():
    withheld = group_benchmark(
        group_name="Wales", values=[10, 20, 30, 40, 50], force_value=10, forces_in_group=4
    )
    assert not withheld.shown
    assert withheld.withheld_reason.startswith("Not shown: Wales has 4 forces. A region is compared only")


@pytest.fixture
def big_region(world, action_plan):
    """North East made up to seven forces; Wales has one. Round 1 signed off for the first six forces."""
    extra = add_forces(world.home_region, 5, prefix="Northumbria Test")
    round_one = open_test_round(world, action_plan, name="2025 spring review", opens_on=SPRING)
    fractions = [0.0, 0.2, 0.4, 0.6, 0.8]
    sign_off_with_share(world, round_one, world.home_force, 1.0)
    for force, fraction in zip(extra, fractions, strict=True):
        sign_off_with_share(world, round_one, force, fraction)
    return round_one, extra


def test_benchmark_places_the_force_in_its_region_and_the_nation(world, big_region):
    benchmark = force_benchmark(force=world.home_force)
    assert benchmark.figures_round_name == "2025 spring review"
    for area in benchmark.areas:
        assert area.force_share == 100
        assert area.region.shown and area.region.distribution.forces == 6
        assert area.region.position == TOP_QUARTER
        assert area.nation.shown and area.nation.distribution.forces == 6


def test_draft_figures_are_never_counted(world, action_plan, big_region):
    """A later draft changes nothing: Cleveland keeps its signed-off 100%; a draft-only force is absent."""
    round_two = open_test_round(world, action_plan, name="2025 autumn review", opens_on=AUTUMN)
    set_top_share(Assessment.objects.get(force=world.home_force, round=round_two), 0.0)
    set_top_share(Assessment.objects.get(force=world.neighbour_force, round=round_two), 1.0)
    benchmark = force_benchmark(force=world.home_force)
    assert benchmark.figures_round_name == "2025 spring review"
    assert all(area.force_share == 100 for area in benchmark.areas)
    assert all(area.nation.distribution.forces == 6 for area in benchmark.areas)


def test_the_latest_sign_off_is_used(world, action_plan, big_region):
    round_two = open_test_round(world, action_plan, name="2025 autumn review", opens_on=AUTUMN)
    sign_off_with_share(world, round_two, world.home_force, 0.0)
    benchmark = force_benchmark(force=world.home_force)
    assert benchmark.figures_round_name == "2025 autumn review"
    assert all(area.force_share == 0 for area in benchmark.areas)
    assert all(area.region.position == BOTTOM_QUARTER for area in benchmark.areas)


def test_four_forces_signed_off_withholds_both_groups_with_reasons(world, action_plan):
    extra = add_forces(world.home_region, 3, prefix="Small Test")
    round_one = open_test_round(world, action_plan, name="2025 spring review", opens_on=SPRING)
    for force in [world.home_force, *extra]:
        sign_off_with_share(world, round_one, force, 0.5)
    benchmark = force_benchmark(force=world.home_force)
    for area in benchmark.areas:
        assert not area.region.shown and not area.nation.shown
        assert "only 4 forces in North East have signed-off figures" in area.region.withheld_reason
        assert "only 4 forces in England and Wales have signed-off figures" in area.nation.withheld_reason


def test_small_region_is_withheld_but_the_nation_is_shown(world, big_region):
    """Gwent's region (Wales) has one force: no regional benchmark, though the nation has six."""
    benchmark = force_benchmark(force=world.far_force)
    assert not benchmark.has_figures
    for area in benchmark.areas:
        assert area.force_share is None
        assert area.region.withheld_reason == "Not shown: no force in Wales has signed-off figures yet."
        assert area.nation.shown and area.nation.position == ""
    round_one, _extra = big_region
    sign_off_with_share(world, round_one, world.far_force, 1.0)
    benchmark = force_benchmark(force=world.far_force)
    for area in benchmark.areas:
        assert area.region.withheld_reason.startswith("Not shown: Wales has 1 force. A region is compared")
        assert area.nation.position == TOP_QUARTER


@pytest.mark.parametrize("who", ["spoc", "chief_officer"])
def test_force_home_shows_the_benchmark_without_naming_another_force(client, world, big_region, who):
    _round, extra = big_region
    sign_in(client, getattr(world, who))
    page = client.get(reverse("assessments:force_home", kwargs={"force_code": world.home_force.code}))
    html = page.content.decode()
    assert "How Cleveland Police compares" in html
    for area in force_benchmark(force=world.home_force).areas:
        assert area.region.distribution.summary in html
    assert "Cleveland Police: top quarter" in html
    for other in [world.neighbour_force, world.far_force, *extra]:
        assert other.name not in html


def test_national_staff_see_every_force_named(client, world, big_region):
    _round, extra = big_region
    sign_in(client, world.national)
    page = client.get(reverse("assessments:national_benchmarks"))
    html = page.content.decode()
    assert page.status_code == 200
    for force in [world.home_force, *extra]:
        assert force.name in html
    assert "No signed-off figures yet: " in html and world.far_force.name in html


@pytest.mark.parametrize("who", ["spoc", "chief_officer", "coordinator"])
def test_only_national_staff_reach_the_named_page(client, world, who):
    sign_in(client, getattr(world, who))
    assert client.get(reverse("assessments:national_benchmarks")).status_code == 404


def test_national_benchmark_with_no_sign_offs_is_empty(world, action_plan):
    benchmark = national_benchmark()
    assert benchmark.forces == ()
    assert all(not group.shown for group in benchmark.nation)
