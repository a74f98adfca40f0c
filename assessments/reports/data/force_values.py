"""The frozen values of the force progress report, and the report's download name.

These dataclasses are what the force report is made of: one row per activity answer, grouped into
process-area sections, plus the change summary, the actions falling due and the comments, all held
by ForceReport. They live apart from the code that fills them (answers.py and force.py) so that the
renderers and templates depend only on plain values, and report_file_name sits with them because
ForceReport.file_name and callers that only know a force, round and version both need it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.text import slugify

from assessments.answers import Answer, EvidenceReference
from assessments.basis import assessment_basis, basis_label
from assessments.reports.data.common import TOP_OF_SCALE, StatusCount, share

if TYPE_CHECKING:
    from assessments.reports.data.briefing import Briefing


@dataclass(frozen=True)
class ActivityRow:
    """One activity's answer as the report shows it (the answer's fields, with its status's label)."""

    code: str
    title: str
    status: str
    status_label: str
    not_applicable_reason: str
    evidence_summary: str
    evidence_references: tuple[EvidenceReference, ...]
    next_steps: str
    action_owner: str
    target_date: datetime.date | None
    carried_forward_unconfirmed: bool
    coordinator_comment: str

    @property
    def answer(self) -> Answer:
        """The answer this row shows, to compare with the last signed-off one."""
        return Answer(
            implementation_status=self.status,
            not_applicable_reason=self.not_applicable_reason,
            evidence_summary=self.evidence_summary,
            evidence_references=list(self.evidence_references),
            next_steps=self.next_steps,
            action_owner=self.action_owner,
            target_date=self.target_date,
        )


@dataclass(frozen=True)
class AreaSection:
    """A process area: its activities in plan order and its figures."""

    number: int
    prefix: str
    title: str
    rows: tuple[ActivityRow, ...]
    counts: tuple[StatusCount, ...]

    @property
    def total(self) -> int:
        """Activities in the area."""
        return len(self.rows)

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale."""
        return sum(1 for row in self.rows if row.status in TOP_OF_SCALE)

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded."""
        return share(self.implemented_or_embedded, self.total)

    @property
    def anchor(self) -> str:
        """The id of the area's section, for the contents list."""
        return f"area-{self.number}"


@dataclass(frozen=True)
class ActivityChange:
    """An activity whose status or evidence differs from the last signed-off round."""

    code: str
    title: str
    previous_label: str
    current_label: str
    evidence_note: str = ""  # what changed in the evidence (assessments.changes.evidence_change_note)


@dataclass(frozen=True)
class EvidenceQuality:
    """An activity whose evidence the reader should know about, and what to know, in words."""

    code: str
    title: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ChangeSummary:
    """What changed since the force's last signed-off round."""

    previous_round_name: str
    previous_version: int
    improved: tuple[ActivityChange, ...]
    regressed: tuple[ActivityChange, ...]
    unchanged: int
    other: int
    new_evidence: tuple[ActivityChange, ...]
    # What the evidence is like, activity by activity (rules.evidence_notes), as the review page says.
    evidence_quality: tuple[EvidenceQuality, ...] = ()


@dataclass(frozen=True)
class ActionDue:
    """An open action with a target date (assessments.actions.is_open_action): overdue, due soon or later."""

    code: str
    title: str
    status_label: str
    next_steps: str
    owner: str
    target_date: datetime.date
    days: int  # days overdue (for overdue actions) or days left (otherwise)


@dataclass(frozen=True)
class UndatedAction:
    """An open action with no target date: listed as such, so it is not silently left out."""

    code: str
    title: str
    status_label: str
    next_steps: str
    owner: str
    target_date: None = None


@dataclass(frozen=True)
class Comment:
    """A coordinator's (or national reviewer's) comment: on the whole assessment or on one activity."""

    heading: str
    author: str
    role: str
    made_on: datetime.date | None
    text: str


@dataclass(frozen=True)
class ForceReport:
    """Everything the force progress report shows, for one assessment version."""

    service_name: str
    force_code: str
    force_name: str
    region_name: str
    round_id: int
    round_name: str
    round_due_on: datetime.date
    version: int
    workflow_status: str
    workflow_label: str
    is_draft: bool
    signed_off_by: str
    signed_off_role: str
    signed_off_at: datetime.datetime | None
    submitted_by: str  # "" until the version has been submitted
    submitted_at: datetime.datetime | None
    declaration: str  # what the SPOC declared on submitting; "" until then
    snapshot_sha256: str
    as_of: datetime.date
    areas: tuple[AreaSection, ...]
    counts: tuple[StatusCount, ...]
    changes: ChangeSummary | None
    overdue: tuple[ActionDue, ...]
    due_soon: tuple[ActionDue, ...]
    due_later: tuple[ActionDue, ...]
    no_target_date: tuple[UndatedAction, ...]
    comments: tuple[Comment, ...]
    # Key messages, status table, trend and benchmark (reports.data.briefing); filled by force_report_data.
    briefing: Briefing | None = None

    @property
    def total(self) -> int:
        """Activities in the report."""
        return sum(area.total for area in self.areas)

    @property
    def implemented_or_embedded(self) -> int:
        """Activities at the top of the scale, overall."""
        return sum(area.implemented_or_embedded for area in self.areas)

    @property
    def share(self) -> int:
        """Whole percentage implemented or embedded, overall."""
        return share(self.implemented_or_embedded, self.total)

    @property
    def basis_label(self) -> str:
        """What the report's figures rest on: signed off, submitted, or a self-declared draft."""
        return basis_label(assessment_basis(self.workflow_status))

    @property
    def activity_codes(self) -> list[str]:
        """Every activity code in plan order."""
        return [row.code for area in self.areas for row in area.rows]

    @property
    def title(self) -> str:
        """The document title."""
        draft = " (draft)" if self.is_draft else ""
        return f"{self.force_name} progress report, {self.round_name}, version {self.version}{draft}"

    @property
    def file_name(self) -> str:
        """<force-code>-<round>-progress-v<version>.pdf, with -draft for drafts."""
        return report_file_name(
            force_code=self.force_code, round_name=self.round_name, version=self.version, draft=self.is_draft
        )


def report_file_name(*, force_code: str, round_name: str, version: int, draft: bool) -> str:
    """The download name of a force report."""
    suffix = "-draft" if draft else ""
    return f"{force_code}-{slugify(round_name)}-progress-v{version}{suffix}.pdf"
