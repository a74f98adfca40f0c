"""Validate an action plan file completely, then write it in one transaction, updating by code."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from actionplan.models import ACTIVITY_CODE_PATTERN, ActionPlan, Activity, ProcessArea

AREA_NUMBERS = range(1, 6)
PLAN_FIELDS = ("slug", "title", "version_label", "published_on", "is_current")
AREA_FIELDS = ("number", "prefix", "title", "summary")
ACTIVITY_TEXT_FIELDS = ("title", "description", "good_looks_like", "evidence_examples")
TITLE_MAX_LENGTH = 200


class PlanFileInvalid(Exception):
    """The file has problems; nothing was written. `problems` names each with its location."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the action plan file")
        self.problems = problems


@dataclass
class LoadResult:
    """What a load changed, so the command can report it and a second run can show it changed nothing."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        """True when the load created or updated at least one row."""
        return bool(self.created or self.updated)


def read_plan_file(path: Path) -> dict[str, Any]:
    """Parse the JSON file, turning read and syntax errors into located problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileInvalid([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileInvalid([f"{path}: cannot be read ({error})"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFileInvalid(
            [f"{path}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]
        ) from None
    if not isinstance(data, dict):
        raise PlanFileInvalid([f"{path}: the top level must be an object with plan, areas and activities"])
    return data


def _text(problems: list[str], where: str, record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {name} is missing or empty")
        return ""
    if name == "title" and len(value) > TITLE_MAX_LENGTH:
        problems.append(f"{where}: title is longer than {TITLE_MAX_LENGTH} characters")
    return value.strip()


def _validate_plan(problems: list[str], plan: Any) -> None:
    if not isinstance(plan, dict):
        problems.append("plan: must be an object")
        return
    for name in ("slug", "title", "version_label"):
        _text(problems, "plan", plan, name)
    try:
        datetime.date.fromisoformat(str(plan.get("published_on")))
    except ValueError:
        problems.append("plan: published_on must be a date written as YYYY-MM-DD")
    if not isinstance(plan.get("is_current"), bool):
        problems.append("plan: is_current must be true or false")


def _validate_areas(problems: list[str], areas: Any) -> dict[int, str]:
    """Check the five areas and return their prefixes by number."""
    prefixes: dict[int, str] = {}
    if not isinstance(areas, list):
        problems.append("areas: must be a list")
        return prefixes
    for index, area in enumerate(areas):
        where = f"areas[{index}]"
        if not isinstance(area, dict):
            problems.append(f"{where}: must be an object")
            continue
        number = area.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number not in AREA_NUMBERS:
            problems.append(f"{where}: number must be a whole number from 1 to 5")
        elif number in prefixes:
            problems.append(f"{where}: area number {number} appears more than once")
        prefix = area.get("prefix")
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Z]{2}", prefix):
            problems.append(f"{where}: prefix must be two capital letters")
        elif prefix in prefixes.values():
            problems.append(f"{where}: prefix {prefix} appears more than once")
        elif isinstance(number, int) and number in AREA_NUMBERS and number not in prefixes:
            prefixes[number] = prefix
        _text(problems, where, area, "title")
        _text(problems, where, area, "summary")
    missing = sorted(set(AREA_NUMBERS) - set(prefixes))
    if missing and not any(p.startswith("areas[") for p in problems):
        problems.append(f"areas: process area(s) {', '.join(map(str, missing))} are missing")
    return prefixes


def _validate_activities(problems: list[str], activities: Any, prefixes: dict[int, str]) -> None:
    if not isinstance(activities, list) or not activities:
        problems.append("activities: must be a non-empty list")
        return
    seen_codes: dict[str, int] = {}
    seen_orders: set[tuple[int, int]] = set()
    for index, activity in enumerate(activities):
        if not isinstance(activity, dict):
            problems.append(f"activities[{index}]: must be an object")
            continue
        code = activity.get("code")
        where = f"activities[{index}] (code {code!r})"
        if not isinstance(code, str) or not re.fullmatch(ACTIVITY_CODE_PATTERN, code):
            problems.append(f"{where}: code must be two capital letters and two digits, like LG01")
        elif code in seen_codes:
            problems.append(f"{where}: code {code} is also used by activities[{seen_codes[code]}]")
        else:
            seen_codes[code] = index
        area = activity.get("area")
        if not isinstance(area, int) or isinstance(area, bool) or area not in prefixes:
            problems.append(f"{where}: area {area!r} is not one of the process areas in this file")
        elif isinstance(code, str) and not code.startswith(prefixes[area]):
            problems.append(f"{where}: code should start with {prefixes[area]} for area {area}")
        order = activity.get("order")
        if not isinstance(order, int) or isinstance(order, bool) or order < 1:
            problems.append(f"{where}: order must be a whole number of 1 or more")
        elif isinstance(area, int):
            if (area, order) in seen_orders:
                problems.append(f"{where}: order {order} is used twice in area {area}")
            seen_orders.add((area, order))
        for name in ACTIVITY_TEXT_FIELDS:
            _text(problems, where, activity, name)


def validate_plan_data(data: dict[str, Any]) -> list[str]:
    """Return every problem in the parsed file; an empty list means it is safe to load."""
    problems: list[str] = []
    _validate_plan(problems, data.get("plan"))
    prefixes = _validate_areas(problems, data.get("areas"))
    _validate_activities(problems, data.get("activities"), prefixes)
    return problems


def _upsert(model_label: str, instance: Any, values: dict[str, Any], result: LoadResult, key: str) -> None:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
        result.created.append(f"{model_label} {key}")
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        result.updated.append(f"{model_label} {key} ({', '.join(changed)})")
    else:
        result.unchanged.append(f"{model_label} {key}")


@transaction.atomic
def apply_plan_data(data: dict[str, Any]) -> LoadResult:
    """Write validated data, creating or updating by slug, area number and activity code."""
    result = LoadResult()
    plan_data = data["plan"]
    plan = ActionPlan.objects.filter(slug=plan_data["slug"]).first() or ActionPlan(slug=plan_data["slug"])
    if plan_data["is_current"]:
        # Only one plan may be current; the database constraint would reject a second.
        ActionPlan.objects.exclude(slug=plan_data["slug"]).filter(is_current=True).update(is_current=False)
    _upsert(
        "plan",
        plan,
        {
            "title": plan_data["title"].strip(),
            "version_label": plan_data["version_label"].strip(),
            "published_on": datetime.date.fromisoformat(plan_data["published_on"]),
            "is_current": plan_data["is_current"],
        },
        result,
        plan.slug,
    )
    areas_by_number = {area.number: area for area in plan.areas.all()}
    for area_data in data["areas"]:
        area = areas_by_number.get(area_data["number"]) or ProcessArea(plan=plan, number=area_data["number"])
        area_values = {name: str(area_data[name]).strip() for name in ("prefix", "title", "summary")}
        _upsert("area", area, area_values, result, str(area_data["number"]))
        areas_by_number[area.number] = area
    existing = {activity.code: activity for activity in plan.activities.all()}
    for activity_data in data["activities"]:
        code = activity_data["code"]
        activity = existing.pop(code, None) or Activity(plan=plan, code=code)
        values: dict[str, Any] = {name: activity_data[name].strip() for name in ACTIVITY_TEXT_FIELDS}
        values["order"] = activity_data["order"]
        values["area_id"] = areas_by_number[activity_data["area"]].pk
        _upsert("activity", activity, values, result, code)
    # Activities dropped from the file are kept: returns may refer to them.
    result.not_in_file = sorted(existing)
    return result


def load_plan_file(path: Path) -> LoadResult:
    """Read, validate everything, and only then write."""
    data = read_plan_file(path)
    problems = validate_plan_data(data)
    if problems:
        raise PlanFileInvalid(problems)
    return apply_plan_data(data)
