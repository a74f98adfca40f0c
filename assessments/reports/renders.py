"""Signed-off PDFs are rendered by the task worker, never by a page.

A render takes seconds of CPU (docs/performance.md). Holding a web worker for that on the first
download made everyone else's pages wait, so:

- `workflow.sign_off` queues `render_signed_off_report` in its own transaction (`queue_signed_off_render`):
  the task row commits with the sign-off, or neither does. The database backend stores it in that
  transaction; a backend that cannot share it (the immediate backend in tests) runs it on commit.
- A download of a signed-off version only reads: the stored file, or a "Your report is being prepared"
  page that refreshes until the worker has stored it. The page queues nothing, because queueing is a
  database write and a GET must not write.
- `refresh_stored_reports` (the management command, run after each deploy and on a timer) renders every
  signed-off version with no PDF in the current layout (REPORT_TEMPLATE_VERSION): versions whose queued
  render failed, versions replayed by the national data generator (which queues nothing, like its
  emails: 362 renders nobody asked for), and every version when the layout changes. It is idempotent:
  a version already stored in the current layout is skipped.
- A render that fails (the task's or the command's) leaves a marker in storage,
  `stored-report-failures/<assessment id>/v<version>.failed`, so the waiting page can say the PDF could
  not be made and that it is tried again automatically, instead of refreshing for ever; the next
  successful render removes it. A marker rather than a look-up of the task result: the page would have
  to find the sign-off's task row by its JSON arguments, which the backends store differently, and a
  command's retry has no task row at all.
- Once a version is signed off, the assessment's stored draft PDFs can never be asked for again: the
  render task deletes them (drafts.drafts_delete), on the worker, never in a request.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django_tasks import task
from django_tasks_db import DatabaseBackend

from assessments.models import Assessment, AssessmentSnapshot, StoredReport
from assessments.reports import drafts
from assessments.reports.rendering import REPORT_TEMPLATE_VERSION
from assessments.reports.storage import stored_report_get_or_create, stored_report_storage
from assessments.status import WorkflowStatus

logger = logging.getLogger(__name__)


def queue_signed_off_render(*, assessment_id: int, version: int) -> None:
    """Queue the render of a signed-off version so it runs only if the current transaction commits."""
    enqueue = functools.partial(
        render_signed_off_report.enqueue, assessment_id=assessment_id, version=version
    )
    if isinstance(render_signed_off_report.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def render_and_store(*, assessment_id: int, version: int) -> bool:
    """Store the version's PDF in the current layout; False when there is no such signed-off version."""
    snapshot = (
        AssessmentSnapshot.objects.select_related("assessment__force__region", "assessment__round__plan")
        .filter(assessment_id=assessment_id, version=version)
        .first()
    )
    if snapshot is None:
        return False
    try:
        stored_report_get_or_create(assessment=snapshot.assessment, snapshot=snapshot)
    except Exception as error:
        _mark_failed(assessment_id, version, error)
        raise
    stored_report_storage().delete(_failed_name(assessment_id, version))
    return True


def _failed_name(assessment_id: int, version: int) -> str:
    return f"stored-report-failures/{assessment_id}/v{version}.failed"


def signed_off_render_failed(*, assessment_id: int, version: int) -> bool:
    """True when the last render of this signed-off version failed and none has succeeded since; reads."""
    return stored_report_storage().exists(_failed_name(assessment_id, version))


def _mark_failed(assessment_id: int, version: int, error: Exception) -> None:
    # The exception's class only: its message may quote answers, and the log has the traceback. The
    # file's own modified time says when.
    note = f"{type(error).__name__}\n".encode()
    storage = stored_report_storage()
    try:
        storage.delete(_failed_name(assessment_id, version))
        storage.save(_failed_name(assessment_id, version), ContentFile(note))
    except OSError:
        logger.exception(
            "Stored report for assessment %s v%s: the failure could not be recorded", assessment_id, version
        )


def snapshots_without_current_pdf() -> QuerySet[AssessmentSnapshot]:
    """Every signed-off version with no PDF stored in the current layout, oldest round first."""
    current = StoredReport.objects.filter(
        assessment_id=OuterRef("assessment_id"),
        version=OuterRef("version"),
        template_version=REPORT_TEMPLATE_VERSION,
    )
    return (
        AssessmentSnapshot.objects.filter(~Exists(current))
        .order_by("assessment__round__opens_on", "assessment_id", "version")
        .only("assessment_id", "version")
    )


def refresh_stored_reports() -> Iterator[tuple[AssessmentSnapshot, Exception | None]]:
    """Render and store each version that `snapshots_without_current_pdf` lists; yield each and its error.

    One failure is logged and yielded, and the rest still run; running it again picks up what failed.
    """
    for snapshot in list(snapshots_without_current_pdf()):
        try:
            render_and_store(assessment_id=snapshot.assessment_id, version=snapshot.version)
        except Exception as error:
            logger.exception(
                "Stored report for assessment %s v%s could not be made",
                snapshot.assessment_id,
                snapshot.version,
            )
            yield snapshot, error
        else:
            yield snapshot, None


def queue_missing_renders() -> int:
    """Queue a render task for each version `snapshots_without_current_pdf` lists; how many.

    Running it twice queues them twice; the second task of each finds the PDF stored and does nothing.
    """
    missing = list(snapshots_without_current_pdf())
    for snapshot in missing:
        render_signed_off_report.enqueue(assessment_id=snapshot.assessment_id, version=snapshot.version)
    return len(missing)


@task()
def render_signed_off_report(*, assessment_id: int, version: int) -> None:
    """Render and store a signed-off version's PDF (queued by sign-off); nothing to do if already stored.

    Then delete the assessment's stored drafts, whether or not the render worked: they are no use once
    signed off. Only while this version is still the signed-off one: a task that runs late, after the
    assessment was reopened, must not delete the new version's drafts.
    """
    try:
        render_and_store(assessment_id=assessment_id, version=version)
    except Exception:
        logger.exception("Stored report for assessment %s v%s could not be made", assessment_id, version)
        raise
    finally:
        _delete_drafts_once_signed_off(assessment_id=assessment_id, version=version)


def _delete_drafts_once_signed_off(*, assessment_id: int, version: int) -> None:
    signed_off = Assessment.objects.filter(
        pk=assessment_id, version=version, status=WorkflowStatus.SIGNED_OFF
    ).exists()
    if not signed_off:
        return
    try:
        drafts.drafts_delete(assessment_id=assessment_id)
    except OSError:
        logger.exception("Drafts of assessment %s could not be deleted after sign-off", assessment_id)
