"""Who may see what. Every view fetches through these helpers, so anything out of scope is a 404.

The checks that depend only on a user's memberships (`access_for`, `can_use_admin` and the like) live in
accounts/access.py, so that the accounts and actionplan apps can ask them without importing assessments.
They are re-exported here so that every caller in this app keeps asking one module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import NO_ACCESS as NO_ACCESS
from accounts.access import Access as Access
from accounts.access import access_for as access_for
from accounts.access import can_edit_reference_data as can_edit_reference_data
from accounts.access import can_reopen as can_reopen
from accounts.access import can_see_national_overview as can_see_national_overview
from accounts.access import can_use_admin as can_use_admin
from assessments.models import (
    ActivityReturn,
    ActivityReturnHistory,
    Assessment,
    AssessmentEvent,
    Force,
    Region,
)
from assessments.status import EDITABLE_STATUSES, WorkflowStatus


def _any_of(**scopes: frozenset[int]) -> Q:
    """Rows matching any of the scopes (lookup=ids) that has ids; none at all when every scope is empty.

    A user usually holds one kind of role, so one scope is empty: an empty `IN ()` would have Django
    build and then discard that branch of the query on every page (a third of fetching the review
    page's assessment), for the same rows.
    """
    condition = Q()
    for lookup, ids in scopes.items():
        if ids:
            condition |= Q(**{lookup: ids})
    # pk__in=[] matches nothing, as the empty scopes did.
    return condition if condition else Q(pk__in=[])


def visible_forces(user: Any) -> QuerySet[Force]:
    """Forces the user may see: their own, their region's, or all for national roles."""
    access = access_for(user)
    forces = Force.objects.select_related("region")
    if access.nationwide:
        return forces.all()
    return forces.filter(_any_of(pk__in=access.force_ids, region_id__in=access.coordinator_region_ids))


def visible_regions(user: Any) -> QuerySet[Region]:
    """Regions whose overview the user may see: coordinators their own; national staff all."""
    access = access_for(user)
    if access.nationwide:
        return Region.objects.all()
    return Region.objects.filter(pk__in=access.coordinator_region_ids)


def force_for_user_or_404(user: Any, code: str) -> Force:
    """The force with this code if the user may see it; otherwise 404, exactly as if it did not exist."""
    return get_object_or_404(visible_forces(user), code=code)


def region_for_user_or_404(user: Any, slug: str) -> Region:
    """The region with this slug if the user may see its overview; otherwise 404."""
    return get_object_or_404(visible_regions(user), slug=slug)


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """Assessments of the forces the user may see, with force, region and round fetched."""
    access = access_for(user)
    assessments = Assessment.objects.select_related("force__region", "round__plan")
    if access.nationwide:
        return assessments.all()
    return assessments.filter(
        _any_of(force_id__in=access.force_ids, force__region_id__in=access.coordinator_region_ids)
    )


def assessment_for_user_or_404(user: Any, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; otherwise 404, as if it did not exist."""
    return get_object_or_404(visible_assessments(user), pk=assessment_id)


def is_spoc_for(user: Any, assessment: Assessment) -> bool:
    """True when the user is a SPOC of the assessment's force."""
    return assessment.force_id in access_for(user).spoc_force_ids


def is_spoc_of_force(user: Any, force: Force) -> bool:
    """True when the user is a SPOC of this force: the one who closes its actions."""
    return force.pk in access_for(user).spoc_force_ids


def reports_first_for(user: Any, force: Force) -> bool:
    """True for a chief officer of the force who is not also its SPOC.

    A chief officer comes to a force's page for the progress reports, so those are the main button
    there; a SPOC (even one who is also chief officer) comes to answer, so the task list stays first.
    """
    access = access_for(user)
    return force.pk in access.chief_officer_force_ids and force.pk not in access.spoc_force_ids


def can_edit_assessment(user: Any, assessment: Assessment) -> bool:
    """Only the force's SPOC edits, and only while the assessment is a draft or returned."""
    return is_spoc_for(user, assessment) and assessment.status in EDITABLE_STATUSES


def can_edit_return(user: Any, activity_return: ActivityReturn) -> bool:
    """A returned assessment opens only the activities the coordinator marked for changes."""
    assessment = activity_return.assessment
    if not can_edit_assessment(user, assessment):
        return False
    return assessment.status == WorkflowStatus.DRAFT or activity_return.reopened_for_changes


def can_submit(user: Any, assessment: Assessment) -> bool:
    """Only the force's SPOC submits, from draft or returned."""
    return can_edit_assessment(user, assessment)


def can_review(user: Any, assessment: Assessment) -> bool:
    """Only a coordinator of the force's region comments on, returns and signs off its assessment."""
    return assessment.force.region_id in access_for(user).coordinator_region_ids


def reviewable_assessments(user: Any) -> QuerySet[Assessment]:
    """Assessments the user may return or sign off once submitted: those of their coordinator regions.

    The queryset form of can_review, for counts and lists of what waits for this person's decision.
    """
    return Assessment.objects.filter(force__region_id__in=access_for(user).coordinator_region_ids)


def reviewable_region_ids(user: Any) -> frozenset[int]:
    """The regions whose assessments the user may decide on, for pages that offer a "Review" link."""
    return frozenset(access_for(user).coordinator_region_ids)


def can_see_pipeline(user: Any) -> bool:
    """The pipeline and turnaround page: coordinators (their regions) and national staff (all)."""
    access = access_for(user)
    return access.nationwide or bool(access.coordinator_region_ids)


# Why a coordinator who may review an assessment still may not decide on it (separation of duties).
MEMBER_OF_FORCE = "You hold a role in this force, so a coordinator from outside it must review it."
OWN_WORK = "You submitted or edited this version, so another coordinator must review it."


class EventFacts(Protocol):
    """What decision_conflict reads of an event: an AssessmentEvent, or the review page's ReviewEvent."""

    @property
    def version(self) -> int: ...
    @property
    def actor_id(self) -> int: ...
    @property
    def to_status(self) -> str: ...
    @property
    def created_at(self) -> datetime.datetime: ...


def decision_conflict(
    user: Any, assessment: Assessment, *, events: Iterable[EventFacts] | None = None
) -> str | None:
    """Why this user may not return or sign off this version, or None when nothing stands in the way.

    Nobody decides on their own work: not someone who holds any role in the force (they answer to it),
    nor anyone who submitted this version or saved an answer in it. A version begins when the
    assessment is opened (version 1) or reopened (the reopen event, which carries the new version);
    an edit is a history row of a return saved by this user as its editor (updated_by), so a
    coordinator's own earlier return for changes, which writes history but not updated_by, is not one.

    `events` are the assessment's events when the caller has read them already (the review page shows
    them all), so they are not read again; otherwise this version's are read. Then one query asks
    whether the user edited a return in the version: two queries at most, whatever the number of
    returns or events. (One query with both questions as EXISTS subqueries cost the review page more
    time building the SQL than the two small queries take.)
    """
    if assessment.force_id in access_for(user).force_ids:
        return MEMBER_OF_FORCE
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    if events is None:
        events = AssessmentEvent.objects.filter(assessment_id=assessment.pk, version=assessment.version).only(
            "version", "actor_id", "to_status", "created_at"
        )
    this_version = [event for event in events if event.version == assessment.version]
    submitted = any(
        event.actor_id == user_id and event.to_status == WorkflowStatus.SUBMITTED for event in this_version
    )
    edits = ActivityReturnHistory.objects.filter(
        assessment_id=assessment.pk, history_user_id=user_id, updated_by_id=user_id
    )
    if assessment.version > 1:
        # Edits count from the moment the version began, its (latest) reopen; without one, none count.
        reopened = [event.created_at for event in this_version if event.to_status == WorkflowStatus.DRAFT]
        edits = edits.filter(history_date__gte=max(reopened)) if reopened else edits.none()
    # Asked even when the submission already answers, so the page's query count does not vary.
    edited = edits.exists()
    if submitted or edited:
        return OWN_WORK
    return None


def may_decide(user: Any, assessment: Assessment) -> bool:
    """Whether the user may return or sign off this version: a reviewer with no conflict of duties."""
    return can_review(user, assessment) and decision_conflict(user, assessment) is None
