"""One activity's reads: its return with neighbours for Previous and Next, its history, what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404

from assessments.models import ActivityReturn, Assessment, AssessmentEvent
from assessments.progress import complete_q
from assessments.status import WorkflowStatus
from ops.prepared_reads import PreparedRead


@dataclass(frozen=True)
class ActivityPage:
    """One activity's return, with its neighbours for Previous and Next links.

    The neighbours' query also gives the return's id and whether it was reopened for changes
    (`return_state`), which is all that deciding who may edit it and saving it need. The whole
    return, with its activity, area and last editor, is read when first asked for
    (`activity_return`): a save that succeeds redirects without showing it, and the save itself
    reads the return again under a lock.
    """

    assessment: Assessment
    return_state: ActivityReturn
    previous_code: str | None
    next_code: str | None
    position: int
    total: int

    @cached_property
    def activity_return(self) -> ActivityReturn:
        """The return in full, with its activity, area and last editor (one query, on first use)."""
        activity_return = ActivityReturn.objects.select_related("activity__area", "updated_by").get(
            pk=self.return_state.pk
        )
        activity_return.assessment = self.assessment
        return activity_return

    @cached_property
    def change_request(self) -> AssessmentEvent | None:
        """Who sent this activity back for changes, and when: the latest return of this version.

        Only activities reopened with a comment have one (one query, on first use). Comments are
        written only by workflow.return_for_changes, which records the coordinator in that event.
        """
        current = self.activity_return
        if not (current.reopened_for_changes and current.coordinator_comment):
            return None
        return (
            AssessmentEvent.objects.filter(
                assessment=self.assessment,
                version=self.assessment.version,
                to_status=WorkflowStatus.RETURNED,
            )
            .order_by("-created_at", "-pk")
            .first()
        )


# Every activity page, and every save, starts with this read; compiled once (ops.prepared_reads),
# because building its SQL took longer than running it.
_INDEX = PreparedRead(
    lambda assessment_id: (
        ActivityReturn.objects.filter(assessment_id=assessment_id)
        .order_by("activity__area__number", "activity__order")
        .values_list("activity__code", "pk", "reopened_for_changes")
    ),
    "assessment_id",
)


def activity_page(*, assessment: Assessment, code: str) -> ActivityPage:
    """The return for one activity code in this assessment (404 if the code is not in it)."""
    index_rows = _INDEX.rows(assessment_id=assessment.pk)
    codes = [row[0] for row in index_rows]
    if code not in codes:
        raise Http404
    index = codes.index(code)
    _, pk, reopened_for_changes = index_rows[index]
    # A return with only these two fields loaded, as QuerySet.only() makes: any other field is read
    # from the database when used, never assumed.
    return_state = ActivityReturn.from_db(
        ActivityReturn.objects.db, ["id", "reopened_for_changes"], [pk, reopened_for_changes]
    )
    return_state.assessment = assessment
    return ActivityPage(
        assessment=assessment,
        return_state=return_state,
        previous_code=codes[index - 1] if index > 0 else None,
        next_code=codes[index + 1] if index + 1 < len(codes) else None,
        position=index + 1,
        total=len(codes),
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One saved version of a return: who entered it and when, and who accepted it, if anyone has."""

    version: Any  # a django-simple-history record of the return
    entered_by: str
    entered_at: Any
    accepted_by: str  # "" until a coordinator signs off a version that includes it
    accepted_at: Any


def return_history(*, activity_return: ActivityReturn) -> list[HistoryEntry]:
    """Every saved version of a return, newest first: who entered it, when, and who accepted it.

    A version is accepted by the first sign-off of the assessment after it was saved: that sign-off's
    snapshot holds it (or a later change made before the sign-off). Two queries, however long the history.
    """
    versions = list(
        activity_return.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    sign_offs = list(
        AssessmentEvent.objects.filter(
            assessment_id=activity_return.assessment_id, to_status=WorkflowStatus.SIGNED_OFF
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "actor_name")
    )
    entries = []
    for version in versions:
        accepted = next((event for event in sign_offs if event[0] >= version.history_date), None)
        user = version.history_user
        entries.append(
            HistoryEntry(
                version=version,
                entered_by=(user.get_full_name() or user.email) if user else "The service",
                entered_at=version.history_date,
                accepted_by=accepted[1] if accepted else "",
                accepted_at=accepted[0] if accepted else None,
            )
        )
    return entries


def incomplete_returns(*, assessment: Assessment) -> list[ActivityReturn]:
    """Activities that stop the assessment being submitted: those not complete (assessments.progress)."""
    return list(
        ActivityReturn.objects.filter(~complete_q(), assessment=assessment)
        .select_related("activity")
        .order_by("activity__area__number", "activity__order")
    )
