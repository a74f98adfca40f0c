"""Load the regions and forces file: validate everything first, then create or update by code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from assessments.models import Force, Region

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ForcesFileInvalid(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the regions and forces file")
        self.problems = problems


@dataclass
class ForcesLoadResult:
    """What a load did, line by line."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    region_kept: list[str] = field(default_factory=list)


def validate_forces_data(data: Any) -> list[str]:
    """Return every problem in the parsed file."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the top level must be an object with regions and forces"]
    region_slugs: set[str] = set()
    for index, region in enumerate(data.get("regions") or []):
        where = f"regions[{index}]"
        if not isinstance(region, dict):
            problems.append(f"{where}: must be an object")
            continue
        slug, name = region.get("slug"), region.get("name")
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            problems.append(f"{where}: slug must be lower-case letters, digits and hyphens")
        elif slug in region_slugs:
            problems.append(f"{where}: slug {slug} appears more than once")
        else:
            region_slugs.add(slug)
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name is missing or empty")
    if not region_slugs:
        problems.append("regions: at least one region is needed")
    codes: set[str] = set()
    for index, force in enumerate(data.get("forces") or []):
        where = f"forces[{index}]"
        if not isinstance(force, dict):
            problems.append(f"{where}: must be an object")
            continue
        code = force.get("code")
        if not isinstance(code, str) or not SLUG_PATTERN.match(code) or len(code) > 30:
            problems.append(f"{where}: code must be up to 30 lower-case letters, digits and hyphens")
        elif code in codes:
            problems.append(f"{where}: code {code} appears more than once")
        else:
            codes.add(code)
        if not isinstance(force.get("name"), str) or not force["name"].strip():
            problems.append(f"{where}: name is missing or empty")
        if force.get("region") not in region_slugs:
            problems.append(f"{where}: region {force.get('region')!r} is not one of the regions in this file")
    if not codes:
        problems.append("forces: at least one force is needed")
    return problems


@transaction.atomic
def apply_forces_data(data: dict[str, Any]) -> ForcesLoadResult:
    """Create or update regions by slug and forces by code.

    A force's region is set when it is created. After that it belongs to administrators, who may
    move a force between regions, so a reload leaves it alone and says so.
    """
    result = ForcesLoadResult()
    regions = {region.slug: region for region in Region.objects.all()}
    for region_data in data["regions"]:
        region = regions.get(region_data["slug"])
        name = region_data["name"].strip()
        if region is None:
            regions[region_data["slug"]] = Region.objects.create(slug=region_data["slug"], name=name)
            result.created.append(f"region {region_data['slug']}")
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            result.updated.append(f"region {region.slug} (name)")
        else:
            result.unchanged += 1
    forces = {force.code: force for force in Force.objects.select_related("region")}
    for force_data in data["forces"]:
        force = forces.get(force_data["code"])
        name = force_data["name"].strip()
        region = regions[force_data["region"]]
        if force is None:
            Force.objects.create(code=force_data["code"], name=name, region=region)
            result.created.append(f"force {force_data['code']}")
            continue
        if force.name != name:
            force.name = name
            force.save(update_fields=["name"])
            result.updated.append(f"force {force.code} (name)")
        else:
            result.unchanged += 1
        if force.region_id != region.pk:
            result.region_kept.append(f"{force.code} stays in {force.region.name}")
    return result


def load_forces_file(path: Path) -> ForcesLoadResult:
    """Read and validate the whole file, then write it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ForcesFileInvalid([f"{path}: file not found"]) from None
    except json.JSONDecodeError as error:
        raise ForcesFileInvalid([f"{path}: line {error.lineno}, column {error.colno}: {error.msg}"]) from None
    problems = validate_forces_data(data)
    if problems:
        raise ForcesFileInvalid(problems)
    return apply_forces_data(data)
