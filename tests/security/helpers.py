"""Shared by the security and reliability tests: signing in, a small world in a chosen state, fingerprints.

Staff need a verified second factor: `sign_in` uses the shared `verified_staff_login` from
tests/factories.py for them (one line to change if that helper ever moves).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client

from accounts.models import User
from accounts.roles import ADMIN_SITE_ROLES, Role
from assessments import workflow
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentEvent,
    AssessmentSnapshot,
    Force,
    Region,
    ReportPack,
    Round,
    StoredReport,
)
from assessments.permissions import access_for
from tests.factories import user_with_role, verified_staff_login

OWN, NEIGHBOUR, FAR = "own force", "same-region other force", "other region"
SCOPES = (OWN, NEIGHBOUR, FAR)
# Stands for an object that does not exist: out of scope must look exactly like this.
MISSING = "missing"
MISSING_ID = 987654321

ROLES = (Role.SPOC, Role.CHIEF_OFFICER, Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR)


def sign_in(client: Client, user: User) -> None:
    """Sign the user in: staff roles with their second factor passed, force roles as they are."""
    if access_for(user).roles & ADMIN_SITE_ROLES:
        verified_staff_login(client, user)
    else:
        client.force_login(user)


COMPLETE_RETURN = {
    "implementation_status": "implemented",
    "evidence_summary": "Policy approved by chief officers in March 2026",
    "next_steps": "Roll out to all districts",
    "action_owner": "Head of public protection",
    "target_date": datetime.date(2027, 3, 31),
    "confirmed": True,
    "is_complete": True,
}


@dataclass
class Scene:
    """The conftest world with a round in one state for all three forces, and ready report packs."""

    world: Any
    round: Round
    state: str
    spocs: dict[str, User] = field(default_factory=dict)
    packs: dict[str, ReportPack] = field(default_factory=dict)

    def force(self, scope: str) -> Force:
        if scope == MISSING:
            return Force(pk=MISSING_ID, code="atlantis", name="Atlantis")
        return {OWN: self.world.home_force, NEIGHBOUR: self.world.neighbour_force, FAR: self.world.far_force}[
            scope
        ]

    def region(self, scope: str) -> Region:
        if scope == MISSING:
            return Region(pk=MISSING_ID, slug="atlantis", name="Atlantis")
        return {OWN: self.world.home_region, NEIGHBOUR: self.world.home_region, FAR: self.world.other_region}[
            scope
        ]

    def assessment(self, scope: str) -> Assessment:
        if scope == MISSING:
            return Assessment(pk=MISSING_ID, version=1)
        return Assessment.objects.select_related("force__region").get(
            round=self.round, force=self.force(scope)
        )

    def pack(self, scope: str, *, national: bool = False) -> ReportPack:
        if scope == MISSING:
            return ReportPack(pk=MISSING_ID)
        return self.packs["national" if national else self.region(scope).slug]


def complete_all_returns(round_: Round) -> None:
    """Answer every activity of every assessment in the round (bypassing the form, for speed)."""
    ActivityReturn.objects.filter(assessment__round=round_).update(**COMPLETE_RETURN)


def build_scene(world: Any, round_: Round, state: str) -> Scene:
    """Move every assessment of the round to `state`.

    States: draft, complete (a draft with every activity answered), submitted, signed_off.
    """
    scene = Scene(world=world, round=round_, state=state)
    scene.spocs = {world.home_force.code: world.spoc}
    for force in (world.neighbour_force, world.far_force):
        scene.spocs[force.code] = user_with_role(Role.SPOC, force=force, full_name=f"{force.name} SPOC")
    coordinators = {world.home_region.pk: world.coordinator, world.other_region.pk: world.other_coordinator}
    if state != "draft":
        complete_all_returns(round_)
    else:
        # An open action on LG02 in every force, for the close-an-action rows (LG01 is the one edited).
        from assessments.models import ActivityReturn
        from assessments.services import actions_from_returns

        ActivityReturn.objects.filter(assessment__round=round_, activity__code="LG02").update(
            implementation_status="in_progress", next_steps="Train staff", action_owner="DCI Shaw"
        )
        actions_from_returns(force_ids=[world.home_force.pk, world.neighbour_force.pk, world.far_force.pk])
    if state in ("submitted", "signed_off"):
        for assessment in Assessment.objects.filter(round=round_).select_related("force"):
            workflow.submit(assessment, by=scene.spocs[assessment.force.code])
    if state == "signed_off":
        for assessment in Assessment.objects.filter(round=round_).select_related("force"):
            workflow.sign_off(assessment, by=coordinators[assessment.force.region_id], comment="Agreed")
    for key, region in (
        (world.home_region.slug, world.home_region),
        (world.other_region.slug, world.other_region),
        ("national", None),
    ):
        pack = ReportPack.objects.create(
            requested_by=world.national,
            round=round_,
            region=region,
            scope=key,
            state=ReportPack.State.READY,
            done=1,
            total=1,
        )
        pack.file.save(f"{key}.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=True)
        scene.packs[key] = pack
    return scene


def fingerprint() -> tuple[Any, ...]:
    """Everything a request could wrongly change, in a comparable form."""
    from assessments.models import ActivityReturn as Return

    history = Return.history.model
    return (
        tuple(
            Assessment.objects.order_by("pk").values_list(
                "pk", "force_id", "round_id", "status", "version", "submitted_by", "signed_off_by"
            )
        ),
        tuple(
            Return.objects.order_by("pk").values_list(
                "pk",
                "assessment_id",
                "revision",
                "implementation_status",
                "evidence_summary",
                "is_complete",
                "reopened_for_changes",
                "coordinator_comment",
            )
        ),
        tuple(AssessmentEvent.objects.order_by("pk").values_list("pk", "to_status", "comment")),
        tuple(AssessmentSnapshot.objects.order_by("pk").values_list("pk", "sha256")),
        Round.objects.count(),
        ReportPack.objects.count(),
        StoredReport.objects.count(),
        history.objects.count(),
    )


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint and undo whatever it wrote, so the next case starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
