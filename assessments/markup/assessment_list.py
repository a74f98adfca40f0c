"""The admin's assessment list, its rows rendered once in Python from plain values.

The admin renders a changelist one cell at a time (lookup_field, display_for_field, format_html and
a reverse() per link per row), which was most of the list's time (docs/performance.md). These functions
build the same markup from values_list rows, with addresses reversed once per page (ObjectUrls) and
each distinct name escaped once (admin_tables.Escaped). As in admin_tables, only the fixed markup here
is trusted: every value from the database is escaped first, addresses are escaped once per page and ids
are integers. tests/assessments/markup/test_assessment_list.py checks the markup and the escaping.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from assessments.markup.admin_tables import NO_VALUE, Escaped, joined
from assessments.status import WorkflowStatus, workflow_label


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
    local = timezone.localtime(submitted_at)
    return f"{local.day} {local:%b %Y}"


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


def assessment_list_row(
    row: AssessmentListRow,
    *,
    change_urls: ObjectUrls,
    review_urls: ObjectUrls,
    now: datetime.datetime,
    escaped: Escaped,
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
    escaped = Escaped()
    return joined(
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
