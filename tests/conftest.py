"""Shared fixtures: the real reference data, and one user per role in a small two-region world."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from accounts.roles import Role
from actionplan.loading import load_plan_file
from actionplan.models import ActionPlan
from assessments.models import Force, Region
from msoic.settings.env import BASE_DIR
from tests.factories import ForceFactory, RegionFactory, UserFactory, user_with_role

FIXTURES = BASE_DIR / "fixtures"


@pytest.fixture
def action_plan(db) -> ActionPlan:
    """The real national action plan from fixtures/action_plan.json."""
    load_plan_file(FIXTURES / "action_plan.json")
    return ActionPlan.objects.get(is_current=True)


@dataclass
class World:
    """Two regions with two forces each, and a user for every role in the first region and force."""

    home_region: Region
    other_region: Region
    home_force: Force
    neighbour_force: Force  # same region as home_force
    far_force: Force  # the other region
    spoc: User
    chief_officer: User
    coordinator: User
    other_coordinator: User
    national: User
    administrator: User
    nobody: User  # signed in but with no membership

    def user(self, role: Role) -> User:
        return {
            Role.SPOC: self.spoc,
            Role.CHIEF_OFFICER: self.chief_officer,
            Role.COORDINATOR: self.coordinator,
            Role.NATIONAL: self.national,
            Role.ADMINISTRATOR: self.administrator,
        }[role]


@pytest.fixture
def world(db) -> World:
    home_region = RegionFactory(slug="north-east", name="North East")
    other_region = RegionFactory(slug="wales", name="Wales")
    home_force = ForceFactory(code="cleveland", name="Cleveland Police", region=home_region)
    neighbour_force = ForceFactory(code="durham", name="Durham Constabulary", region=home_region)
    far_force = ForceFactory(code="gwent", name="Gwent Police", region=other_region)
    return World(
        home_region=home_region,
        other_region=other_region,
        home_force=home_force,
        neighbour_force=neighbour_force,
        far_force=far_force,
        spoc=user_with_role(Role.SPOC, force=home_force, email="spoc@force.example", full_name="Sam Spoc"),
        chief_officer=user_with_role(
            Role.CHIEF_OFFICER, force=home_force, email="chief@force.example", full_name="Chris Chief"
        ),
        coordinator=user_with_role(
            Role.COORDINATOR, region=home_region, email="coord@force.example", full_name="Casey Coordinator"
        ),
        other_coordinator=user_with_role(
            Role.COORDINATOR, region=other_region, email="coord2@force.example", full_name="Wyn Coordinator"
        ),
        national=user_with_role(Role.NATIONAL, email="national@force.example", full_name="Nat National"),
        administrator=user_with_role(Role.ADMINISTRATOR, email="admin@force.example", full_name="Alex Admin"),
        nobody=UserFactory(email="nobody@force.example", full_name="No Body"),
    )


@pytest.fixture
def open_round(world, action_plan):
    """A round opened by national staff over the world's three forces."""
    import datetime

    from assessments.services import round_open

    return round_open(
        name="2026-27 autumn review",
        plan=action_plan,
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2026, 12, 31),
        opened_by=world.national,
    ).round


@pytest.fixture
def home_assessment(world, open_round):
    """Cleveland's assessment in the open round."""
    from assessments.models import Assessment

    return Assessment.objects.get(force=world.home_force, round=open_round)


def complete_values(status: str = "implemented", **overrides):
    """Form values that satisfy the rules for the given status."""
    import datetime

    values = {
        "implementation_status": status,
        "not_applicable_reason": "Not relevant to this force" if status == "not_applicable" else "",
        "evidence_summary": "Policy approved by chief officers in March 2026",
        "next_steps": "Roll out to all districts",
        "action_owner": "Head of public protection",
        "target_date": datetime.date(2027, 3, 31),
    }
    values.update(overrides)
    return values


def form_post(values: dict, *, revision: int, action: str = "continue", references=()) -> dict:
    """A POST body for the activity page, as the browser would send it."""
    data = {
        "implementation_status": values.get("implementation_status", ""),
        "not_applicable_reason": values.get("not_applicable_reason", ""),
        "evidence_summary": values.get("evidence_summary", ""),
        "next_steps": values.get("next_steps", ""),
        "action_owner": values.get("action_owner", ""),
        "revision": str(revision),
        "action": action,
        "ref-TOTAL_FORMS": str(max(1, len(references))),
        "ref-INITIAL_FORMS": "0",
        "ref-MIN_NUM_FORMS": "0",
        "ref-MAX_NUM_FORMS": "10",
    }
    target = values.get("target_date")
    data["target_date_0"] = str(target.day) if target else ""
    data["target_date_1"] = str(target.month) if target else ""
    data["target_date_2"] = str(target.year) if target else ""
    for index, (title, location, applies_on) in enumerate(references):
        data[f"ref-{index}-title"] = title
        data[f"ref-{index}-location"] = location
        data[f"ref-{index}-applies_on_0"] = str(applies_on.day)
        data[f"ref-{index}-applies_on_1"] = str(applies_on.month)
        data[f"ref-{index}-applies_on_2"] = str(applies_on.year)
    return data


def sign_off_for_test(assessment, by):
    """Test shortcut: mark an assessment signed off, with its snapshot, without the review screens."""
    from django.utils import timezone

    from assessments.models import Assessment, AssessmentSnapshot
    from assessments.snapshots import build_snapshot_data, plan_areas, snapshot_area_tallies, snapshot_hash
    from assessments.status import WorkflowStatus

    Assessment.objects.filter(pk=assessment.pk).update(
        status=WorkflowStatus.SIGNED_OFF,
        signed_off_by=by,
        signed_off_at=timezone.now(),
        signed_off_role="Test",
    )
    assessment.refresh_from_db()
    data = build_snapshot_data(assessment)
    AssessmentSnapshot.objects.create(
        assessment=assessment,
        version=assessment.version,
        data=data,
        sha256=snapshot_hash(data),
        area_tallies=snapshot_area_tallies(data, plan_areas(assessment.round.plan_id)),
    )
    return assessment
