"""The task list's and check-your-answers page's activity rows, rendered once in Python.

Both pages list every activity in the plan (50 rows). Rendering each row through the template
language (a {% url %}, filters, {% with %} and {% if %} nodes per row) was most of the time the pages
spent in their own code, so the views ask this module for each area's rows as HTML instead, as
markup.heat_map does for the heat map. The markup is the GOV.UK markup the templates
had. format_html escapes every value it is given, so user text (coordinator comments, answers, action
owners) is escaped exactly as the template escaped it; only the fixed markup here is trusted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from assessments.dates import long_date
from assessments.selectors import AreaHeading, TaskRow, TaskSection
from assessments.status import (
    NOT_ANSWERED,
    ImplementationStatus,
    TaskStatus,
    implementation_label,
    task_label,
)

TASK_TAG_CLASSES = {
    TaskStatus.NOT_STARTED: "govuk-tag--grey",
    TaskStatus.IN_PROGRESS: "govuk-tag--light-blue",
    TaskStatus.COMPLETED: "",
    TaskStatus.CARRIED_FORWARD: "govuk-tag--yellow",
    TaskStatus.CHANGES_REQUESTED: "govuk-tag--red",
    TaskStatus.NEEDS_EVIDENCE_OF_CHANGE: "govuk-tag--orange",
}

# Each status's tag, made once: the task list shows "Completed" as plain text, GOV.UK's pattern.
TASK_TAGS: dict[str, SafeString] = {
    status: format_html(
        '<strong class="govuk-tag {}">{}</strong>', TASK_TAG_CLASSES[status], task_label(status)
    )
    for status in TaskStatus
}
TASK_LIST_STATUS: dict[str, SafeString] = {**TASK_TAGS, TaskStatus.COMPLETED: SafeString("Completed")}
# Check your answers puts the tag after the answer's label, and none once an activity is complete.
ANSWER_TAGS: dict[str, SafeString] = {
    **{status: format_html(" {}", tag) for status, tag in TASK_TAGS.items()},
    TaskStatus.COMPLETED: SafeString(""),
}

# The labels (assessments.status.implementation_label) as HTML, escaped once here rather than once per row.
ANSWER_LABELS: dict[str, SafeString] = {
    value: escape(implementation_label(value)) for value in ImplementationStatus.values
}
NOT_ANSWERED_HTML = escape(NOT_ANSWERED)
CHANGE, VIEW = SafeString("Change"), SafeString("View")

# Characters of each answer the check-your-answers page shows before "…" (as truncatechars did).
EVIDENCE_SHOWN = 400
NEXT_STEPS_SHOWN = 300


@dataclass(frozen=True)
class RenderedSection:
    """One process area's heading and its activity rows as HTML."""

    area: AreaHeading
    rows_html: SafeString


class ActivityUrls:
    """The addresses of one assessment's activity pages, reversed once instead of once per row.

    Activity codes are two capitals and two digits (a database constraint), so quoting never
    changes them; it is there so an address can never carry anything but the code.
    """

    PLACEHOLDER = "__code__"

    def __init__(self, assessment_id: int) -> None:
        url = reverse(
            "assessments:activity", kwargs={"assessment_id": assessment_id, "code": self.PLACEHOLDER}
        )
        self._before, _, self._after = url.rpartition(self.PLACEHOLDER)

    def __call__(self, code: str) -> str:
        """The activity page for this code."""
        return f"{self._before}{quote(code, safe='')}{self._after}"

    def history(self, code: str) -> str:
        """The activity's history page (assessments:return_history): who entered it, who accepted it."""
        return f"{self(code)}history/"


def truncate(text: str, length: int) -> str:
    """What the truncatechars filter gives, without its character-by-character walk for short text.

    Truncator normalises to NFC and counts characters other than combining ones, so a normalised
    text no longer than `length` is returned whole. Most answers are that short, and walking every
    character of 50 answers took about 2 ms, a tenth of the check-your-answers page.
    """
    normalised = unicodedata.normalize("NFC", text)
    if len(normalised) <= length:
        return normalised
    return Truncator(normalised).chars(length)


# --- the task list ---------------------------------------------------------------------------------

TASK_ITEM = (
    '<li class="govuk-task-list__item govuk-task-list__item--with-link" id="{code}">'
    '<div class="govuk-task-list__name-and-hint">'
    '<a class="govuk-link govuk-task-list__link" href="{url}" aria-describedby="{code}-status">'
    "{code} {title}</a>"
    "{hint}</div>"
    '<div class="govuk-task-list__status" id="{code}-status">{status}</div>'
    "</li>\n"
)


def task_list_item(row: TaskRow, url: str) -> SafeString:
    """One activity on the task list: its link, the coordinator's comment if reopened, its status."""
    hint = SafeString("")
    if row.reopened_for_changes and row.coordinator_comment:
        hint = format_html(
            '<div class="govuk-task-list__hint">Coordinator: {}</div>', row.coordinator_comment
        )
    return format_html(
        TASK_ITEM,
        code=row.code,
        url=url,
        title=row.title,
        hint=hint,
        status=TASK_LIST_STATUS[row.task_status],
    )


def task_list_sections(sections: list[TaskSection], *, assessment_id: int) -> list[RenderedSection]:
    """Each area of the task list with its rows rendered."""
    urls = ActivityUrls(assessment_id)
    return [
        RenderedSection(
            area=section.area,
            rows_html=_joined(task_list_item(row, urls(row.code)) for row in section.rows),
        )
        for section in sections
    ]


# --- check your answers ----------------------------------------------------------------------------

ANSWER_ROW = (
    '<div class="govuk-summary-list__row">'
    '<dt class="govuk-summary-list__key">{code} {title}</dt>'
    '<dd class="govuk-summary-list__value">'
    '<p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{label}{tag}</p>'
    "{details}</dd>"
    '<dd class="govuk-summary-list__actions">'
    '<a class="govuk-link" href="{url}">{action}<span class="govuk-visually-hidden"> {code}</span></a>'
    "</dd>"
    "</div>\n"
)


def answer_details(row: TaskRow) -> SafeString:
    """The reason, evidence and next steps under an answer, shortened as the page always has."""
    parts = []
    if row.implementation_status == ImplementationStatus.NOT_APPLICABLE:
        parts.append(format_html('<p class="govuk-body-s">Reason: {}</p>', row.not_applicable_reason))
    if row.evidence_summary:
        parts.append(
            format_html(
                '<p class="govuk-body-s">Evidence: {}</p>', truncate(row.evidence_summary, EVIDENCE_SHOWN)
            )
        )
    if row.next_steps:
        owner = SafeString("")
        if row.action_owner:
            by = format_html(", by {}", long_date(row.target_date)) if row.target_date else ""
            owner = format_html(" (owner: {}{})", row.action_owner, by)
        parts.append(
            format_html(
                '<p class="govuk-body-s">Next steps: {}{}</p>',
                truncate(row.next_steps, NEXT_STEPS_SHOWN),
                owner,
            )
        )
    return _joined(parts)


HISTORY_LINK = (
    '<p class="govuk-body-s"><a class="govuk-link" href="{url}">Who entered this and who accepted it'
    '<span class="govuk-visually-hidden"> ({code})</span></a></p>'
)


def answer_row(row: TaskRow, url: str, *, action: SafeString, history_url: str = "") -> SafeString:
    """One activity's answer as a GOV.UK summary list row, with its Change (or View) link.

    An answered activity also links to its history, so a reader can see who entered the status and
    who accepted it (issue 15).
    """
    details = answer_details(row)
    if history_url and row.implementation_status:
        details = _joined([details, format_html(HISTORY_LINK, url=history_url, code=row.code)])
    return format_html(
        ANSWER_ROW,
        code=row.code,
        title=row.title,
        label=ANSWER_LABELS.get(row.implementation_status, NOT_ANSWERED_HTML),
        tag=ANSWER_TAGS[row.task_status],
        details=details,
        url=url,
        action=action,
    )


def answer_sections(
    sections: list[TaskSection], *, assessment_id: int, can_change: bool
) -> list[RenderedSection]:
    """Each area of the check-your-answers page with its rows rendered; links say Change or View."""
    urls = ActivityUrls(assessment_id)
    action = CHANGE if can_change else VIEW
    return [
        RenderedSection(
            area=section.area,
            rows_html=_joined(
                answer_row(row, urls(row.code), action=action, history_url=urls.history(row.code))
                for row in section.rows
            ),
        )
        for section in sections
    ]


def activity_links(rows: list[TaskRow], *, assessment_id: int) -> SafeString:
    """A bullet-list item linking to each activity, for what is still missing before submitting."""
    urls = ActivityUrls(assessment_id)
    return format_html_join(
        "",
        '<li><a class="govuk-link" href="{}">{} {}</a></li>',
        ((urls(row.code), row.code, row.title) for row in rows),
    )


def _joined(fragments: Iterable[SafeString]) -> SafeString:
    """Concatenate fragments that format_html has already escaped."""
    return mark_safe("".join(fragments))  # noqa: S308 - every fragment comes from format_html
