"""Every rule a return must meet, from one table."""

from __future__ import annotations

import datetime

import pytest

from assessments import rules
from assessments.status import ImplementationStatus
from tests.conftest import complete_values

# status -> the fields that, when blank, make the return incomplete (and the message)
REQUIRED_BY_STATUS = {
    "not_started": {},
    "planned": {
        "next_steps": rules.NEXT_STEPS_REQUIRED,
        "action_owner": rules.OWNER_REQUIRED,
        "target_date": rules.TARGET_DATE_REQUIRED,
    },
    "in_progress": {
        "next_steps": rules.NEXT_STEPS_REQUIRED,
        "action_owner": rules.OWNER_REQUIRED,
        "target_date": rules.TARGET_DATE_REQUIRED,
    },
    "implemented": {"evidence_summary": rules.EVIDENCE_REQUIRED},
    "embedded": {"evidence_summary": rules.EVIDENCE_REQUIRED},
    "not_applicable": {"not_applicable_reason": rules.REASON_REQUIRED},
}


@pytest.mark.parametrize("status", list(REQUIRED_BY_STATUS))
def test_a_fully_answered_return_has_no_problems(status):
    assert rules.return_problems(complete_values(status)) == {}


@pytest.mark.parametrize(
    ("status", "field", "message"),
    [
        (status, field, message)
        for status, fields in REQUIRED_BY_STATUS.items()
        for field, message in fields.items()
    ],
)
def test_each_required_field_is_named_when_blank(status, field, message):
    values = complete_values(status, **{field: None if field == "target_date" else "   "})
    assert rules.return_problems(values) == {field: message}


@pytest.mark.parametrize("status", ["", None, "excellent", "outstanding"])
def test_a_missing_or_unknown_status_is_the_only_problem_reported(status):
    assert rules.return_problems({"implementation_status": status}) == {
        "implementation_status": rules.STATUS_REQUIRED
    }


@pytest.mark.parametrize(
    ("status", "target", "flagged"),
    [
        ("planned", datetime.date(2026, 1, 1), True),
        ("in_progress", datetime.date(2026, 11, 28), True),
        ("planned", datetime.date(2026, 11, 29), False),
        ("implemented", datetime.date(2020, 1, 1), False),
    ],
)
def test_a_past_target_date_is_flagged_for_open_actions(status, target, flagged):
    values = complete_values(status, target_date=target)
    assert rules.target_date_is_past(values, today=datetime.date(2026, 11, 29)) is flagged


@pytest.mark.parametrize("status", [*ImplementationStatus.values, "", "bogus", None])
def test_only_not_applicable_keeps_a_reason(status):
    assert rules.keeps_reason(status) == (status == ImplementationStatus.NOT_APPLICABLE)


@pytest.mark.parametrize(
    ("status", "kept"),
    [("not_applicable", "No ports"), ("implemented", ""), ("planned", ""), ("", ""), ("nonsense", "")],
)
def test_a_reason_is_kept_with_not_applicable_alone(status, kept):
    from assessments.answers import empty_answer
    from assessments.rules import as_kept

    answer = {**empty_answer(), "implementation_status": status, "not_applicable_reason": "No ports"}
    assert as_kept(answer)["not_applicable_reason"] == kept
    assert as_kept(answer)["implementation_status"] == status
    blank = {**empty_answer(), "implementation_status": "implemented"}
    assert as_kept(blank) is blank  # nothing to drop: the same answer back
