"""Reads of notable practice: the library, one activity's published practice, a force's nominations.

What anyone may see of published practice is decided here once (`shown_force`): the round, the region,
and the force's name only when the force consented to be named. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from actionplan.models import Activity, ProcessArea
from assessments.models import Attribution, Force, NotablePractice, PracticeState
from ops.prepared_reads import PreparedRead

ANONYMOUS_FORCE = "A force in the region"


def shown_force(practice: NotablePractice) -> str:
    """The force's name if it consented to be named; otherwise no name at all."""
    if practice.attribution == Attribution.NAMED:
        return practice.assessment.force.name
    return ANONYMOUS_FORCE


def published() -> QuerySet[NotablePractice]:
    """Every published practice, with what its cards show, newest first."""
    return NotablePractice.objects.filter(state=PracticeState.PUBLISHED).select_related(
        "assessment__force__region", "assessment__round", "activity__area"
    )


def matching(practice: QuerySet[NotablePractice], text: str) -> QuerySet[NotablePractice]:
    """Practice whose shared text or activity matches `text`: PostgreSQL's full-text search on
    PostgreSQL (English stemming, so "trained" finds "training"), a plain contains search elsewhere."""
    text = " ".join(text.split())
    if not text:
        return practice
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("shared_text", "activity__title", config="english")
        return practice.annotate(search=vector).filter(
            search=SearchQuery(text, config="english", search_type="websearch")
        )
    return practice.filter(Q(shared_text__icontains=text) | Q(activity__title__icontains=text))


@dataclass(frozen=True)
class Library:
    """The library page: the published practice shown, and the choices for its filters."""

    practice: list[NotablePractice]
    areas: list[ProcessArea]
    activities: list[Activity]
    area: str
    activity: str
    text: str


def library(*, area: str = "", activity: str = "", text: str = "") -> Library:
    """Published practice filtered by process area number, activity code and words; three queries."""
    shown = published()
    if area.isdigit():
        shown = shown.filter(activity__area__number=int(area))
    else:
        area = ""
    if activity:
        shown = shown.filter(activity__code=activity)
    shown = matching(shown, text)
    activities = list(
        Activity.objects.filter(area__plan__is_current=True)
        .select_related("area")
        .order_by("area__number", "order")
    )
    areas = list({a.area_id: a.area for a in activities}.values())
    return Library(
        practice=list(shown.order_by("-published_at", "-pk")),
        areas=areas,
        activities=activities,
        area=area,
        activity=activity,
        text=text,
    )


# Which published practice an activity page shows, as ids: the SQL built once (ops.prepared_reads).
# Most activities have none yet, and building the cards' five-table query for nothing was a fifth of
# the activity page's time.
_PUBLISHED_IDS_FOR_ACTIVITY = PreparedRead(
    lambda activity_id, excluding_force_id: (
        NotablePractice.objects.filter(state=PracticeState.PUBLISHED, activity_id=activity_id)
        .exclude(assessment__force_id=excluding_force_id)
        .values_list("pk")
    ),
    "activity_id",
    "excluding_force_id",
)


def for_activity(*, activity_id: int, excluding_force_id: int | None = None) -> list[NotablePractice]:
    """Published practice for one activity, from forces other than `excluding_force_id`, newest first.

    One query when there is none (the usual case), two when there is some: the ids, then the cards.
    """
    ids = [
        pk
        for (pk,) in _PUBLISHED_IDS_FOR_ACTIVITY.rows(
            activity_id=activity_id, excluding_force_id=excluding_force_id or 0
        )
    ]
    if not ids:
        return []
    return list(published().filter(pk__in=ids).order_by("-published_at", "-pk"))


def counts_by_activity() -> dict[str, int]:
    """How many published practices each activity code has; one query."""
    rows = (
        NotablePractice.objects.filter(state=PracticeState.PUBLISHED)
        .values("activity__code")
        .annotate(total=Count("pk"))
    )
    return {row["activity__code"]: row["total"] for row in rows}


def force_nominations(*, force: Force) -> list[NotablePractice]:
    """Every nomination of the force's practice, live ones first; one query."""
    return list(
        NotablePractice.objects.filter(assessment__force_id=force.pk)
        .select_related("assessment__round", "activity", "nominated_by")
        .order_by("state", "-nominated_at", "-pk")
    )


def national_queue() -> tuple[list[NotablePractice], list[NotablePractice]]:
    """What national staff act on: consented practice waiting to be published, and what is published."""
    rows = list(
        NotablePractice.objects.filter(state__in=[PracticeState.CONSENTED, PracticeState.PUBLISHED])
        .select_related("assessment__force__region", "assessment__round", "activity")
        .order_by("-consented_at", "-pk")
    )
    return (
        [row for row in rows if row.state == PracticeState.CONSENTED],
        [row for row in rows if row.state == PracticeState.PUBLISHED],
    )
