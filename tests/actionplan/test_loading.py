"""Loading the action plan: validate everything first, write nothing on error, idempotent, update by code."""

from __future__ import annotations

import copy
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actionplan.loading import PlanFileInvalid, load_plan_file, read_plan_file, validate_plan_data
from actionplan.models import ActionPlan, Activity, ProcessArea
from tests.conftest import FIXTURES

PLAN_FILE = FIXTURES / "action_plan.json"


@pytest.fixture
def plan_data() -> dict:
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_real_fixture_is_valid_and_complete(plan_data):
    """The shipped plan has all five areas and 45 to 55 well-formed activities."""
    assert validate_plan_data(plan_data) == []
    assert [area["number"] for area in plan_data["areas"]] == [1, 2, 3, 4, 5]
    assert 45 <= len(plan_data["activities"]) <= 55
    for activity in plan_data["activities"]:
        assert re.fullmatch(r"(LG|RI|VS|IN|TR)\d{2}", activity["code"])
        # Substantive guidance, not filler: every activity says what good looks like in some detail.
        assert len(activity["good_looks_like"]) > 150, activity["code"]
        assert len(activity["evidence_examples"].split(";")) >= 3, activity["code"]


@pytest.mark.django_db
def test_loading_creates_the_plan_then_a_second_run_changes_nothing(plan_data):
    first = load_plan_file(PLAN_FILE)
    assert len(first.created) == 1 + 5 + len(plan_data["activities"])
    assert ActionPlan.objects.get().is_current
    assert ProcessArea.objects.count() == 5
    assert Activity.objects.count() == len(plan_data["activities"])

    second = load_plan_file(PLAN_FILE)
    assert not second.changed_anything
    assert Activity.objects.count() == len(plan_data["activities"])


@pytest.mark.django_db
def test_changed_wording_updates_in_place_by_code(tmp_path, plan_data):
    load_plan_file(PLAN_FILE)
    original = Activity.objects.get(code="LG01")
    changed = copy.deepcopy(plan_data)
    changed["activities"][0]["title"] = "A chief officer owns the force response"
    result = load_plan_file(write(tmp_path, changed))
    assert result.updated == ["activity LG01 (title)"]
    refreshed = Activity.objects.get(code="LG01")
    assert refreshed.pk == original.pk
    assert refreshed.title == "A chief officer owns the force response"


@pytest.mark.django_db
def test_a_bad_file_names_every_problem_with_its_location_and_writes_nothing(tmp_path, plan_data):
    bad = copy.deepcopy(plan_data)
    bad["activities"][1]["code"] = bad["activities"][0]["code"]  # duplicate code
    bad["activities"][2]["title"] = "   "  # empty title
    bad["activities"][3]["area"] = 9  # unknown area
    bad["activities"][4]["code"] = "lg5"  # malformed code
    with pytest.raises(PlanFileInvalid) as raised:
        load_plan_file(write(tmp_path, bad))
    problems = raised.value.problems
    assert any("activities[1]" in p and "also used by activities[0]" in p for p in problems)
    assert any("activities[2]" in p and "title is missing or empty" in p for p in problems)
    assert any("activities[3]" in p and "area 9" in p for p in problems)
    assert any("activities[4]" in p and "code must be" in p for p in problems)
    assert ActionPlan.objects.count() == 0
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_file_leaves_an_existing_plan_untouched(tmp_path, plan_data):
    load_plan_file(PLAN_FILE)
    bad = copy.deepcopy(plan_data)
    bad["activities"][0]["title"] = "Changed"
    bad["activities"][5]["description"] = ""
    with pytest.raises(PlanFileInvalid):
        load_plan_file(write(tmp_path, bad))
    assert Activity.objects.get(code="LG01").title == plan_data["activities"][0]["title"]


def test_missing_area_and_bad_plan_fields_are_reported(plan_data):
    bad = copy.deepcopy(plan_data)
    bad["areas"] = bad["areas"][:4]
    bad["plan"]["published_on"] = "31/01/2018"
    problems = validate_plan_data(bad)
    assert "plan: published_on must be a date written as YYYY-MM-DD" in problems
    assert "areas: process area(s) 5 are missing" in problems
    assert any("area 5 is not one of the process areas" in p for p in problems)


def test_malformed_json_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"plan": {"slug": "x",}\n', encoding="utf-8")
    with pytest.raises(PlanFileInvalid) as raised:
        read_plan_file(path)
    assert "line 1, column" in raised.value.problems[0]


@pytest.mark.django_db
def test_the_command_reports_problems_and_fails_without_writing(tmp_path, plan_data):
    bad = copy.deepcopy(plan_data)
    bad["activities"][0]["code"] = "XX1"
    stderr = StringIO()
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_action_plan", str(write(tmp_path, bad)), stderr=stderr)
    assert "activities[0]" in stderr.getvalue()
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_the_command_reports_counts():
    stdout = StringIO()
    call_command("load_action_plan", stdout=stdout)
    assert "unchanged" in stdout.getvalue()
    stdout = StringIO()
    call_command("load_action_plan", stdout=stdout)
    assert "0 created, 0 updated" in stdout.getvalue()
