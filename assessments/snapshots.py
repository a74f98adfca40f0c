"""Canonical snapshots of signed-off assessments and their SHA-256.

The data is plain JSON (strings, numbers, booleans, lists, objects) so that it survives a round trip
through the database unchanged; the hash is taken over one fixed serialisation of it, so anyone can
recompute it from the stored data alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypedDict

from actionplan.models import Activity
from assessments.answers import AnswerJSON, answer_json, answer_of
from assessments.models import Assessment
from assessments.status import TOP_OF_SCALE

SNAPSHOT_SCHEMA = 1


class SnapshotReturn(AnswerJSON):
    """One activity as signed off: its code and title as they were, the answer, and whether it was
    carried forward from the round before (and confirmed in this one)."""

    activity_code: str
    activity_title: str
    carried_forward: bool
    confirmed: bool


class SnapshotData(TypedDict):
    """A snapshot's data: the schema version, who signed off what and when, and every return."""

    schema: int
    force_code: str
    force_name: str
    round_name: str
    version: int
    signed_off_by: str
    signed_off_role: str
    signed_off_at: str
    returns: list[SnapshotReturn]


def build_snapshot_data(assessment: Assessment) -> SnapshotData:
    """Every return of a signed-off assessment, with the force, round, version and signer, as JSON data.

    Call it after the sign-off fields are set and before the transaction commits.
    """
    if assessment.signed_off_by is None or assessment.signed_off_at is None:
        raise ValueError("A snapshot records a sign-off: set who signed off, and when, first.")
    returns = assessment.returns.select_related("activity").order_by(
        "activity__area__number", "activity__order"
    )
    return SnapshotData(
        schema=SNAPSHOT_SCHEMA,
        force_code=assessment.force.code,
        force_name=assessment.force.name,
        round_name=assessment.round.name,
        version=assessment.version,
        signed_off_by=assessment.signed_off_by.get_full_name(),
        signed_off_role=assessment.signed_off_role,
        signed_off_at=assessment.signed_off_at.isoformat(),
        returns=[
            SnapshotReturn(
                activity_code=activity_return.activity.code,
                activity_title=activity_return.activity.title,
                # The answer as stored, references copied so the snapshot shares nothing with the return.
                **answer_json(answer_of(activity_return)),
                carried_forward=activity_return.carried_forward,
                confirmed=activity_return.confirmed,
            )
            for activity_return in returns
        ],
    )


def plan_areas(plan_id: int) -> dict[str, int]:
    """Each activity code of a plan with its process area number; one query."""
    return dict(Activity.objects.filter(plan_id=plan_id).values_list("code", "area__number"))


def snapshot_area_tallies(data: Mapping[str, Any], area_of: Mapping[str, int]) -> dict[str, list[int]]:
    """Per process area number (as text, as JSON keys are), [implemented or embedded, activities] among
    a snapshot's returns, each in the area `area_of` gives its code; codes it does not know are left out.

    Stored beside the data (AssessmentSnapshot.area_tallies) for reads that need only these figures
    for many snapshots at once, such as the benchmarks. Read generously, as stored JSON outlives the
    code that wrote it.
    """
    tallies: dict[str, list[int]] = {}
    returns = data.get("returns")
    for row in returns if isinstance(returns, list) else ():
        area = area_of.get(str(row.get("activity_code"))) if isinstance(row, Mapping) else None
        if area is None:
            continue
        tally = tallies.setdefault(str(area), [0, 0])
        tally[1] += 1
        if row.get("implementation_status") in TOP_OF_SCALE:
            tally[0] += 1
    return tallies


def canonical_bytes(data: Mapping[str, Any]) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(data: Mapping[str, Any]) -> str:
    """The hex SHA-256 of the canonical serialisation."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()
