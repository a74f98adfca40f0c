"""Regions and forces load from the fixture: ten regions, 44 forces, idempotent, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.models import Force, Region
from assessments.reference import ForcesFileInvalid, load_forces_file
from tests.conftest import FIXTURES

FORCES_FILE = FIXTURES / "regions_and_forces.json"


@pytest.mark.django_db
def test_ten_regions_and_44_forces_load_once():
    load_forces_file(FORCES_FILE)
    assert Region.objects.count() == 10
    assert Force.objects.count() == 44
    assert Force.objects.get(name="Kent Police").region.name == "Eastern"
    assert Force.objects.get(name="North Wales Police").region.name == "North West"
    assert Force.objects.get(name="British Transport Police").region.name == "London"
    second = load_forces_file(FORCES_FILE)
    assert second.created == [] and second.updated == []
    assert Force.objects.count() == 44


@pytest.mark.django_db
def test_a_region_changed_by_an_administrator_is_kept_on_reload():
    load_forces_file(FORCES_FILE)
    kent = Force.objects.get(code="kent")
    kent.region = Region.objects.get(slug="south-east")
    kent.save()
    result = load_forces_file(FORCES_FILE)
    assert result.region_kept == ["kent stays in South East"]
    assert Force.objects.get(code="kent").region.slug == "south-east"


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(tmp_path: Path):
    data = json.loads(FORCES_FILE.read_text())
    data["forces"][3]["region"] = "atlantis"
    data["forces"][4]["code"] = data["forces"][5]["code"]
    path = tmp_path / "forces.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ForcesFileInvalid) as raised:
        load_forces_file(path)
    assert any("forces[3]" in p and "atlantis" in p for p in raised.value.problems)
    assert any("forces[5]" in p and "more than once" in p for p in raised.value.problems)
    assert Force.objects.count() == 0
    assert Region.objects.count() == 0
