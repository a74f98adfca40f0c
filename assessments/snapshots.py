"""Canonical snapshots of signed-off assessments and their SHA-256.

The data is plain JSON (strings, numbers, booleans, lists, objects) so that it survives a round trip
through the database unchanged; the hash is taken over one fixed serialisation of it, so anyone can
recompute it from the stored data alone.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assessments.models import Assessment

SNAPSHOT_SCHEMA = 1


def build_snapshot_data(assessment: Assessment) -> dict[str, Any]:
    """Every return of a signed-off assessment, with the force, round, version and signer, as JSON data.

    Call it after the sign-off fields are set and before the transaction commits.
    """
    if assessment.signed_off_by is None or assessment.signed_off_at is None:
        raise ValueError("A snapshot records a sign-off: set who signed off, and when, first.")
    returns = assessment.returns.select_related("activity").order_by(
        "activity__area__number", "activity__order"
    )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "force_code": assessment.force.code,
        "force_name": assessment.force.name,
        "round_name": assessment.round.name,
        "version": assessment.version,
        "signed_off_by": assessment.signed_off_by.get_full_name(),
        "signed_off_role": assessment.signed_off_role,
        "signed_off_at": assessment.signed_off_at.isoformat(),
        "returns": [
            {
                "activity_code": activity_return.activity.code,
                "activity_title": activity_return.activity.title,
                "implementation_status": activity_return.implementation_status,
                "not_applicable_reason": activity_return.not_applicable_reason,
                "evidence_summary": activity_return.evidence_summary,
                # Already JSON (it lives in a JSONField); copied so the snapshot shares nothing.
                "evidence_references": [dict(reference) for reference in activity_return.evidence_references],
                "next_steps": activity_return.next_steps,
                "action_owner": activity_return.action_owner,
                "target_date": (
                    activity_return.target_date.isoformat() if activity_return.target_date else None
                ),
                "carried_forward": activity_return.carried_forward,
                "confirmed": activity_return.confirmed,
            }
            for activity_return in returns
        ],
    }


def canonical_bytes(data: dict[str, Any]) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(data: dict[str, Any]) -> str:
    """The hex SHA-256 of the canonical serialisation."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()
