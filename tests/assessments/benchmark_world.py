"""Building blocks for benchmark tests: forces whose signed-off shares are set per process area."""

from __future__ import annotations

import datetime

from assessments.models import ActivityReturn, Assessment, Force
from assessments.services import round_open
from tests.conftest import sign_off_for_test
from tests.factories import ForceFactory


def add_forces(region, count: int, *, prefix: str) -> list:
    """`count` more forces in the region, named "<prefix> 1", "<prefix> 2", ..."""
    return [
        ForceFactory(code=f"{prefix.lower()}-{n}", name=f"{prefix} {n}", region=region)
        for n in range(1, count + 1)
    ]


def open_test_round(world, action_plan, *, name: str, opens_on: datetime.date):
    """A round over every force, opened by national staff."""
    return round_open(
        name=name,
        plan=action_plan,
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=60),
        opened_by=world.national,
    ).round


def set_top_share(assessment: Assessment, fraction: float) -> None:
    """Mark the first `fraction` of each area's activities implemented, the rest in progress."""
    returns = list(
        ActivityReturn.objects.filter(assessment=assessment)
        .select_related("activity__area")
        .order_by("activity__area__number", "activity__order")
    )
    by_area: dict[int, list[ActivityReturn]] = {}
    for row in returns:
        by_area.setdefault(row.activity.area.number, []).append(row)
    for rows in by_area.values():
        cut = round(len(rows) * fraction)
        ActivityReturn.objects.filter(pk__in=[r.pk for r in rows[:cut]]).update(
            implementation_status="implemented"
        )
        ActivityReturn.objects.filter(pk__in=[r.pk for r in rows[cut:]]).update(
            implementation_status="in_progress"
        )


def sign_off_with_share(world, round_, force: Force, fraction: float) -> Assessment:
    """The force's assessment in the round, with the given share in every area, signed off."""
    assessment = Assessment.objects.get(force=force, round=round_)
    set_top_share(assessment, fraction)
    return sign_off_for_test(assessment, world.coordinator)
