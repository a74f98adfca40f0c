"""The admin's repeated rows, rendered once in Python: the assessment list and the review comparison.

The admin renders a changelist one cell at a time (lookup_field, display_for_field, format_html and
a reverse() per link per row), and the review page rendered its 50 activity rows through the template
language; both were most of their pages' time (docs/performance.md). As markup.task_list does for the task
list, these functions build the same markup in Python. They fill fixed templates with str.format
rather than format_html, whose per-value checks cost more than the rows themselves: so every value
that comes from the database or a form is escaped here first (html.escape, which is what
django.utils.html.escape calls), addresses are escaped once per page and ids are integers. Only the
fixed markup in this module is trusted; tests/assessments/markup/test_admin_tables.py checks the escaping.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from assessments.dates import short_date
from assessments.status import WorkflowStatus, implementation_label, workflow_label

if TYPE_CHECKING:
    from assessments.selectors.review import ReviewReturn, ReviewRow

NO_VALUE = "–"


class ObjectUrls:
    """One admin address for many rows, reversed once: each row's id takes the placeholder's place.

    The placeholder is a number so that <int:…> patterns accept it. The first occurrence is the one
    in the path: anything after it (preserved filters in the query string) stays as it is.
    """

    PLACEHOLDER = 987654321

    def __init__(self, url: str) -> None:
        self._before, found, self._after = url.partition(str(self.PLACEHOLDER))
        if not found:
            raise ValueError(f"{url!r} does not contain the placeholder {self.PLACEHOLDER}")
        self._before_html, self._after_html = html.escape(self._before), html.escape(self._after)

    @classmethod
    def reverse(cls, viewname: str, *, current_app: str | None = None) -> ObjectUrls:
        """The address of `viewname` for any object id."""
        return cls(reverse(viewname, args=[cls.PLACEHOLDER], current_app=current_app))

    def __call__(self, pk: int) -> str:
        """The address for this id (always an integer, so nothing else can reach the address)."""
        return f"{self._before}{int(pk)}{self._after}"

    def html(self, pk: int) -> str:
        """The address escaped for an attribute: its fixed parts were escaped once; the id is a number."""
        return f"{self._before_html}{int(pk)}{self._after_html}"


# --- the assessment list ---------------------------------------------------------------------------

# The values each row needs; the list reads them with values_list, not model instances.
# `returned_at` is an annotation (selectors.review.with_last_return): the current version's last return.
LIST_FIELDS = (
    "pk",
    "force__name",
    "round__name",
    "status",
    "submitted_at",
    "version",
    "returned_at",
    "force__region_id",
)


@dataclass(frozen=True, slots=True)
class AssessmentListRow:
    """One assessment in the admin list."""

    pk: int
    force_name: str
    round_name: str
    status: str
    submitted_at: datetime.datetime | None
    version: int = 1
    returned_at: datetime.datetime | None = None
    region_id: int = 0


def force_opens_review(status: str, region_id: int, *, review_region_ids: frozenset[int]) -> bool:
    """Whether the list's force name opens the review rather than the record: a decision is due and
    this user (a coordinator of the force's region) is the one to make it."""
    return status == WorkflowStatus.SUBMITTED and region_id in review_region_ids


def list_status(status: str, *, version: int, returned_at: datetime.datetime | None) -> str:
    """The status column: a submission that follows a return reads as a resubmission, with its version
    and the day it was returned, so the coordinator knows to look at what they asked for first."""
    if status == WorkflowStatus.SUBMITTED and returned_at is not None:
        return f"Resubmitted: version {version}, returned on {submitted_on(returned_at)}"
    return workflow_label(status)


def submitted_on(submitted_at: datetime.datetime | None) -> str:
    """Day, short month and year of submission in UK time (TIME_ZONE), or a dash.

    Times are stored in UTC: a submission at 23:30 on a summer evening is already the next day in UTC.
    """
    if submitted_at is None:
        return NO_VALUE
    return short_date(submitted_at)


def days_waiting(status: str, submitted_at: datetime.datetime | None, now: datetime.datetime) -> str:
    """Whole days a submitted assessment has waited for a decision, or a dash."""
    if status != WorkflowStatus.SUBMITTED or submitted_at is None:
        return NO_VALUE
    return str((now - submitted_at).days)


def review_action(status: str) -> str:
    """The list's link text: Review while a decision is due, View otherwise."""
    return "Review" if status == WorkflowStatus.SUBMITTED else "View"


def assessment_list_rows(queryset: QuerySet[Any]) -> list[AssessmentListRow]:
    """The page of assessments as rows, in one query."""
    return [AssessmentListRow(*values) for values in queryset.values_list(*LIST_FIELDS)]


# The columns assessment_list_row fills, in order: AssessmentAdmin.list_display names the same ones.
LIST_COLUMNS = (
    "force",
    "round",
    "status_tag",
    "submitted_on",
    "days_waiting",
    "review_link",
)


class _Escaped(dict[str, str]):
    """Text escaped for HTML, each distinct value once: a page repeats a few force and round names,
    statuses and dates, and escaping every cell afresh was a third of the list's rendering."""

    def __missing__(self, text: str) -> str:
        # What django.utils.html.escape does, as a plain str.
        self[text] = escaped = html.escape(str(text))
        return escaped


def assessment_list_row(
    row: AssessmentListRow,
    *,
    change_urls: ObjectUrls,
    review_urls: ObjectUrls,
    now: datetime.datetime,
    escaped: _Escaped,
    force_urls: ObjectUrls | None = None,
) -> str:
    """One assessment as the admin's table row: its force linked to its record, then the review link.

    The f-string is filled only with text from `escaped` and addresses from ObjectUrls.html: what
    format_html would do, once per distinct value instead of once per cell. `force_urls`, when given,
    is where the force name links instead of its record (the review, see force_opens_review).
    """
    force = escaped[row.force_name]
    first = force_urls or change_urls
    status = list_status(row.status, version=row.version, returned_at=row.returned_at)
    return (
        f'<tr><th class="field-force nowrap"><a href="{first.html(row.pk)}">{force}</a></th>'
        f'<td class="field-round nowrap">{escaped[row.round_name]}</td>'
        f'<td class="field-status_tag">{escaped[status]}</td>'
        f'<td class="field-submitted_on">{escaped[submitted_on(row.submitted_at)]}</td>'
        f'<td class="field-days_waiting">{escaped[days_waiting(row.status, row.submitted_at, now)]}</td>'
        f'<td class="field-review_link"><a href="{review_urls.html(row.pk)}">'
        f'{escaped[review_action(row.status)]}<span class="visually-hidden"> {force}</span></a></td></tr>\n'
    )


def assessment_list_html(
    rows: Iterable[AssessmentListRow],
    *,
    change_urls: ObjectUrls,
    review_urls: ObjectUrls,
    now: datetime.datetime,
    force_review_urls: ObjectUrls | None = None,
    review_region_ids: frozenset[int] = frozenset(),
) -> SafeString:
    """The list's table body; a submitted assessment the user may decide on links its force to the
    review (`force_review_urls`, with the list's filters kept as Django keeps them for the record)."""
    escaped = _Escaped()
    return _joined(
        assessment_list_row(
            row,
            change_urls=change_urls,
            review_urls=review_urls,
            now=now,
            escaped=escaped,
            force_urls=force_review_urls
            if force_review_urls is not None
            and force_opens_review(row.status, row.region_id, review_region_ids=review_region_ids)
            else None,
        )
        for row in rows
    )


# --- the review page's comparison ------------------------------------------------------------------

# The change in words (the cell's colour only repeats it), and the notes under it.
CHANGE_TEXT = {
    "up": "Status up",
    "down": "Status down",
    "new": "New",
    "other": "Status changed",
    "same": "Status unchanged",
}
EVIDENCE_CHANGED = "<br>Evidence changed"
CARRIED_FORWARD_UNCHANGED = "<br>Carried forward unchanged"
CHANGES_REQUESTED = "<br>Changes requested"


def _text(value: Any) -> str:
    """Any value as escaped HTML text (django.utils.html.escape, as a plain str)."""
    return html.escape(str(value))


# Implementation statuses in words, escaped once.
IMPLEMENTATION_LABELS_HTML = _Escaped()


def _lines(value: Any) -> str:
    """Escaped text with its line breaks as <br> (the linebreaksbr filter)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text).replace("\n", "<br>")


def evidence_reference(reference: Mapping[str, Any]) -> str:
    """One evidence reference, escaped: its title, where it is and when it applies."""
    location = reference.get("location")
    applies_on = reference.get("applies_on")
    return "".join(
        (
            '<p class="ref">',
            _text(reference.get("title", "")),
            f" – {_text(location)}" if location else "",
            f" ({_text(short_date(applies_on))})" if applies_on else "",
            "</p>",
        )
    )


def current_answer(activity_return: ReviewReturn) -> str:
    """This round's reason, evidence, references and next steps under the status, escaped."""
    parts = []
    if activity_return.not_applicable_reason:
        parts.append(f"<p>Reason: {_text(activity_return.not_applicable_reason)}</p>")
    if activity_return.evidence_summary:
        parts.append(f"<p>Evidence: {_lines(activity_return.evidence_summary)}</p>")
    parts.extend(evidence_reference(reference) for reference in activity_return.evidence_references or ())
    if activity_return.next_steps:
        owner = f" Owner: {_text(activity_return.action_owner)}." if activity_return.action_owner else ""
        by = f" By {_text(short_date(activity_return.target_date))}." if activity_return.target_date else ""
        parts.append(f"<p>Next steps: {_lines(activity_return.next_steps)}{owner}{by}</p>")
    return "".join(parts)


def previous_answer(previous: Mapping[str, Any] | None) -> str:
    """The last signed-off status and evidence, escaped, or a dash if there is none."""
    if previous is None:
        return NO_VALUE
    evidence = previous.get("evidence_summary")
    label = IMPLEMENTATION_LABELS_HTML[implementation_label(previous.get("implementation_status"))]
    return (
        f"<strong>{label}</strong><p>Evidence: {_lines(evidence)}</p>"
        if evidence
        else f"<strong>{label}</strong>"
    )


def change_text(row: ReviewRow) -> str:
    """What changed since the last sign-off, in words."""
    parts = [CHANGE_TEXT.get(row.status_change, CHANGE_TEXT["same"])]
    if row.evidence_changed and row.previous:
        parts.append(EVIDENCE_CHANGED)
    if row.carried_forward_unchanged:
        parts.append(CARRIED_FORWARD_UNCHANGED)
    if row.activity_return.reopened_for_changes:
        parts.append(CHANGES_REQUESTED)
    return "".join(parts)


def returned_note(row: ReviewRow) -> str:
    """For an activity returned last time: what the coordinator asked, and what the SPOC changed since."""
    returned = row.returned
    if returned is None:
        return ""
    changed = ", ".join(_text(name) for name in returned.changed_names) or "Nothing"
    return (
        '<div class="returned"><p><strong>Returned last time.</strong> '
        f"You asked: {_lines(returned.request)}</p>"
        f"<p>Changed since the return: {changed}</p></div>"
    )


def looked_at_control(code: str, *, looked_at: bool) -> str:
    """The button that marks an activity as looked at (or clears the mark), inside the decision form."""
    if looked_at:
        return (
            '<p class="looked-at"><strong>Looked at</strong> '
            f'<button type="submit" name="looked_at" value="{code}:clear" class="button">Clear'
            f'<span class="visually-hidden"> looked at on {code}</span></button></p>'
        )
    return (
        f'<p class="looked-at"><button type="submit" name="looked_at" value="{code}" class="button">'
        f'Mark as looked at<span class="visually-hidden"> ({code})</span></button></p>'
    )


def review_cell(
    code: str,
    *,
    data: Mapping[str, Any],
    errors: Mapping[str, Iterable[Any]],
    looked_at: bool | None = None,
) -> str:
    """The coordinator's inputs for one activity, keeping what they sent if the form came back.

    `looked_at` is None when the page offers no looked-at marks, else whether this one is marked.
    """
    checked = " checked" if f"changes_{code}" in data else ""
    comment = _text(data.get(f"comment_{code}", "")) if data else ""
    comment_errors = errors.get(f"comment_{code}") if errors else None
    listed = "".join(f"<li>{_text(error)}</li>" for error in comment_errors) if comment_errors else ""
    error_list = f'<ul class="errorlist">{listed}</ul>' if listed else ""
    code = _text(code)
    mark = looked_at_control(code, looked_at=looked_at) if looked_at is not None else ""
    return (
        "<td>"
        f'<div><input type="checkbox" name="changes_{code}" id="id_changes_{code}"{checked}> '
        f'<label for="id_changes_{code}" class="vCheckboxLabel">Needs changes'
        f'<span class="visually-hidden"> ({code})</span></label></div>'
        f'<label for="id_comment_{code}">Comment<span class="visually-hidden"> on {code}</span></label>'
        f"{error_list}"
        f'<textarea name="comment_{code}" id="id_comment_{code}" rows="2" maxlength="2000">'
        f"{comment}</textarea>"
        f"{mark}"
        "</td>"
    )


def review_row(
    row: ReviewRow,
    *,
    data: Mapping[str, Any] | None,
    errors: Mapping[str, Iterable[Any]],
    looked_at: bool = False,
) -> str:
    """One activity: this round's answer, the last signed-off answer, the change and (if deciding) inputs.

    The markup is in f-strings, filled only with values escaped by _text and _lines (or this
    module's own labels): 50 rows of several user texts each made format_html's per-value
    machinery most of the page's rendering. The row's id is the activity's code, for the summary's
    links; `looked_at` offers the looked-at button in the coordinator's cell.
    """
    activity_return = row.activity_return
    label = IMPLEMENTATION_LABELS_HTML[implementation_label(activity_return.implementation_status)]
    change = row.status_change if row.status_change in CHANGE_TEXT else "other"
    code, title = _text(activity_return.code), _text(activity_return.title)
    review = (
        review_cell(
            activity_return.code, data=data, errors=errors, looked_at=row.looked_at if looked_at else None
        )
        if data is not None
        else ""
    )
    return (
        f'<tr id="activity-{code}">'
        f'<th scope="row"><span class="code">{code}</span> {title}</th>'
        f"<td><strong>{label}</strong>{current_answer(activity_return)}</td>"
        f"<td>{previous_answer(row.previous)}</td>"
        f'<td class="change change-{change}">{change_text(row)}{returned_note(row)}</td>'
        f"{review}"
        "</tr>\n"
    )


def review_rows_html(
    rows: Iterable[ReviewRow],
    *,
    data: Mapping[str, Any] | None,
    errors: Mapping[str, Iterable[Any]] | None = None,
    looked_at: bool = False,
) -> SafeString:
    """The comparison table's body rows; `data` (the form's data) is None when the user cannot decide.

    Every value from the database or the form passes through _text or _lines (escaping as the
    template did); the rest is this module's fixed markup.
    """
    return _joined(review_row(row, data=data, errors=errors or {}, looked_at=looked_at) for row in rows)


def _joined(fragments: Iterable[str]) -> SafeString:
    """Concatenate fragments built from fixed markup and escaped values."""
    return mark_safe("".join(fragments))  # noqa: S308 - every value in them is escaped, see above
