"""Signed-off reports are made once from their snapshot, stored with a checksum and served as stored.

The PDF renders to bytes first; only a complete PDF is written, and the file and its row are written
together or not at all, so a render failure or a lost race never leaves anything half-written.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from assessments.models import Assessment, AssessmentSnapshot, StoredReport
from assessments.reports.data import force_report_data
from assessments.reports.pdf import ReportRenderError
from assessments.reports.rendering import force_report_pdf

logger = logging.getLogger(__name__)


class StoredReportCorrupt(ReportRenderError):
    """The stored file no longer matches the checksum recorded when it was made."""


def stored_report_get_or_create(*, assessment: Assessment, snapshot: AssessmentSnapshot) -> StoredReport:
    """The stored PDF of a signed-off version, rendering and storing it the first time it is asked for."""
    existing = StoredReport.objects.filter(assessment=assessment, version=snapshot.version).first()
    if existing is not None:
        return existing
    report = force_report_data(assessment=assessment, snapshot=snapshot)
    pdf = force_report_pdf(report)
    stored = StoredReport(
        assessment=assessment,
        version=snapshot.version,
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
        return StoredReport.objects.get(assessment=assessment, version=snapshot.version)
    except Exception:
        stored.pdf.delete(save=False)
        raise
    return stored


def stored_report_bytes(stored: StoredReport) -> bytes:
    """The stored PDF, checked against its recorded SHA-256."""
    with stored.pdf.open("rb") as handle:
        content = handle.read()
    if not isinstance(content, bytes) or hashlib.sha256(content).hexdigest() != stored.sha256:
        logger.error("Stored report %s does not match its checksum", stored.pk)
        raise StoredReportCorrupt(f"The stored report for {stored.assessment} has been damaged.")
    return content
