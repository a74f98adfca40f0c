"""The rules every activity return must meet, in one place for the web form, completeness and imports."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.answers import Answer, answer_with, date_from
from assessments.changes import AnswerChange, answer_change, status_change
from assessments.dates import long_date
from assessments.status import NEEDS_EVIDENCE, NEEDS_PLAN, ImplementationStatus, implementation_label

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


def as_kept(answer: Answer) -> Answer:
    """The answer as it is stored: its reason for not applying dropped unless the status is Not applicable.

    The one place the rule is applied to an answer: services.activity_return_save applies it to every
    save (the web form, a spreadsheet upload), and the upload's preview to what it shows, so a reason
    left beside another status in a file is shown going, not saved unseen. The database refuses the rest
    (the return_reason_only_when_not_applicable constraint).
    """
    if keeps_reason(answer["implementation_status"]) or not answer["not_applicable_reason"]:
        return answer
    return answer_with(answer, {"not_applicable_reason": ""})


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


# The evidence-of-change rule ----------------------------------------------------------------------
#
# A status may only rise above the last signed-off one on new evidence: at least one reference dated
# inside the round's window, and an evidence summary that says something new. "Changed" is
# assessments.changes' rule (spacing and line endings are not a change). The form, the spreadsheet
# upload and submission all ask evidence_of_change_problems, so the three can never disagree.

NEEDS_EVIDENCE_OF_CHANGE = "Needs evidence of change"


@dataclass(frozen=True, slots=True)
class EvidenceWindow:
    """The dates a reference must fall between (both included) to count as new evidence."""

    starts_on: datetime.date
    ends_on: datetime.date

    def holds(self, day: datetime.date | None) -> bool:
        """Whether a reference dated `day` counts as new evidence."""
        return day is not None and self.starts_on <= day <= self.ends_on


def evidence_window(
    *,
    opens_on: datetime.date,
    set_start: datetime.date | None,
    last_sign_off: datetime.date | None,
    today: datetime.date,
) -> EvidenceWindow:
    """From the round's window start (its opening unless the round sets one), or the force's last
    sign-off if that is later, to today: evidence from before the last sign-off was already judged."""
    start = set_start or opens_on
    if last_sign_off is not None and last_sign_off > start:
        start = last_sign_off
    return EvidenceWindow(starts_on=start, ends_on=today)


def evidence_of_change_problems(
    current: Answer, previous: Answer | None, *, window: EvidenceWindow
) -> dict[str, str]:
    """What is missing for a status rise, by answer field; empty when the status did not rise or the
    evidence is there. Nothing signed off before (`previous` is None) means nothing to rise above."""
    if previous is None:
        return {}
    before = previous["implementation_status"]
    if status_change(before, current["implementation_status"]) != "up":
        return {}
    was = implementation_label(before)
    problems: dict[str, str] = {}
    if not any(window.holds(date_from(ref.get("applies_on"))) for ref in current["evidence_references"]):
        problems["evidence_references"] = (
            f"Add an evidence reference dated from {long_date(window.starts_on)} to "
            f"{long_date(window.ends_on)}: the status has gone up since the last sign-off ({was}), "
            "and a rise needs evidence from this round"
        )
    if "evidence_summary" not in answer_change(current, previous).fields:
        problems["evidence_summary"] = (
            "Update the evidence summary to say what has changed since the last sign-off "
            f"({was}): a higher status needs new evidence"
        )
    return problems


def reference_date_problem(
    applies_on: datetime.date, *, today: datetime.date, force_established_on: datetime.date | None
) -> str | None:
    """A reference dated in the future, or before the force existed, cannot be evidence of anything.

    The message reads after the field's label ("Date it applies to ..."); None when the date is fine.
    """
    if applies_on > today:
        return f"must be today or in the past (today is {long_date(today)})"
    if force_established_on is not None and applies_on < force_established_on:
        return f"must be on or after {long_date(force_established_on)}, when the force was established"
    return None


# What the reviewer sees of the evidence ------------------------------------------------------------
#
# One reading of each activity's evidence for the coordinator's review page and the force report, so
# the two say the same: a rise backed by new evidence (and its date), a rise without it (possible only
# in a warn-only round), evidence whose newest reference is old, and an answer carried forward as it was.

EVIDENCE_STALE_MONTHS = 12


@dataclass(frozen=True, slots=True)
class EvidenceNote:
    """One thing about an activity's evidence: its review filter group, and the words shown."""

    group: str
    text: str


def evidence_notes(
    current: Answer,
    previous: Answer | None,
    *,
    window: EvidenceWindow,
    carried_forward: bool,
    change: AnswerChange | None = None,
) -> tuple[EvidenceNote, ...]:
    """What the reviewer should know about an activity's evidence, in the order to read it.

    `change` is answer_change(current, previous) when the caller has already worked it out (the review
    page does, for its own columns): it is the same rule, so it is not computed twice per row."""
    notes: list[EvidenceNote] = []
    dates = [d for ref in current["evidence_references"] if (d := date_from(ref.get("applies_on")))]
    if previous is None:
        change = None
    elif change is None:
        change = answer_change(current, previous)
    if change is not None and change.status == "up":
        if evidence_of_change_problems(current, previous, window=window):
            notes.append(EvidenceNote("up_unchanged", "Status up, evidence unchanged"))
        else:
            newest = max(d for d in dates if window.holds(d))
            notes.append(EvidenceNote("up_new", f"Status up with new evidence dated {long_date(newest)}"))
    if dates and max(dates) < _months_before(window.ends_on, EVIDENCE_STALE_MONTHS):
        notes.append(EvidenceNote("old", f"Evidence older than {EVIDENCE_STALE_MONTHS} months"))
    if carried_forward and change is not None and change.status == "same" and not change.evidence_changed:
        notes.append(EvidenceNote("carried", "Carried forward unchanged"))
    return tuple(notes)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))
