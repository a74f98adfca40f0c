"""Helpers for spreadsheet tests: download a return, change cells, upload it, and read files back."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from assessments.models import ActivityReturn
from assessments.spreadsheets.offline import COLUMNS
from tests.factories import verified_staff_login

HEADINGS = [heading for _name, heading, _editable in COLUMNS]
COLUMN_OF = {name: index + 1 for index, (name, _heading, _editable) in enumerate(COLUMNS)}


def download_url(assessment):
    return reverse("assessments:return_download", kwargs={"assessment_id": assessment.pk})


def upload_url(assessment):
    return reverse("assessments:return_upload", kwargs={"assessment_id": assessment.pk})


def preview_url(assessment):
    return reverse("assessments:return_upload_preview", kwargs={"assessment_id": assessment.pk})


def download(client, assessment) -> bytes:
    response = client.get(download_url(assessment))
    assert response.status_code == 200, response.status_code
    return response.content


def change_cells(data: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    """Set cells of the Return sheet by activity code and field name; returns the new file."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Return"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for code, values in changes.items():
        for name, value in values.items():
            sheet.cell(row=rows[code], column=COLUMN_OF[name], value=value)
    return save(book)


def save(book: Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def workbook_with_rows(rows, headings=None) -> bytes:
    """A one-sheet xlsx with the given headings (the return's by default) and rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(list(HEADINGS if headings is None else headings))
    for row in rows:
        sheet.append(list(row))
    return save(book)


def upload(client, assessment, data: bytes, name: str = "return.xlsx"):
    return client.post(upload_url(assessment), {"spreadsheet": SimpleUploadedFile(name, data)})


def confirm(client, assessment):
    token = client.session[f"return_upload:{assessment.pk}"]["token"]
    return client.post(preview_url(assessment), {"token": token})


def revisions(assessment) -> dict[str, int]:
    return dict(
        ActivityReturn.objects.filter(assessment=assessment).values_list("activity__code", "revision")
    )


def xlsx_cells(data: bytes):
    """Every cell value of every sheet of an xlsx file."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from row


def csv_cells(data: bytes):
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        yield from row


@pytest.fixture
def spoc_client(client, world):
    verified_staff_login(client, world.spoc)
    return client
