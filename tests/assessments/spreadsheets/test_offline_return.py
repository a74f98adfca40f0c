"""A force's return offline and back: download, change, upload, preview, confirm; and who may do it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]

from assessments.models import ActivityReturn, Assessment
from assessments.rules import EVIDENCE_REQUIRED, NEXT_STEPS_REQUIRED
from assessments.services import activity_return_save
from assessments.status import ImplementationStatus, WorkflowStatus
from tests.assessments.spreadsheets.conftest import (
    HEADINGS,
    change_cells,
    confirm,
    download,
    download_url,
    preview_url,
    revisions,
    upload,
    upload_url,
)
from tests.conftest import complete_values
from tests.factories import verified_staff_login


def task_list_url(assessment):
    return reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk})


def test_the_download_has_one_locked_row_per_activity_a_status_list_and_guidance(
    spoc_client, home_assessment
):
    data = download(spoc_client, home_assessment)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Return", "Evidence references", "Guidance"]
    sheet = book["Return"]
    assert [cell.value for cell in sheet[1]] == [*HEADINGS, "Confirm"]
    codes = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert len(codes) == 50 and codes[0] == "LG01"
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked and sheet["B2"].protection.locked
    assert not sheet["C2"].protection.locked and not sheet["H51"].protection.locked
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert "Not applicable" in lists[0].formula1 and "C2:C51" in str(lists[0].sqref)
    guidance = " ".join(str(v) for row in book["Guidance"].iter_rows(values_only=True) for v in row if v)
    assert "Cleveland Police" in guidance and "DD/MM/YYYY" in guidance


def test_round_trip_export_change_three_cells_preview_and_confirm(spoc_client, world, home_assessment):
    data = download(spoc_client, home_assessment)
    changed = change_cells(
        data,
        {
            "LG01": {
                "implementation_status": "implemented",
                "evidence_summary": "Policy signed off in March",
            },
            "LG02": {"target_date": "31/03/2027"},
        },
    )
    # LG01 needs only status and evidence; LG02 gets a date but no status, so it must be valid too.
    changed = change_cells(
        changed,
        {"LG02": {"implementation_status": "Planned", "next_steps": "Agree it", "action_owner": "DCI"}},
    )
    response = upload(spoc_client, home_assessment, changed)
    assert response.status_code == 302 and response.url == preview_url(home_assessment)
    assert set(revisions(home_assessment).values()) == {0}  # nothing written before confirming

    preview = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "Check the changes from your spreadsheet" in preview
    assert "Saving will change 2 activities" in preview
    assert "Policy signed off in March" in preview and "31 March 2027" in preview
    assert "LG03" not in preview

    response = confirm(spoc_client, home_assessment)
    assert response.status_code == 302 and response.url == task_list_url(home_assessment)
    first = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert first.implementation_status == ImplementationStatus.IMPLEMENTED
    assert first.evidence_summary == "Policy signed off in March"
    assert first.is_complete and first.confirmed and first.updated_by == world.spoc
    second = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG02")
    assert second.target_date == datetime.date(2027, 3, 31) and second.is_complete
    counts = revisions(home_assessment)
    assert counts["LG01"] == counts["LG02"] == 1
    assert sum(counts.values()) == 2
    assert first.history.count() == 2  # created, then saved through the service with history
    page = spoc_client.get(task_list_url(home_assessment)).content.decode()
    assert "2 activities updated from the spreadsheet" in page

    # Downloading again and uploading unchanged finds nothing to change.
    again = download(spoc_client, home_assessment)
    upload(spoc_client, home_assessment, again)
    assert "No changes found in the file" in spoc_client.get(preview_url(home_assessment)).content.decode()


def test_statuses_are_accepted_in_any_case_and_dates_as_real_dates(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment),
        {
            "LG01": {
                "implementation_status": "  in PROGRESS ",
                "next_steps": "Write it",
                "action_owner": "Head of PP",
                "target_date": datetime.datetime.combine(datetime.date(2027, 1, 15), datetime.time()),
            }
        },
    )
    upload(spoc_client, home_assessment, data)
    confirm(spoc_client, home_assessment)
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.implementation_status == ImplementationStatus.IN_PROGRESS
    assert saved.target_date == datetime.date(2027, 1, 15)


def test_a_date_cell_in_a_text_column_reads_in_the_one_date_style(spoc_client, home_assessment):
    """Excel turns "14/01/2026" typed into the evidence summary into a date cell; the answer (and the
    preview) read it as people read dates everywhere else in the service, not "14/01/2026"."""
    data = change_cells(
        download(spoc_client, home_assessment),
        {
            "LG01": {
                "implementation_status": "Implemented",
                "evidence_summary": datetime.datetime(2026, 1, 14),  # noqa: DTZ001 - a date cell
                "next_steps": datetime.datetime(2026, 7, 1, 14, 5),  # noqa: DTZ001 - a date-and-time cell
            }
        },
    )
    upload(spoc_client, home_assessment, data)
    preview = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "14 January 2026" in preview and "1 July 2026 at 14:05" in preview
    assert "14/01/2026" not in preview and "2026-07-01" not in preview
    confirm(spoc_client, home_assessment)
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert (saved.evidence_summary, saved.next_steps) == ("14 January 2026", "1 July 2026 at 14:05")


def test_the_web_forms_rules_apply_with_its_messages_and_nothing_is_written(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment),
        {
            "LG01": {"implementation_status": "Implemented"},
            "LG02": {"implementation_status": "Planned", "action_owner": "DCI", "target_date": "01/01/2027"},
            "LG03": {"implementation_status": "Embedded", "evidence_summary": "Fine"},
        },
    )
    response = upload(spoc_client, home_assessment, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Row 2 (LG01): Evidence summary: {EVIDENCE_REQUIRED}" in page
    assert f"Row 3 (LG02): Next steps: {NEXT_STEPS_REQUIRED}" in page
    assert "There is a problem" in page and "Nothing has been saved" in page
    assert set(revisions(home_assessment).values()) == {0}


def test_a_change_made_after_the_preview_refuses_the_whole_upload(spoc_client, world, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment),
        {
            "LG01": {"implementation_status": "Not started"},
            "LG02": {"implementation_status": "Not started"},
        },
    )
    upload(spoc_client, home_assessment, data)
    lg02 = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG02")
    activity_return_save(
        activity_return_id=lg02.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    page = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "The answers have changed since you uploaded the file" in page
    response = confirm(spoc_client, home_assessment)
    assert response.status_code == 302
    assert revisions(home_assessment)["LG01"] == 0  # LG01 came first and was rolled back
    assert revisions(home_assessment)["LG02"] == 1
    follow = spoc_client.get(response.url).content.decode()
    assert "Nothing has been saved" in follow


def test_a_confirmation_needs_the_token_of_the_preview_shown(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment), {"LG01": {"implementation_status": "Planned"}}
    )
    data = change_cells(data, {"LG01": {"next_steps": "x", "action_owner": "y", "target_date": "1/2/2027"}})
    upload(spoc_client, home_assessment, data)
    response = spoc_client.post(preview_url(home_assessment), {"token": "forged"})
    assert response.status_code == 302 and response.url == preview_url(home_assessment)
    assert set(revisions(home_assessment).values()) == {0}


def test_a_returned_assessment_takes_changes_only_to_reopened_activities(spoc_client, home_assessment):
    Assessment.objects.filter(pk=home_assessment.pk).update(status=WorkflowStatus.RETURNED)
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG02").update(
        reopened_for_changes=True
    )
    data = download(spoc_client, home_assessment)
    sheet = load_workbook(io.BytesIO(data))["Return"]
    assert sheet["C2"].protection.locked and not sheet["C3"].protection.locked
    refused = change_cells(data, {"LG01": {"implementation_status": "Not started"}})
    page = upload(spoc_client, home_assessment, refused).content.decode()
    assert "Row 2 (LG01): this activity is not open for changes" in page
    allowed = change_cells(data, {"LG02": {"implementation_status": "Not started"}})
    upload(spoc_client, home_assessment, allowed)
    confirm(spoc_client, home_assessment)
    assert revisions(home_assessment)["LG02"] == 1 and revisions(home_assessment)["LG01"] == 0


def test_a_submitted_assessment_takes_no_upload(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment), {"LG01": {"implementation_status": "Not started"}}
    )
    upload(spoc_client, home_assessment, data)
    Assessment.objects.filter(pk=home_assessment.pk).update(status=WorkflowStatus.SUBMITTED)
    assert "cannot be changed now" in spoc_client.get(upload_url(home_assessment)).content.decode()
    assert upload(spoc_client, home_assessment, data).status_code == 403
    response = confirm(spoc_client, home_assessment)
    assert response.status_code == 302 and response.url == task_list_url(home_assessment)
    assert set(revisions(home_assessment).values()) == {0}


def test_the_task_list_offers_the_spreadsheet_only_to_a_spoc_who_can_edit(client, world, home_assessment):
    verified_staff_login(client, world.spoc)
    page = client.get(task_list_url(home_assessment)).content.decode()
    assert "Download this return as a spreadsheet" in page and "Upload a completed spreadsheet" in page
    verified_staff_login(client, world.chief_officer)
    page = client.get(task_list_url(home_assessment)).content.decode()
    assert "Upload a completed spreadsheet" not in page


def test_a_chief_officer_downloads_but_cannot_upload(client, world, home_assessment):
    verified_staff_login(client, world.spoc)
    data = change_cells(download(client, home_assessment), {"LG01": {"implementation_status": "Not started"}})
    verified_staff_login(client, world.chief_officer)
    assert client.get(download_url(home_assessment)).status_code == 200
    assert client.get(upload_url(home_assessment)).status_code == 403
    assert upload(client, home_assessment, data).status_code == 403
    assert client.post(preview_url(home_assessment), {"token": "x"}).status_code == 403
    assert set(revisions(home_assessment).values()) == {0}


@pytest.mark.parametrize("who", ["neighbour_spoc", "nobody"])
def test_another_forces_spoc_gets_404_everywhere(client, world, open_round, who):
    from accounts.roles import Role
    from tests.factories import user_with_role

    user = user_with_role(Role.SPOC, force=world.neighbour_force) if who == "neighbour_spoc" else world.nobody
    verified_staff_login(client, user)
    home = Assessment.objects.get(force=world.home_force, round=open_round)
    for url in (download_url(home), upload_url(home), preview_url(home)):
        assert client.get(url).status_code == 404
    assert upload(client, home, b"PK\x03\x04").status_code == 404
    assert set(revisions(home).values()) == {0}


def test_the_preview_without_an_upload_sends_the_user_to_upload(spoc_client, home_assessment):
    response = spoc_client.get(preview_url(home_assessment))
    assert response.status_code == 302 and response.url == upload_url(home_assessment)


def test_formulas_in_the_return_are_escaped_and_survive_a_round_trip(spoc_client, world, home_assessment):
    lg01 = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk,
        values=complete_values(
            evidence_summary='=HYPERLINK("http://evil.example","x")', action_owner="@owner"
        ),
        by=world.spoc,
        expected_revision=0,
    )
    data = download(spoc_client, home_assessment)
    sheet = load_workbook(io.BytesIO(data))["Return"]
    assert sheet["E2"].value == '\'=HYPERLINK("http://evil.example","x")'
    assert sheet["E2"].data_type == "s"
    upload(spoc_client, home_assessment, data)
    assert "No changes found in the file" in spoc_client.get(preview_url(home_assessment)).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, home_assessment):
    for url in (download_url(home_assessment), upload_url(home_assessment), preview_url(home_assessment)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/" in response.url


def count_queries(client, method, url, **data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **data)
    assert response.status_code in (200, 302)
    return len(captured)


def test_spreadsheet_pages_take_a_fixed_handful_of_queries(spoc_client, home_assessment):
    data = change_cells(
        download(spoc_client, home_assessment),
        {code: {"implementation_status": "Not started"} for code in ("LG01", "LG02", "LG03", "LG04")},
    )
    assert count_queries(spoc_client, "get", download_url(home_assessment)) <= 6
    assert count_queries(spoc_client, "get", upload_url(home_assessment)) <= 5
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload_queries = count_queries(
        spoc_client,
        "post",
        upload_url(home_assessment),
        data={"spreadsheet": SimpleUploadedFile("r.xlsx", data)},
    )
    # One query reads every return, however many rows change; one more reads the last sign-off for
    # the evidence-of-change rule.
    assert upload_queries <= 10
    assert count_queries(spoc_client, "get", preview_url(home_assessment)) <= 6


def test_a_reason_beside_another_status_is_shown_going_and_not_saved(spoc_client, world, home_assessment):
    """As on the activity page, a reason for not applying is kept with Not applicable alone: a file that
    changes LG01 from Not applicable to Implemented and leaves the reason shows the reason going, and a
    reason typed beside Planned is not saved (rules.as_kept)."""
    first = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=first.pk,
        values=complete_values("not_applicable", not_applicable_reason="No ports in the force area"),
        by=world.spoc,
        expected_revision=first.revision,
    )
    data = download(spoc_client, home_assessment)
    changed = change_cells(
        data,
        {
            "LG01": {"implementation_status": "Implemented", "evidence_summary": "Port policy adopted"},
            "LG02": {
                "implementation_status": "Planned",
                "not_applicable_reason": "Typed by mistake",
                "next_steps": "Agree it",
                "action_owner": "DCI",
                "target_date": "31/03/2027",
            },
        },
    )
    upload(spoc_client, home_assessment, changed)
    preview = spoc_client.get(preview_url(home_assessment)).content.decode()
    assert "No ports in the force area" in preview  # shown as what the reason says now
    assert "Typed by mistake" not in preview
    confirm(spoc_client, home_assessment)
    saved = dict(
        ActivityReturn.objects.filter(
            assessment=home_assessment, activity__code__in=["LG01", "LG02"]
        ).values_list("activity__code", "not_applicable_reason")
    )
    assert saved == {"LG01": "", "LG02": ""}
