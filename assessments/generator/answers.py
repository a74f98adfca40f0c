"""What generated SPOCs write: the wording pools, and the random walk of statuses round to round."""

from __future__ import annotations

import datetime
import random
from typing import Any

from actionplan.models import Activity
from assessments.changes import status_change
from assessments.dates import long_date
from assessments.rules import MAX_EVIDENCE_REFERENCES
from assessments.status import IMPLEMENTATION_RANK, ImplementationStatus

RANKED = [status for status, _rank in sorted(IMPLEMENTATION_RANK.items(), key=lambda item: item[1])]
OWNERS = (
    "Head of public protection",
    "Detective Superintendent, serious and organised crime",
    "Force crime registrar",
    "Head of learning and development",
    "Modern slavery tactical lead",
    "Head of intelligence",
    "Strategic SPOC",
)
NOT_APPLICABLE_REASONS = (
    "The force has no port, airport or border crossing in its area.",
    "Delivered for this force by the regional organised crime unit under a collaboration agreement.",
    "Covered by a national team; the force has no separate capability to assess.",
)
EVIDENCE = (
    "Approved by the chief officer group; minutes and the action log are on the governance site.",
    "Audited by the force crime registrar this quarter: {share}% of cases met the standard.",
    "Reported monthly to the performance board with NRM, Duty to Notify and crime outcome figures.",
    "Training records show {share}% of the target staff completed the input this year.",
    "Checked in the last dip sample of {count} cases; findings shared with supervisors.",
    "Written into the force procedure, reviewed with partners at the anti-slavery partnership.",
)
NEXT_STEPS = (
    "Agree the approach at the next governance group and assign a lead.",
    "Finish the pilot in one district, then roll out force-wide.",
    "Draft the procedure, consult the regional coordinator and publish it.",
    "Book the remaining training dates and record completion centrally.",
    "Build the monthly return into the performance framework.",
)
RETURN_REASONS = (
    "Thank you. A few activities need clearer evidence before I can sign this off.",
    "Nearly there: please add dates to the evidence on the activities marked.",
    "The marked activities need an owner and a realistic target date.",
)
ACTIVITY_COMMENTS = (
    "Say which audit this refers to and when it took place.",
    "The target date has passed: set a new one or explain the delay.",
    "Embedded needs evidence that the force checks this routinely; add it or choose Implemented.",
    "Please attach the policy reference and the date it was approved.",
)


def rises(before: str | None, now: str) -> bool:
    """Whether `now` is above the last signed-off status `before` (None: nothing signed off yet)."""
    return before is not None and status_change(before, now) == "up"


def next_status(previous: str | None, *, drive: float, rng: random.Random) -> str:
    """One round of the random walk: up with probability `drive`, down one time in twelve."""
    if previous is None:
        if rng.random() < 0.03:
            return ImplementationStatus.NOT_APPLICABLE
        return rng.choices(RANKED, weights=[30, 30, 25, 10, 5])[0]
    if previous == ImplementationStatus.NOT_APPLICABLE:
        return previous
    rank = IMPLEMENTATION_RANK[previous]
    roll = rng.random()
    if roll < drive and rank < len(RANKED) - 1:
        rank += 1
    elif roll > 1 - 1 / 12 and rank > 0:
        rank -= 1
    return RANKED[rank]


def answers_for(
    status: str,
    *,
    activity: Activity,
    opens_on: datetime.date,
    rng: random.Random,
    rises: bool = False,
) -> dict[str, Any]:
    """Answers that satisfy the rules for this status, written as a SPOC might.

    `rises`: the status is above the force's last signed-off one, so the evidence-of-change rule
    (assessments.rules) asks for new evidence: the summary names this round's review and a reference is
    dated the day the round opened, inside every window the rule can set for a generated round. The
    random draws are the same either way, so the rest of the generated data does not move.
    """
    values: dict[str, Any] = {
        "implementation_status": status,
        "not_applicable_reason": "",
        "evidence_summary": "",
        "evidence_references": [],
        "next_steps": "",
        "action_owner": "",
        "target_date": None,
    }
    if status == ImplementationStatus.NOT_APPLICABLE:
        values["not_applicable_reason"] = rng.choice(NOT_APPLICABLE_REASONS)
        return values
    rank = IMPLEMENTATION_RANK[status]
    if rank >= 2:
        summary = rng.choice(EVIDENCE).format(share=rng.randint(60, 99), count=rng.randint(12, 60))
        values["evidence_summary"] = f"{activity.title}: {summary}"
        applies_on = opens_on - datetime.timedelta(days=rng.randint(10, 150))
        values["evidence_references"] = [
            {
                "title": f"{activity.code} evidence pack",
                "location": f"Force intranet > Modern slavery > {activity.code}",
                "applies_on": applies_on.isoformat(),
            }
        ][: rng.randint(0, 1) + (1 if rank >= 3 else 0)]
    if rises:
        base = values["evidence_summary"] or f"{activity.title}: the plan and its owner are agreed."
        values["evidence_summary"] = f"{base} New evidence for the review opening {long_date(opens_on)}."
        values["evidence_references"] = [
            {
                "title": f"{activity.code} evidence of change",
                "location": f"Force intranet > Modern slavery > {activity.code} > {opens_on.isoformat()}",
                "applies_on": opens_on.isoformat(),
            },
            *values["evidence_references"][: MAX_EVIDENCE_REFERENCES - 1],
        ]
    if rank <= 3:
        values["next_steps"] = rng.choice(NEXT_STEPS)
        values["action_owner"] = rng.choice(OWNERS)
        values["target_date"] = opens_on + datetime.timedelta(days=rng.randint(60, 270))
    return values
