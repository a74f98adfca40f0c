"""Opening a round: a draft assessment for every force, each answer carried forward from its last sign-off."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from actionplan.models import ActionPlan
from assessments.answers import Answer, answer_from_json
from assessments.models import (
    ActivityReturn,
    Assessment,
    AssessmentSnapshot,
    Force,
    Round,
)
from assessments.permissions import can_edit_reference_data
from assessments.services.actions import _carry_actions_forward


@dataclass(frozen=True)
class OpenedRound:
    """What opening a round created, for the confirmation message."""

    round: Round
    assessments_created: int
    returns_carried_forward: int


def last_signed_off_answers(*, force_ids: list[int]) -> dict[tuple[int, str], Answer]:
    """Each force's answers as last signed off, keyed by (force id, activity code).

    Read from the signed-off snapshots, not the live returns: a reopened assessment's returns may have
    changed since, but what was signed off is what carries forward.
    """
    latest: dict[int, int] = {}
    snapshots = (
        AssessmentSnapshot.objects.filter(assessment__force_id__in=force_ids)
        .order_by("assessment__force_id", "-created_at", "-pk")
        .values_list("assessment__force_id", "pk")
    )
    for force_id, snapshot_id in snapshots:
        latest.setdefault(force_id, snapshot_id)
    answers: dict[tuple[int, str], Answer] = {}
    for force_id, data in AssessmentSnapshot.objects.filter(pk__in=latest.values()).values_list(
        "assessment__force_id", "data"
    ):
        for row in data.get("returns", []):
            answers[(force_id, row["activity_code"])] = answer_from_json(row)
    return answers


@transaction.atomic
def round_open(
    *,
    name: str,
    plan: ActionPlan,
    opens_on: datetime.date,
    due_on: datetime.date,
    opened_by: Any,
    evidence_window_starts_on: datetime.date | None = None,
) -> OpenedRound:
    """Open a round: one assessment per force, each return pre-filled from the force's last sign-off.

    Copied answers are marked as carried forward and unconfirmed, so they never count as complete
    until the SPOC has looked at them in this round.
    """
    if not can_edit_reference_data(opened_by):
        raise PermissionDenied("Only national staff and administrators open rounds.")
    new_round = Round.objects.create(
        name=name,
        plan=plan,
        opens_on=opens_on,
        due_on=due_on,
        is_open=True,
        evidence_window_starts_on=evidence_window_starts_on,
    )
    forces = list(Force.objects.order_by("pk"))
    activities = list(plan.activities.order_by("area__number", "order"))
    previous = last_signed_off_answers(force_ids=[force.pk for force in forces])
    # A new assessment starts as a draft (the model default); only workflow.py moves it on.
    assessments = Assessment.objects.bulk_create(
        [Assessment(force=force, round=new_round) for force in forces]
    )
    if any(assessment.pk is None for assessment in assessments):
        # SQLite before 3.35 cannot return ids from a bulk insert; read them back.
        assessments = list(Assessment.objects.filter(round=new_round).order_by("force_id"))
    returns: list[ActivityReturn] = []
    carried = 0
    for assessment in assessments:
        for activity in activities:
            activity_return = ActivityReturn(assessment=assessment, activity=activity)
            earlier = previous.get((assessment.force_id, activity.code))
            if earlier is not None and earlier["implementation_status"]:
                for field, value in earlier.items():
                    setattr(activity_return, field, value)
                activity_return.carried_forward = True
                carried += 1
            returns.append(activity_return)
    _carry_actions_forward(returns, force_ids=[force.pk for force in forces])
    bulk_create_with_history(returns, ActivityReturn, batch_size=500, default_user=opened_by)
    return OpenedRound(round=new_round, assessments_created=len(assessments), returns_carried_forward=carried)
