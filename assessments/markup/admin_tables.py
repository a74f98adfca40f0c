"""The admin's repeated rows, rendered once in Python: the review page's comparison, and the escaping
the admin's tables share (the assessment list's rows are in assessment_list.py).

The review page rendered its 50 activity rows through the template language, and the admin renders a
changelist one cell at a time; both were most of their pages' time (docs/performance.md). As
markup.task_list does for the task list, these functions build the same markup in Python. They fill
fixed templates with f-strings rather than format_html, whose per-value checks cost more than the rows
themselves: so every value that comes from the database or a form is escaped here first (html.escape,
which is what django.utils.html.escape calls). Only the fixed markup in this module is trusted;
tests/assessments/markup/test_admin_tables.py checks the escaping.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

from assessments.dates import short_date, short_datetime
from assessments.status import WorkflowStatus, implementation_label

if TYPE_CHECKING:
    from assessments.selectors.review import ReviewEvent, ReviewReturn, ReviewRow

NO_VALUE = "–"


class Escaped(dict[str, str]):
    """Text escaped for HTML, each distinct value once: a page repeats a few force and round names,
    statuses and dates, and escaping every cell afresh was a third of the list's rendering."""

    def __missing__(self, text: str) -> str:
        # What django.utils.html.escape does, as a plain str.
        self[text] = escaped = html.escape(str(text))
        return escaped


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
IMPLEMENTATION_LABELS_HTML = Escaped()


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
    parts.extend(f"<br>{_text(note.text)}" for note in row.evidence_notes if note.group != "carried")
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
    return joined(review_row(row, data=data, errors=errors or {}, looked_at=looked_at) for row in rows)


# --- the review page's summary of groups and its history --------------------------------------------


def group_summary(
    group_counts: Iterable[tuple[str, str, int]], *, group: str | None, total: int
) -> SafeString:
    """The "What needs a look" list: each group with its count, linked when it has activities, the one
    shown marked as current, then the way back to every activity."""
    items = []
    for key, label, count in group_counts:
        text = f"{_text(label)}: {count}"
        if key == group:
            items.append(f'<li><strong aria-current="true">{text}</strong></li>')
        elif count:
            items.append(f'<li><a href="?show={_text(key)}#review-table">{text}</a></li>')
        else:
            items.append(f"<li>{_text(label)}: 0</li>")
    if group:
        items.append(f'<li><a href="?show=all#review-table">Show all {total} activities</a></li>')
    else:
        items.append(f'<li><strong aria-current="true">All {total} activities</strong></li>')
    return joined(items)


# Workflow statuses in words, as the event's get_from_status_display gives them.
WORKFLOW_LABELS = {status.value: status.label for status in WorkflowStatus}


def history_rows(events: Iterable[ReviewEvent]) -> SafeString:
    """The review page's history table body: every workflow event, oldest first, or a line saying none."""
    rows = [
        "<tr>"
        f"<td>{_text(short_datetime(event.created_at))}</td>"
        f"<td>{_text(event.actor_name)} ({_text(event.actor_role)})</td>"
        f"<td>{_text(WORKFLOW_LABELS.get(event.from_status, event.from_status))} → "
        f"{_text(WORKFLOW_LABELS.get(event.to_status, event.to_status))} (version {event.version})</td>"
        f"<td>{_lines(event.comment)}</td>"
        "</tr>"
        for event in events
    ]
    return joined(rows or ['<tr><td colspan="4">Nothing has happened to this assessment yet.</td></tr>'])


def joined(fragments: Iterable[str]) -> SafeString:
    """Concatenate fragments built from fixed markup and escaped values."""
    return mark_safe("".join(fragments))  # noqa: S308 - every value in them is escaped, see above
