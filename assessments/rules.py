"""The rules every activity return must meet, in one place for the web form, completeness and imports."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from assessments.status import NEEDS_EVIDENCE, NEEDS_PLAN, ImplementationStatus

EVIDENCE_SUMMARY_MAX = 2000
NEXT_STEPS_MAX = 2000
REASON_MAX = 1000
OWNER_MAX = 150
REFERENCE_TITLE_MAX = 200
REFERENCE_LOCATION_MAX = 500
MAX_EVIDENCE_REFERENCES = 10

STATUS_REQUIRED = "Select how far the force has implemented this activity"
REASON_REQUIRED = "Explain why this activity does not apply to the force"
EVIDENCE_REQUIRED = "Summarise the evidence that shows this activity is implemented"
NEXT_STEPS_REQUIRED = "Describe the next steps"
OWNER_REQUIRED = "Enter the name or role of the person who owns the next steps"
TARGET_DATE_REQUIRED = "Enter the target date for the next steps"
# What a SPOC declares on submitting: the form asks it, and the force report repeats it beside who submitted.
SUBMISSION_DECLARATION = (
    "I confirm that, to the best of my knowledge, this assessment is accurate and has been "
    "agreed with the force's chief officer lead"
)
TARGET_DATE_PAST = "The target date is in the past. Check it is still right, or set a new one."


def keeps_reason(status: object) -> bool:
    """Whether a return keeps its reason for not applying: only when the status is Not applicable.

    The activity page reveals the reason box under "Not applicable" alone, so a reason typed and
    then left hidden by choosing another status is dropped rather than saved unseen.
    """
    return status == ImplementationStatus.NOT_APPLICABLE


def return_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Missing answers for the chosen status, by field name; empty when the return is complete.

    `values` holds implementation_status, not_applicable_reason, evidence_summary, next_steps,
    action_owner and target_date, as the form cleans them or as the model stores them.
    """
    status = values.get("implementation_status") or ""
    problems: dict[str, str] = {}
    if status not in ImplementationStatus.values:
        problems["implementation_status"] = STATUS_REQUIRED
        return problems
    if status == ImplementationStatus.NOT_APPLICABLE and not _filled(values, "not_applicable_reason"):
        problems["not_applicable_reason"] = REASON_REQUIRED
    if status in NEEDS_EVIDENCE and not _filled(values, "evidence_summary"):
        problems["evidence_summary"] = EVIDENCE_REQUIRED
    if status in NEEDS_PLAN:
        if not _filled(values, "next_steps"):
            problems["next_steps"] = NEXT_STEPS_REQUIRED
        if not _filled(values, "action_owner"):
            problems["action_owner"] = OWNER_REQUIRED
        if not values.get("target_date"):
            problems["target_date"] = TARGET_DATE_REQUIRED
    return problems


def target_date_is_past(values: Mapping[str, Any], *, today: datetime.date) -> bool:
    """An open action whose target date has passed deserves a second look (a warning, not an error)."""
    target = values.get("target_date")
    return bool(
        isinstance(target, datetime.date)
        and target < today
        and values.get("implementation_status") in NEEDS_PLAN
    )


def _filled(values: Mapping[str, Any], name: str) -> bool:
    value = values.get(name)
    return bool(value and str(value).strip())
