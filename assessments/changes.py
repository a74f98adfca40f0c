"""What changed in an activity's answer since the force's last sign-off: one rule for every page.

The coordinator's review page (selectors.review) and the force report's change summary
(reports.data.force) both ask `answer_change` and show what it says. Which sign-off each compares
with is the page's own question; what counts as a change is answered only here. Nothing here reads
the database or renders anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from assessments.answers import ANSWER_FIELDS, Answer, EvidenceReference, empty_answer
from assessments.status import IMPLEMENTATION_RANK

StatusChange = Literal["up", "down", "same", "new", "other"]

EVIDENCE_FIELDS = frozenset({"evidence_summary", "evidence_references"})


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """How an answer differs from the last signed-off one.

    `status` is "up" or "down" the implementation scale, "same", "new" (nothing was signed off for
    this activity before) or "other" (a move to or from "Not applicable" or an unanswered status,
    which is neither better nor worse). `fields` names the answer fields that differ, in the order of
    answers.ANSWER_FIELDS; with nothing signed off before, the fields that hold anything.
    """

    status: StatusChange
    fields: tuple[str, ...]

    @property
    def evidence_changed(self) -> bool:
        """The evidence summary or the evidence references differ."""
        return not EVIDENCE_FIELDS.isdisjoint(self.fields)


def status_change(before: str, now: str) -> StatusChange:
    """Whether an implementation status went up or down the scale, stayed, or moved off it."""
    if before == now:
        return "same"
    if before in IMPLEMENTATION_RANK and now in IMPLEMENTATION_RANK:
        return "up" if IMPLEMENTATION_RANK[now] > IMPLEMENTATION_RANK[before] else "down"
    return "other"


def answer_change(current: Answer, previous: Answer | None) -> AnswerChange:
    """What changed between the last signed-off answer (`previous`, None if there is none) and `current`.

    The rule, for the review page and the report alike:

    - Text fields (reason, evidence summary, next steps, owner) differ when their words differ: a
      change only in spacing or line endings is not a change (a browser sends new lines as CRLF, a
      spreadsheet as LF, and the same evidence must not read as new).
    - Evidence references differ when a reference was added, removed or edited; each is compared by
      its title, location and date, so their order and a missing versus an empty field do not count.
      (The report once counted only added references, and the review page counted any reordering:
      a removed reference is changed evidence, a reordered list is not.)
    - The status and the target date differ when their values differ.
    """
    before = previous if previous is not None else empty_answer()
    fields = tuple(name for name in ANSWER_FIELDS if _differs(name, before, current))
    if previous is None:
        return AnswerChange(status="new", fields=fields)
    return AnswerChange(
        status=status_change(previous["implementation_status"], current["implementation_status"]),
        fields=fields,
    )


def _differs(name: str, before: Answer, now: Answer) -> bool:
    old, new = before.get(name), now.get(name)
    if old == new:
        # Equal values never differ under the rules below; most answers are carried forward unchanged,
        # so this spares the review page splitting 50 answers' texts into words.
        return False
    if name == "evidence_references":
        return _references(before["evidence_references"]) != _references(now["evidence_references"])
    if isinstance(old, str) and isinstance(new, str):
        return old.split() != new.split()
    return old != new


def _references(references: list[EvidenceReference]) -> list[tuple[str, str, str]]:
    return sorted(
        (
            " ".join(str(reference.get("title") or "").split()),
            " ".join(str(reference.get("location") or "").split()),
            str(reference.get("applies_on") or "").strip(),
        )
        for reference in references
    )


def evidence_change_note(current: Answer, previous: Answer | None) -> str:
    """What changed in the evidence, in a few words ("Evidence summary updated; 1 reference added").

    The force report lists changed evidence by this note rather than repeating the evidence itself,
    which it shows once, in the activity's own section. Words compare as in answer_change (spacing is
    not a change) and references by title, location and date, so an edited reference reads as one
    removed and one added. "" when the evidence is the same.
    """
    before = previous if previous is not None else empty_answer()
    parts = []
    old_summary, new_summary = before["evidence_summary"].split(), current["evidence_summary"].split()
    if old_summary != new_summary:
        if not old_summary:
            parts.append("evidence summary added")
        elif not new_summary:
            parts.append("evidence summary removed")
        else:
            parts.append("evidence summary updated")
    old_refs = Counter(_references(before["evidence_references"]))
    new_refs = Counter(_references(current["evidence_references"]))
    added, removed = sum((new_refs - old_refs).values()), sum((old_refs - new_refs).values())
    if added:
        parts.append(f"{added} reference{'' if added == 1 else 's'} added")
    if removed:
        parts.append(f"{removed} reference{'' if removed == 1 else 's'} removed")
    note = "; ".join(parts)
    return note[:1].upper() + note[1:]
