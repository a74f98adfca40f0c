"""Reads for the report pages, scoped to the user through assessments.permissions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.dates import long_date
from assessments.models import Assessment, AssessmentSnapshot, Force, ReportPack, Round, StoredReport
from assessments.permissions import can_see_national_overview, visible_assessments, visible_regions
from assessments.reports.data import report_file_name
from assessments.reports.storage import StoredFile
from assessments.selectors.rounds import round_choice
from assessments.status import WorkflowStatus, workflow_label


@dataclass(frozen=True)
class ReportVersion:
    """One downloadable version of a force's report in a round."""

    version: int
    is_draft: bool
    label: str
    file_name: str
    # The stored PDF of a signed-off version, once the task worker has rendered it.
    stored: StoredFile | None = None


@dataclass(frozen=True)
class RoundReports:
    """A force's reports in one round: every signed-off version, and the current draft if there is one."""

    assessment: Assessment
    versions: tuple[ReportVersion, ...]


def force_reports(*, user: Any, force: Force) -> list[RoundReports]:
    """Every round's reports for a force the user may see, newest round first; two queries.

    Each signed-off version says whether its PDF is stored (and where), so the page can link it by a
    signed download address.
    """
    stored = StoredReport.objects.filter(
        assessment_id=OuterRef("assessment_id"), version=OuterRef("version")
    ).order_by("-template_version")
    assessments = (
        visible_assessments(user)
        .filter(force=force)
        .order_by("-round__opens_on", "-round_id")
        .prefetch_related(
            Prefetch(
                "snapshots",
                queryset=AssessmentSnapshot.objects.order_by("-version")
                .only("assessment_id", "version", "created_at")
                .annotate(
                    stored_name=Subquery(stored.values("pdf")[:1]),
                    stored_sha256=Subquery(stored.values("sha256")[:1]),
                ),
            )
        )
    )
    listing = []
    for assessment in assessments:
        versions = []
        if assessment.status != WorkflowStatus.SIGNED_OFF:
            state = workflow_label(assessment.status).lower()
            versions.append(
                ReportVersion(
                    version=assessment.version,
                    is_draft=True,
                    label=f"Version {assessment.version}: {state}, not signed off",
                    file_name=report_file_name(
                        force_code=force.code,
                        round_name=assessment.round.name,
                        version=assessment.version,
                        draft=True,
                    ),
                )
            )
        for snapshot in assessment.snapshots.all():
            versions.append(
                ReportVersion(
                    version=snapshot.version,
                    is_draft=False,
                    label=f"Version {snapshot.version}: signed off {long_date(snapshot.created_at)}",
                    file_name=report_file_name(
                        force_code=force.code,
                        round_name=assessment.round.name,
                        version=snapshot.version,
                        draft=False,
                    ),
                    stored=_stored_file(snapshot),
                )
            )
        listing.append(RoundReports(assessment=assessment, versions=tuple(versions)))
    return listing


def _stored_file(snapshot: AssessmentSnapshot) -> StoredFile | None:
    """From the snapshot's stored_name and stored_sha256 annotations (None until the worker renders it)."""
    name, sha256 = getattr(snapshot, "stored_name", None), getattr(snapshot, "stored_sha256", None)
    return StoredFile(name=name, sha256=sha256) if name and sha256 else None


def report_assessment_or_404(*, user: Any, force: Force, round_id: int) -> Assessment:
    """The force's assessment in the round, if the user may see it; 404 for a round that does not exist."""
    return get_object_or_404(visible_assessments(user), force=force, round_id=round_id)


def signed_off_snapshot_or_404(*, assessment: Assessment, version: int) -> AssessmentSnapshot:
    """The snapshot of a version that was signed off; 404 for a version that never was."""
    return get_object_or_404(AssessmentSnapshot, assessment=assessment, version=version)


def stored_report_file(*, assessment_id: int, version: int) -> StoredFile | None:
    """Where a signed-off version's newest PDF is stored, or None until the worker renders it; one query."""
    row = (
        StoredReport.objects.filter(assessment_id=assessment_id, version=version)
        .order_by("-template_version")
        .values_list("pdf", "sha256")
    )
    found = row.first()
    return StoredFile(name=found[0], sha256=found[1]) if found else None


def report_round_or_404(round_id: str | None) -> tuple[Round, list[Round]]:
    """The round asked for (?round=<id>), or the most recent one, and every round for the picker.

    404 when the parameter names no round (malformed or unknown: selectors.rounds), or when no round
    has been opened yet. One query.
    """
    choice = round_choice(round_id)
    if choice.asked:
        if choice.requested is None:
            raise Http404("No such round.")
        return choice.requested, choice.rounds
    if choice.newest is None:
        raise Http404("No round has been opened yet.")
    return choice.newest, choice.rounds


def report_pack_for_user_or_404(*, user: Any, pack_id: int) -> ReportPack:
    """A pack in a scope the user may see: national packs for national staff, region packs for the region."""
    pack = get_object_or_404(ReportPack.objects.select_related("round", "region"), pk=pack_id)
    if pack.region_id is None:
        if not can_see_national_overview(user):
            raise Http404
    elif not visible_regions(user).filter(pk=pack.region_id).exists():
        raise Http404
    return pack
