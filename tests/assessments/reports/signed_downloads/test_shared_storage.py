"""Stored reports work on any Django storage, not only the local file system (docs/deployment.md).

With several web hosts, stored PDFs must live on shared storage: a shared file system, or an object
store through django-storages. That is configuration only if the code uses nothing but the storage API
(no `.path`, no opening MEDIA_ROOT itself). Here the default storage is Django's InMemoryStorage, a
second storage class with no file system behind it: storing, reading back and the signed download all
work, and nothing is written under MEDIA_ROOT.
"""

from __future__ import annotations

import pytest
from django.core.files.storage import InMemoryStorage

from assessments.reports.storage import (
    stored_report_bytes,
    stored_report_get_or_create,
    stored_report_storage,
)
from tests.assessments.reports.signed_downloads.conftest import FAKE_PDF, body, signed_link_from_reports_page


@pytest.fixture
def in_memory_storage(settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return media


def test_a_stored_report_is_written_read_and_downloaded_through_another_storage_class(
    in_memory_storage, chief, signed_off
):
    assert isinstance(stored_report_storage(), InMemoryStorage)
    stored = stored_report_get_or_create(assessment=signed_off, snapshot=signed_off.snapshots.get(version=1))
    assert stored_report_storage().exists(stored.pdf.name)
    assert stored_report_bytes(stored) == FAKE_PDF
    response = chief.get(signed_link_from_reports_page(chief, signed_off))
    assert response.status_code == 200
    assert body(response) == FAKE_PDF
    assert not in_memory_storage.exists() or not any(in_memory_storage.rglob("*"))
