"""Every kind of bad file gets a clear message naming the problem, and nothing is written."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from spreadsheet_safety import MAX_ROWS, MAX_UPLOAD_BYTES
from tests.assessments.spreadsheets.conftest import (
    HEADINGS,
    change_cells,
    download,
    revisions,
    save,
    upload,
    workbook_with_rows,
)


def assert_refused(client, assessment, data, message, name="return.xlsx"):
    response = upload(client, assessment, data, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page, page[page.find("govuk-error-summary") :][:2000]
    assert set(revisions(assessment).values()) == {0}
    assert f"return_upload:{assessment.pk}" not in client.session
    return page


def row(code, status="Not started", reason="", evidence="", steps="", owner="", target=""):
    return [code, "", status, reason, evidence, steps, owner, target]


def test_random_bytes_renamed_xlsx(spoc_client, home_assessment):
    assert_refused(
        spoc_client, home_assessment, os.urandom(2048).replace(b"PK", b"pk"), "is not a spreadsheet"
    )


def test_a_text_file_renamed_xlsx(spoc_client, home_assessment):
    assert_refused(spoc_client, home_assessment, b"code,status\nLG01,Planned\n", "is not a spreadsheet")


def test_an_ole2_file_is_password_protected_or_old_xls(spoc_client, home_assessment):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(1024)
    assert_refused(spoc_client, home_assessment, data, "password-protected or in the old .xls format")


def test_a_zip_that_is_not_a_workbook(spoc_client, home_assessment):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert_refused(spoc_client, home_assessment, buffer.getvalue(), "is not an Excel workbook")


def test_a_damaged_workbook(spoc_client, home_assessment):
    data = download(spoc_client, home_assessment)
    assert_refused(spoc_client, home_assessment, data[: len(data) // 2], "damaged")


def test_an_empty_file(spoc_client, home_assessment):
    assert_refused(spoc_client, home_assessment, b"", "The selected file is empty")


def test_a_workbook_with_no_rows(spoc_client, home_assessment):
    assert_refused(spoc_client, home_assessment, save(Workbook()), "The selected file is empty")


def test_a_missing_column(spoc_client, home_assessment):
    headings = [h for h in HEADINGS if h != "Evidence summary"]
    data = workbook_with_rows([["LG01", "", "Planned", "", "", "", "", ""]], headings=headings)
    assert_refused(spoc_client, home_assessment, data, "missing the column(s) “Evidence summary”")


def test_an_unknown_column(spoc_client, home_assessment):
    data = workbook_with_rows([[*row("LG01"), "x"]], headings=[*HEADINGS, "Secret notes"])
    assert_refused(spoc_client, home_assessment, data, "Column I is called “Secret notes”")


def test_an_unknown_activity_code(spoc_client, home_assessment):
    data = workbook_with_rows([row("LG01"), row("ZZ99")])
    assert_refused(
        spoc_client, home_assessment, data, "Row 3 (ZZ99): “ZZ99” is not an activity in this round"
    )


def test_an_unknown_status(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment), {"LG03": {"implementation_status": "Done-ish"}}
    )
    assert_refused(
        spoc_client, home_assessment, data, "Row 4 (LG03): “Done-ish” is not an implementation status"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2027", "Row 2 (LG01): Target date “31/02/2027” is not a real date"),
        ("next spring", "Row 2 (LG01): Target date “next spring” is not a real date"),
        ("01/01/1999", "Row 2 (LG01): Target date must be between 2000 and 2100"),
    ],
)
def test_impossible_dates(spoc_client, home_assessment, value, message):
    data = change_cells(
        download(spoc_client, home_assessment),
        {
            "LG01": {
                "implementation_status": "Planned",
                "next_steps": "a",
                "action_owner": "b",
                "target_date": value,
            }
        },
    )
    assert_refused(spoc_client, home_assessment, data, message)


def test_a_number_that_is_not_formatted_as_a_date(spoc_client, home_assessment):
    data = workbook_with_rows([row("LG01", status="Planned", steps="a", owner="b", target=45000)])
    assert_refused(spoc_client, home_assessment, data, "Row 2 (LG01): Target date must be a date")


def test_a_duplicated_activity_row(spoc_client, home_assessment):
    data = workbook_with_rows([row("LG01"), row("LG02"), row("LG01", status="Planned")])
    assert_refused(
        spoc_client,
        home_assessment,
        data,
        "Row 4 (LG01): activity LG01 appears more than once (also in row 2)",
    )


def test_a_row_without_a_code(spoc_client, home_assessment):
    data = workbook_with_rows([row("LG01"), row("")])
    assert_refused(spoc_client, home_assessment, data, "Row 3: enter the activity code")


def test_text_longer_than_the_web_form_allows(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment),
        {"LG01": {"implementation_status": "Implemented", "evidence_summary": "x" * 2001}},
    )
    assert_refused(
        spoc_client, home_assessment, data, "The evidence summary must be 2000 characters or fewer"
    )


def test_a_file_over_5_mb(spoc_client, home_assessment):
    data = b"PK\x03\x04" + os.urandom(MAX_UPLOAD_BYTES + 10)
    assert_refused(
        spoc_client, home_assessment, data, "The selected file is 5.1 MB. It must be smaller than 5 MB"
    )


def test_more_than_10000_rows(spoc_client, home_assessment):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Return")
    sheet.append(HEADINGS)
    for _ in range(MAX_ROWS + 1):
        sheet.append(row("LG01"))
    assert_refused(spoc_client, home_assessment, save(book), "more than 10,000 rows")


def test_many_problems_are_listed_by_row(spoc_client, home_assessment):
    data = workbook_with_rows([row("LG01", status="Maybe"), row("LG02", status="Perhaps"), row("XX01")])
    page = assert_refused(
        spoc_client, home_assessment, data, "The selected file has 3 problems, listed below"
    )
    assert "Row 2 (LG01)" in page and "Row 3 (LG02)" in page and "Row 4 (XX01)" in page


def test_no_file_selected(spoc_client, home_assessment):
    from tests.assessments.spreadsheets.conftest import upload_url

    response = spoc_client.post(upload_url(home_assessment), {})
    assert "Select the completed spreadsheet" in response.content.decode()
    assert set(revisions(home_assessment).values()) == {0}
