"""Signed-off reports are made once from their snapshot, stored with a checksum and served as stored.

The PDF renders to bytes first; only a complete PDF is written, and the file and its row are written
together or not at all, so a render failure or a lost race never leaves anything half-written.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction

from assessments.models import Assessment, AssessmentSnapshot, StoredReport
from assessments.reports.data import force_report_data
from assessments.reports.pdf import ReportRenderError
from assessments.reports.rendering import REPORT_TEMPLATE_VERSION, force_report_pdf

logger = logging.getLogger(__name__)


class StoredReportCorrupt(ReportRenderError):
    """The stored file is missing or no longer matches the checksum recorded when it was made."""


@dataclass(frozen=True)
class StoredFile:
    """Where a stored report's PDF lives and the SHA-256 it was stored with: all it takes to serve it."""

    name: str
    sha256: str


def stored_report_storage() -> Storage:
    """The storage stored reports are written to (the `pdf` field's)."""
    storage: Storage = StoredReport._meta.get_field("pdf").storage
    return storage


def stored_report_current(*, assessment_id: int, version: int) -> StoredReport | None:
    """The newest stored PDF of a signed-off version (in any layout), or None before its first render."""
    return (
        StoredReport.objects.filter(assessment_id=assessment_id, version=version)
        .order_by("-template_version")
        .first()
    )


def stored_report_get_or_create(*, assessment: Assessment, snapshot: AssessmentSnapshot) -> StoredReport:
    """The stored PDF of a signed-off version in the current layout, rendering and storing it if missing.

    Renders for seconds: called by the task worker (assessments/reports/renders.py, report packs) and
    `manage.py refresh_stored_reports`, never by a page. Idempotent: a second call, or a lost race,
    returns the row already stored.
    """
    existing = StoredReport.objects.filter(
        assessment=assessment, version=snapshot.version, template_version=REPORT_TEMPLATE_VERSION
    ).first()
    if existing is not None:
        return existing
    report = force_report_data(assessment=assessment, snapshot=snapshot)
    pdf = force_report_pdf(report)
    stored = StoredReport(
        assessment=assessment,
        version=snapshot.version,
        template_version=REPORT_TEMPLATE_VERSION,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    stored.pdf.save(report.file_name, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # Someone else stored this version first: keep theirs, drop our copy of the file.
        stored.pdf.delete(save=False)
        return StoredReport.objects.get(
            assessment=assessment, version=snapshot.version, template_version=REPORT_TEMPLATE_VERSION
        )
    except Exception:
        stored.pdf.delete(save=False)
        raise
    return stored


def stored_report_bytes(stored: StoredReport) -> bytes:
    """The stored PDF, checked against its recorded SHA-256."""
    return stored_file_bytes(StoredFile(name=stored.pdf.name, sha256=stored.sha256))


def stored_file_bytes(stored: StoredFile) -> bytes:
    """A stored PDF read from storage by name, checked against its SHA-256; no database query.

    Raises StoredReportCorrupt when the file is gone or its bytes have changed, so callers report it
    the way they report a failed render instead of serving something else or failing with a 500.
    """
    try:
        with stored_report_storage().open(stored.name, "rb") as handle:
            content = handle.read()
    except OSError:
        logger.exception("Stored report %s could not be read", stored.name)
        raise StoredReportCorrupt(f"The stored report {stored.name} could not be read.") from None
    if not isinstance(content, bytes) or hashlib.sha256(content).hexdigest() != stored.sha256:
        logger.error("Stored report %s does not match its checksum", stored.name)
        raise StoredReportCorrupt(f"The stored report {stored.name} has been damaged.")
    return content
