"""Reads for the evidence-of-change rule: what the force last signed off, and the round's window.

The rule itself is assessments.rules.evidence_of_change_problems; this reads what it needs, once per
page or save: the force's last sign-off (one query) and, for a whole assessment, the returns (one more).
The activity form, the spreadsheet upload, the task list, check your answers and workflow.submit all
come here, so they agree on which sign-off a rise is measured from and what the window is.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from assessments.answers import ANSWER_FIELDS, Answer, answer_from_json
from assessments.dates import UK_TIME
from assessments.models import ActivityReturn, Assessment
from assessments.rules import EvidenceWindow, evidence_of_change_problems, evidence_window
from assessments.selectors.review import previous_snapshot
from ops.prepared_reads import PreparedRead


@dataclass(frozen=True)
class EvidenceCheck:
    """The rule as it applies to one assessment today: the window, the last signed-off answers, the mode."""

    window: EvidenceWindow
    warn_only: bool
    force_established_on: datetime.date | None
    # The last sign-off's returns as its snapshot stores them, by activity code. Each is read into an
    # Answer only when asked about: a save or an activity page asks about one activity of fifty.
    signed_off_rows: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    _answers: dict[str, Answer | None] = field(default_factory=dict, repr=False, compare=False)

    def signed_off(self, code: str) -> Answer | None:
        """The answer for activity `code` at the last sign-off; None if it had none."""
        if code not in self._answers:
            row = self.signed_off_rows.get(code)
            self._answers[code] = answer_from_json(row) if row is not None else None
        return self._answers[code]

    def problems(self, code: str, answer: Answer) -> dict[str, str]:
        """What `answer` for activity `code` lacks to rise above the last signed-off status."""
        return evidence_of_change_problems(answer, self.signed_off(code), window=self.window)

    def refuses(self, code: str, answer: Answer) -> dict[str, str]:
        """The problems that stop a save or a submission: none in a warn-only round."""
        return {} if self.warn_only else self.problems(code, answer)


@dataclass(frozen=True)
class EvidenceBreach:
    """One activity whose status rose without evidence of change."""

    code: str
    title: str
    problems: dict[str, str]


def evidence_check(*, assessment: Assessment, today: datetime.date) -> EvidenceCheck:
    """The rule for `assessment` on `today` (UK date). One query: the force's last sign-off.

    `assessment` must come with its round and force (select_related), as every page's does.
    """
    snapshot = previous_snapshot(assessment=assessment)
    signed_off_rows = (
        {row["activity_code"]: row for row in snapshot.data.get("returns", [])}
        if snapshot is not None
        else {}
    )
    round_ = assessment.round
    window = evidence_window(
        opens_on=round_.opens_on,
        set_start=round_.evidence_window_starts_on,
        last_sign_off=snapshot.created_at.astimezone(UK_TIME).date() if snapshot is not None else None,
        today=today,
    )
    return EvidenceCheck(
        window=window,
        warn_only=round_.evidence_rule_warn_only,
        force_established_on=assessment.force.established_on,
        signed_off_rows=signed_off_rows,
    )


# Each return's activity and answer in plan order, as plain values: the SQL built once
# (ops.prepared_reads). Model instances with deferred fields cost check your answers more than the rule.
_RETURNS_WITH_ANSWERS = PreparedRead(
    lambda assessment_id: (
        ActivityReturn.objects.filter(assessment_id=assessment_id)
        .order_by("activity__area__number", "activity__order")
        .values_list("activity__code", "activity__title", *ANSWER_FIELDS)
    ),
    "assessment_id",
)


def evidence_breaches(
    *, assessment: Assessment, today: datetime.date
) -> tuple[EvidenceCheck, list[EvidenceBreach]]:
    """Every activity of the assessment whose status rose without evidence of change, in plan order.

    Two queries whatever the number of activities: the last sign-off and the returns.
    """
    check = evidence_check(assessment=assessment, today=today)
    # The returns are read even with nothing signed off before, so a page costs the same either way.
    breaches = []
    for code, title, *values in _RETURNS_WITH_ANSWERS.rows(assessment_id=assessment.pk):
        problems = check.problems(code, cast(Answer, dict(zip(ANSWER_FIELDS, values, strict=True))))
        if problems:
            breaches.append(EvidenceBreach(code=code, title=title, problems=problems))
    return check, breaches
