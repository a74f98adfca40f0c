"""Report packs: every force's progress report for a round, in one zip, made in the background.

A second request for the same round and scope while a pack is queued or running returns that pack
(a partial unique constraint backs this up). Signed-off forces get their stored report as stored, read
straight into the zip and never rendered again; only drafts (and a signed-off version the worker has
not stored yet, which is then stored) are rendered, one task each. A pack's state moves only through
pack_workflow. Its total is counted when it is asked for, so its page says "0 of 44" from the start.

The background tasks (`make_report_pack`, `make_report_pack_part`) are defined at the end of this
module, beside the work they run. django-tasks stores a task by its function's dotted path, so rows
queued from now on name assessments.reports.packs; assessments/reports/tasks.py keeps the old path
working for rows stored before the tasks moved here.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import logging
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from assessments.models import Assessment, AssessmentSnapshot, Region, ReportPack, Round, StoredReport
from assessments.reports import pack_workflow
from assessments.reports.data import force_report_data, report_file_name
from assessments.reports.pack_workflow import InvalidPackTransition
from assessments.reports.rendering import force_report_pdf
from assessments.reports.storage import StoredReportCorrupt, stored_report_bytes, stored_report_get_or_create
from assessments.status import ACTIVE_PACK_STATES, PackState, WorkflowStatus

logger = logging.getLogger(__name__)

NATIONAL_SCOPE = "national"
# A pack still queued or running after this long lost its worker: it no longer blocks a new request.
PACK_STALE_AFTER = datetime.timedelta(hours=2)


class PackLimitReached(Exception):
    """The user already has a pack under way for this round (another region or scope); `pack` is that one."""

    def __init__(self, pack: ReportPack) -> None:
        super().__init__(f"Pack {pack.pk} is still being made")
        self.pack = pack


def report_pack_request(*, by: Any, round_: Round, region: Region | None = None) -> ReportPack:
    """Start a pack for the round (one region, or all forces), or return the one already under way.

    The caller has checked the user may see the scope. The task is queued only after the row commits.
    """
    scope = region.slug if region is not None else NATIONAL_SCOPE
    active = list(ACTIVE_PACK_STATES)
    stale = ReportPack.objects.filter(
        round=round_, scope=scope, state__in=active, created_at__lt=timezone.now() - PACK_STALE_AFTER
    )
    for stale_id in stale.values_list("pk", flat=True):
        _fail_unless_over(stale_id, error=PACK_ABANDONED)
    running = ReportPack.objects.filter(round=round_, scope=scope, state__in=active).first()
    if running is not None:
        return running
    # One pack per person and round at a time: a pack renders every force's PDF, so asking for each
    # region in turn would hold every task worker. Raises PackLimitReached with the pack under way.
    mine = ReportPack.objects.filter(
        round=round_, requested_by=by, state__in=active, created_at__gte=timezone.now() - PACK_STALE_AFTER
    ).first()
    if mine is not None:
        raise PackLimitReached(mine)
    total = _scope_assessments(round_=round_, region_id=region.pk if region is not None else None).count()
    try:
        with transaction.atomic():
            pack = ReportPack.objects.create(
                requested_by=by, round=round_, region=region, scope=scope, total=total
            )
    except IntegrityError:
        return ReportPack.objects.get(round=round_, scope=scope, state__in=active)
    transaction.on_commit(lambda: make_report_pack.enqueue(pack_id=pack.pk))
    return pack


def pack_file_name(pack: ReportPack) -> str:
    """The zip's download name."""
    scope = pack.region.slug if pack.region is not None else NATIONAL_SCOPE
    return f"{scope}-{slugify(pack.round.name)}-progress-reports.zip"


def _scope_assessments(*, round_: Round, region_id: int | None) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(round=round_)
    if region_id is not None:
        assessments = assessments.filter(force__region_id=region_id)
    return assessments


def _pack_assessments(pack: ReportPack) -> list[Assessment]:
    assessments = _scope_assessments(round_=pack.round, region_id=pack.region_id)
    return list(assessments.select_related("force__region", "round__plan").order_by("force__name"))


def _stored_signed_off(assessments: list[Assessment]) -> dict[int, StoredReport]:
    """The newest stored PDF of each signed-off assessment's current version, by assessment id; one query."""
    signed_off = [a.pk for a in assessments if a.status == WorkflowStatus.SIGNED_OFF]
    rows = StoredReport.objects.filter(
        assessment_id__in=signed_off, version=F("assessment__version")
    ).order_by("assessment_id", "template_version")
    return {row.assessment_id: row for row in rows}  # the last, newest layout, wins


def _stored_name(assessment: Assessment, version: int) -> str:
    return report_file_name(
        force_code=assessment.force.code, round_name=assessment.round.name, version=version, draft=False
    )


def _render_part(assessment: Assessment) -> tuple[str, bytes] | None:
    """Render what a pack needs for an assessment with no stored PDF: the draft's name and bytes.

    A signed-off version the worker has not stored yet is stored now (None: the zip reads it from
    storage like any other), so it is rendered once for good rather than once per pack.
    """
    if assessment.status == WorkflowStatus.SIGNED_OFF:
        snapshot = AssessmentSnapshot.objects.get(assessment=assessment, version=assessment.version)
        stored_report_get_or_create(assessment=assessment, snapshot=snapshot)
        return None
    report = force_report_data(assessment=assessment)
    return report.file_name, force_report_pdf(report)


PACK_FAILED = "One of the reports could not be made. The error has been logged; try again later."
PACK_ABANDONED = "The pack took too long and was abandoned."


def _parts_folder(pack_id: int) -> str:
    return f"report-packs/parts/{pack_id}"


def report_pack_build(*, pack_id: int) -> None:
    """Start a pack: count the stored reports as done and queue one task per report still to render.

    Signed-off forces whose PDF is stored need nothing made: they count as done at once. Each other
    force's report is made by `make_report_pack_part` (so two task workers make two at once) and counted
    with an atomic increment of `done`; the part whose increment reaches `total` assembles the zip
    (`report_pack_assemble`), as does this task when nothing needed rendering. Under the immediate test
    backend the parts run inline, one after another.
    """
    try:
        pack_workflow.start(pack_id=pack_id)
    except InvalidPackTransition:
        return  # already started, finished or failed: a repeated task has nothing to do
    pack = ReportPack.objects.select_related("round", "region").get(pk=pack_id)
    try:
        assessments = _pack_assessments(pack)
        stored = _stored_signed_off(assessments)
        to_render = [assessment.pk for assessment in assessments if assessment.pk not in stored]
        ReportPack.objects.filter(pk=pack_id).update(
            total=len(assessments), done=len(assessments) - len(to_render)
        )
        if not to_render:
            report_pack_assemble(pack_id=pack_id)
            return
        for assessment_id in to_render:
            if not ReportPack.objects.filter(pk=pack_id, state=PackState.RUNNING).exists():
                return  # a part failed (inline, under the immediate backend): stop queueing
            make_report_pack_part.enqueue(pack_id=pack_id, assessment_id=assessment_id)
    except Exception:
        _pack_failed(pack_id)


def report_pack_part(*, pack_id: int, assessment_id: int) -> None:
    """Make and store one force's report for a pack, count it, and assemble the zip if it was the last."""
    if not ReportPack.objects.filter(pk=pack_id, state=PackState.RUNNING).exists():
        return  # failed or abandoned meanwhile: nothing to add to
    try:
        assessment = Assessment.objects.select_related("force__region", "round__plan").get(pk=assessment_id)
        draft = _render_part(assessment)
        if draft is not None:
            name, content = draft
            default_storage.save(f"{_parts_folder(pack_id)}/{assessment_id}/{name}", ContentFile(content))
        with transaction.atomic():
            # The increment comes first, so the row stays locked until commit and the count read
            # back is this part's own: exactly one part sees done == total.
            counted = ReportPack.objects.filter(pk=pack_id, state=PackState.RUNNING).update(
                done=F("done") + 1
            )
            last = counted and ReportPack.objects.filter(pk=pack_id, done=F("total")).exists()
        if last:
            report_pack_assemble(pack_id=pack_id)
    except Exception:
        _pack_failed(pack_id)


def report_pack_assemble(*, pack_id: int) -> None:
    """Zip each force's report in force order, store the zip, mark the pack ready.

    A force with a rendered part (a draft) gets that part; every other force gets its stored signed-off
    PDF, read from storage and checked against its checksum, not rendered.
    """
    pack = ReportPack.objects.select_related("round", "region").get(pk=pack_id)
    try:
        buffer = io.BytesIO()
        assessments = _pack_assessments(pack)
        stored = _stored_signed_off(assessments)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for assessment in assessments:
                name, content = _pack_entry(pack_id, assessment, stored.get(assessment.pk))
                archive.writestr(f"{assessment.force.region.slug}/{name}", content)
        pack.file.save(pack_file_name(pack), ContentFile(buffer.getvalue()), save=False)
        # Refused (and the zip deleted below) if the pack failed or was abandoned meanwhile.
        pack_workflow.finish(pack_id=pack_id, file_name=pack.file.name)
        _delete_parts(pack_id)
    except Exception:
        if pack.file:
            pack.file.delete(save=False)
        _pack_failed(pack_id)


def _pack_entry(pack_id: int, assessment: Assessment, stored: StoredReport | None) -> tuple[str, bytes]:
    """A force's file name and bytes for the zip: its rendered part if it has one, else its stored PDF."""
    folder = f"{_parts_folder(pack_id)}/{assessment.pk}"
    try:
        parts = default_storage.listdir(folder)[1]
    except FileNotFoundError:
        parts = []
    if parts:
        (name,) = parts
        with default_storage.open(f"{folder}/{name}", "rb") as handle:
            return name, handle.read()
    if stored is None:
        raise StoredReportCorrupt(f"Assessment {assessment.pk} has neither a rendered part nor a stored PDF.")
    return _stored_name(assessment, stored.version), stored_report_bytes(stored)


def _delete_parts(pack_id: int) -> None:
    folder = _parts_folder(pack_id)
    try:
        folders, _files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for sub in folders:
        for name in default_storage.listdir(f"{folder}/{sub}")[1]:
            default_storage.delete(f"{folder}/{sub}/{name}")


def _fail_unless_over(pack_id: int, *, error: str) -> None:
    """Fail a queued or running pack; one that has finished or failed meanwhile stays as it is."""
    with contextlib.suppress(InvalidPackTransition):
        pack_workflow.fail(pack_id=pack_id, error=error)


def _pack_failed(pack_id: int) -> None:
    logger.exception("Report pack %s failed", pack_id)
    _fail_unless_over(pack_id, error=PACK_FAILED)
    _delete_parts(pack_id)


@task()
def make_report_pack(*, pack_id: int) -> None:
    """Start a pack: queue one part per force (the last part to finish zips them)."""
    report_pack_build(pack_id=pack_id)


@task()
def make_report_pack_part(*, pack_id: int, assessment_id: int) -> None:
    """Make one force's report for a pack; the last part assembles the zip."""
    report_pack_part(pack_id=pack_id, assessment_id=assessment_id)
