"""Draft PDFs: rendered on the request while the host is idle, by the task worker while it is busy.

A draft force report takes about a second of CPU to render on an idle core and many seconds when the
cores are shared with other requests (docs/performance.md, "Renders off the request path"): on a busy
host a sync web worker held for that long makes every page behind it wait. So:

- Every draft PDF is keyed by the SHA-256 of its HTML: the same answers give the same key, any change
  gives a new one. A copy the worker rendered for a key is kept in storage and served to every request
  for that key, whoever asks, until the answers change.
- Nothing stored for the key and the host idle (1-minute load average per core below
  DRAFT_PDF_DIRECT_MAX_LOAD): render on the request, as before, and store nothing.
- Nothing stored and the host busy: queue `render_draft_report` once and show "Your report is being
  prepared", which refreshes to the same address with ?waiting=<key> so a refresh does not queue again.

The load average is what every web process on the host can read without writing anything or talking
to each other, and it lags by about a minute: good enough to tell a quiet afternoon from a deadline.

A worker render that fails leaves `<key>.failed` beside where the PDF would be: the waiting page reads
it and says so instead of refreshing for ever, and "Try again" removes it and queues one new render.
The marker is keyed by content, like the PDF, so it needs no database row and no migration, any web
host can read it, and a changed answer (a new key) starts clean. The task still raises, so the worker
records the failure in its task result for operators as well.

Once the assessment is signed off its drafts are of no further use: the signed-off render task
(assessments/reports/renders.py) deletes the folder with `drafts_delete`.
"""

from __future__ import annotations

import hashlib
import logging
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

from assessments.models import Assessment
from assessments.reports import rendering
from assessments.reports.data import ForceReport, force_report_data
from assessments.reports.storage import StoredFile, StoredReportCorrupt, stored_file_bytes
from assessments.status import WorkflowStatus

logger = logging.getLogger(__name__)

DRAFTS_FOLDER = "report-drafts"


def draft_key(html: str) -> str:
    """The key of a draft's content: the SHA-256 of its print HTML."""
    return hashlib.sha256(html.encode()).hexdigest()


def _draft_name(assessment_id: int, key: str) -> str:
    return f"{DRAFTS_FOLDER}/{assessment_id}/{key}.pdf"


def _sha_name(assessment_id: int, key: str) -> str:
    return f"{DRAFTS_FOLDER}/{assessment_id}/{key}.sha256"


def _failed_name(assessment_id: int, key: str) -> str:
    return f"{DRAFTS_FOLDER}/{assessment_id}/{key}.failed"


def _folder(assessment_id: int) -> str:
    return f"{DRAFTS_FOLDER}/{assessment_id}"


def draft_failed(*, assessment_id: int, key: str) -> bool:
    """True when the worker's last render of this exact draft failed and nobody asked again; reads only."""
    return default_storage.exists(_failed_name(assessment_id, key))


def draft_retry(*, assessment_id: int, key: str) -> bool:
    """Queue one new render of a draft whose render failed; False, queueing nothing, if it had not failed.

    The marker is removed before the task is queued, so asking twice queues once.
    """
    name = _failed_name(assessment_id, key)
    if not default_storage.exists(name):
        return False
    default_storage.delete(name)
    queue_draft_render(assessment_id=assessment_id, key=key)
    return True


def stored_draft(*, assessment_id: int, key: str) -> bytes | None:
    """The worker's render of this exact draft, checked against its checksum, or None; reads only."""
    sha_name = _sha_name(assessment_id, key)
    if not default_storage.exists(sha_name):
        return None  # the checksum is written last: no checksum, no complete PDF
    with default_storage.open(sha_name, "rb") as handle:
        sha256 = handle.read().decode(errors="replace").strip()
    try:
        return stored_file_bytes(StoredFile(name=_draft_name(assessment_id, key), sha256=sha256))
    except StoredReportCorrupt:
        return None


def host_is_busy() -> bool:
    """True when the host's 1-minute load average per core is at or above DRAFT_PDF_DIRECT_MAX_LOAD."""
    limit: float = settings.DRAFT_PDF_DIRECT_MAX_LOAD
    try:
        load = os.getloadavg()[0]
    except OSError:
        return True  # no load average to read: assume busy, the worker path is always safe
    return load / (os.cpu_count() or 1) >= limit


def render_draft_now(report: ForceReport, html: str) -> bytes:
    """Render a draft on the request (the host is idle); raises ReportRenderError."""
    return rendering.force_report_pdf_from_html(report, html)


def queue_draft_render(*, assessment_id: int, key: str) -> None:
    """Ask the worker to render the assessment's current draft (it will be stored under its own key)."""
    render_draft_report.enqueue(assessment_id=assessment_id, key=key)


def store_draft(*, assessment_id: int) -> str | None:
    """Render the assessment's current draft and store it under its key, dropping older drafts; the key.

    None when the assessment is gone or signed off meanwhile (its signed-off PDF is made elsewhere).
    """
    assessment = (
        Assessment.objects.select_related("force__region", "round__plan").filter(pk=assessment_id).first()
    )
    if assessment is None or assessment.status == WorkflowStatus.SIGNED_OFF:
        return None
    report = force_report_data(assessment=assessment)
    html = rendering.force_report_html(report)
    key = draft_key(html)
    if stored_draft(assessment_id=assessment_id, key=key) is None:
        pdf = rendering.force_report_pdf_from_html(report, html)
        default_storage.delete(_draft_name(assessment_id, key))
        default_storage.save(_draft_name(assessment_id, key), ContentFile(pdf))
        default_storage.delete(_sha_name(assessment_id, key))
        default_storage.save(
            _sha_name(assessment_id, key), ContentFile(hashlib.sha256(pdf).hexdigest().encode())
        )
    default_storage.delete(_failed_name(assessment_id, key))
    if Assessment.objects.filter(pk=assessment_id, status=WorkflowStatus.SIGNED_OFF).exists():
        # Signed off during the render: the sign-off's task may already have emptied the folder, and
        # must not find this copy left behind after it.
        drafts_delete(assessment_id=assessment_id)
        return None
    _drop_other_drafts(assessment_id, keep=key)
    return key


def _drop_other_drafts(assessment_id: int, *, keep: str) -> None:
    for name in _draft_files(assessment_id):
        if not name.startswith(keep):
            default_storage.delete(f"{_folder(assessment_id)}/{name}")


def _draft_files(assessment_id: int) -> list[str]:
    try:
        return list(default_storage.listdir(_folder(assessment_id))[1])
    except FileNotFoundError:
        return []


def drafts_delete(*, assessment_id: int) -> int:
    """Delete every stored draft file of an assessment (PDFs, checksums, failure markers); how many.

    Called once the assessment is signed off, when no draft of it can be asked for again. (File system
    storage keeps the empty folder: Django's storage API deletes files, not folders.)
    """
    names = _draft_files(assessment_id)
    for name in names:
        default_storage.delete(f"{_folder(assessment_id)}/{name}")
    return len(names)


@task()
def render_draft_report(*, assessment_id: int, key: str) -> None:
    """Render and store an assessment's current draft PDF (queued by a draft download on a busy host).

    `key` is the content the request saw; if the answers changed since, the current draft is stored
    under its new key, and the next request for it finds it. On failure `key` is marked failed, for the
    waiting page to say so (the content the user is waiting for), and the error is raised again so the
    task result records it too.
    """
    try:
        store_draft(assessment_id=assessment_id)
    except Exception as error:
        logger.exception("Draft report for assessment %s (key %s) could not be made", assessment_id, key)
        _mark_failed(assessment_id, key, error)
        raise


def _mark_failed(assessment_id: int, key: str, error: Exception) -> None:
    # The exception's class only: its message may quote answers, and the log has the traceback. The
    # file's own modified time says when.
    note = f"{type(error).__name__}\n".encode()
    try:
        default_storage.delete(_failed_name(assessment_id, key))
        default_storage.save(_failed_name(assessment_id, key), ContentFile(note))
    except OSError:
        logger.exception("Draft report for assessment %s: the failure could not be recorded", assessment_id)
