"""The offline return can finish a return: Confirm for carried-forward answers, evidence references, and
one message per mistake naming the row, the column and what to write."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook  # type: ignore[import-untyped]

from assessments.models import ActivityReturn
from assessments.spreadsheets.offline import REFERENCES_SHEET, SHEET_COLUMNS
from tests.assessments.spreadsheets.conftest import (
    change_cells,
    confirm,
    download,
    preview_url,
    revisions,
    save,
    upload,
)

CONFIRM_COLUMN = 1 + [name for name, _heading, _editable in SHEET_COLUMNS].index("confirm")


def _carry_forward(assessment, *codes):
    """Returns as a new round leaves them: answered last round, carried forward, not yet confirmed."""
    ActivityReturn.objects.filter(assessment=assessment, activity__code__in=codes).update(
        implementation_status="implemented",
        evidence_summary="Policy signed off",
        evidence_references=[{"title": "Policy", "location": "Intranet", "applies_on": "2026-03-17"}],
        carried_forward=True,
        confirmed=False,
        is_complete=False,
    )


def _set_confirm(data: bytes, answers: dict[str, object]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["Return"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for code, value in answers.items():
        sheet.cell(row=rows[code], column=CONFIRM_COLUMN, value=value)
    return save(book)


def _references(data: bytes, rows: list[list[object]] | None = None) -> tuple[bytes, list[tuple]]:
    """Replace the references sheet's rows and return the new file, or read them (with the file as it was)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[REFERENCES_SHEET]
    if rows is not None:
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(row)
        return save(book), []
    return data, [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def test_confirm_finishes_carried_forward_answers_and_a_second_upload_changes_nothing(
    spoc_client, home_assessment
):
    _carry_forward(home_assessment, "LG01", "LG02")
    sheet = load_workbook(io.BytesIO(download(spoc_client, home_assessment)))["Return"]
    # Only rows waiting for confirmation can take a Yes.
    assert not sheet.cell(row=2, column=CONFIRM_COLUMN).protection.locked
    assert sheet.cell(row=4, column=CONFIRM_COLUMN).protection.locked

    data = _set_confirm(download(spoc_client, home_assessment), {"LG01": "Yes", "LG02": "yes", "LG03": "Yes"})
    upload(spoc_client, home_assessment, data)
    preview = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "confirms 2 carried-forward answers" in preview
    confirm(spoc_client, home_assessment)
    confirmed = ActivityReturn.objects.filter(assessment=home_assessment, activity__code__in=["LG01", "LG02"])
    assert all(r.confirmed and r.is_complete for r in confirmed)
    assert ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG03").revision == 0
    after = revisions(home_assessment)

    # The very same file again, and a fresh download uploaded untouched: nothing to change.
    for again in (data, download(spoc_client, home_assessment)):
        upload(spoc_client, home_assessment, again)
        assert (
            "No changes found in the file" in spoc_client.get(preview_url(home_assessment)).content.decode()
        )
    assert revisions(home_assessment) == after


def test_evidence_references_go_out_with_real_dates_and_come_back(spoc_client, home_assessment):
    _carry_forward(home_assessment, "LG01", "LG02")
    _none, rows = _references(download(spoc_client, home_assessment))
    assert rows[0] == ("LG01", "Policy", "Intranet", datetime.datetime(2026, 3, 17))  # noqa: DTZ001 - a spreadsheet date cell

    data, _ = _references(
        download(spoc_client, home_assessment),
        [
            ["LG01", "Policy", "Intranet", datetime.date(2026, 3, 17)],
            ["LG01", "Audit", "", "31/01/2026"],
            ["lg02", "Minutes", "Shared drive", datetime.date(2025, 12, 1)],
        ],
    )
    upload(spoc_client, home_assessment, data)
    preview = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "Evidence references" in preview and "Audit (31 January 2026)" in preview
    confirm(spoc_client, home_assessment)
    by_code = dict(
        ActivityReturn.objects.filter(
            assessment=home_assessment, activity__code__in=["LG01", "LG02"]
        ).values_list("activity__code", "evidence_references")
    )
    assert by_code["LG01"] == [
        {"title": "Policy", "location": "Intranet", "applies_on": "2026-03-17"},
        {"title": "Audit", "location": "", "applies_on": "2026-01-31"},
    ]
    assert by_code["LG02"] == [{"title": "Minutes", "location": "Shared drive", "applies_on": "2025-12-01"}]
    # Uploading the same file again changes nothing.
    upload(spoc_client, home_assessment, data)
    assert "No changes found in the file" in spoc_client.get(preview_url(home_assessment)).content.decode()


def test_each_mistake_gets_one_message_naming_row_column_and_what_to_write(spoc_client, home_assessment):
    data = change_cells(download(spoc_client, home_assessment), {"LG01": {"implementation_status": "Done"}})
    data = _set_confirm(data, {"LG02": "maybe"})
    data, _ = _references(data, [["LG01", "", "Shelf", "next week"]])
    page = upload(spoc_client, home_assessment, data).content.decode()
    assert page.count("Row 2 (LG01)") == 1  # not also "Select how far the force has implemented…"
    assert "Select how far" not in page
    assert "Row 2 (LG01): “Done” is not an implementation status. Write one of:" in page
    assert "(column C)" in page
    assert "Row 3 (LG02): Confirm “maybe” is not understood. Write Yes" in page and "(column I)" in page
    assert f"{REFERENCES_SHEET} row 2 (LG01): enter the name of the document or source (column B)" in page
    assert "“next week” is not a real date" in page and "(column D)" in page
    assert set(revisions(home_assessment).values()) == {0}
