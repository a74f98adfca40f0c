"""Spreadsheet bombs: small files that unpack to a great deal are refused before any parser reads them.

Each test replaces openpyxl's loader with one that fails the test if it is called, so a refusal proves
the archive checks stopped the file first (state, not time; bench.spreadsheet_bombs measures the time
and memory).
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan.formats import CheckedXLSX
from bench.spreadsheet_bombs import (
    ratio_bomb,
    shared_strings_bomb,
    wide_row_bomb,
    wide_row_with_references,
)
from spreadsheet_safety import MAX_UPLOAD_BYTES, SpreadsheetRejected
from tests.assessments.spreadsheets.conftest import revisions, upload
from tests.factories import verified_staff_login

TOO_LARGE = "The selected file is too large once it is unpacked, so it cannot be opened"
UNUSUAL = "The selected file is packed in an unusual way, so it cannot be opened safely"
TOO_WIDE = "The selected file has more than 30 columns"

BOMBS = [
    pytest.param(lambda: wide_row_bomb(2_000_000), TOO_LARGE, id="one row of two million cells"),
    pytest.param(lambda: shared_strings_bomb(1_000_000), TOO_LARGE, id="a million shared strings"),
    pytest.param(lambda: ratio_bomb(4 * 1024 * 1024), UNUSUAL, id="a part packed a thousand to one"),
    pytest.param(lambda: wide_row_with_references(2_000), TOO_WIDE, id="a row wider than the return"),
]


@pytest.fixture
def loader_never_called():
    """openpyxl's loader, in both places our code and import-export reach it, failing if called."""
    never = mock.Mock(side_effect=AssertionError("openpyxl was asked to load a bomb"))
    with mock.patch("spreadsheet_safety.load_workbook", never), mock.patch("openpyxl.load_workbook", never):
        yield never


@pytest.mark.parametrize(("build", "message"), BOMBS)
def test_the_return_upload_refuses_a_bomb_before_parsing(
    spoc_client, home_assessment, loader_never_called, build, message
):
    data = build()
    assert len(data) < MAX_UPLOAD_BYTES  # every bomb passes the upload size limit
    response = upload(spoc_client, home_assessment, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert loader_never_called.call_count == 0
    assert set(revisions(home_assessment).values()) == {0}
    assert f"return_upload:{home_assessment.pk}" not in spoc_client.session


@pytest.mark.parametrize(("build", "message"), BOMBS)
def test_the_plan_import_refuses_a_bomb_before_parsing(
    client, world, action_plan, loader_never_called, build, message
):
    verified_staff_login(client, world.national)
    response = client.post(
        reverse("admin:actionplan_activity_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("plan.xlsx", build())},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert loader_never_called.call_count == 0


def test_the_plan_format_checks_the_archive_on_its_own(loader_never_called):
    """import-export reads the file again from temporary storage on confirmation: the format checks it too."""
    with pytest.raises(SpreadsheetRejected) as refused:
        CheckedXLSX().create_dataset(wide_row_with_references(100))
    assert refused.value.problems[0].startswith(TOO_WIDE)
    assert loader_never_called.call_count == 0
