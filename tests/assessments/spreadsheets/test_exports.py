"""Round-wide exports: who gets which forces, what each row holds, and formula escaping in every export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]

from assessments.models import ActivityReturn, Assessment, Force, Region
from assessments.services import activity_return_save
from assessments.spreadsheets.exports import HEADINGS
from spreadsheet_safety import FORMULA_TRIGGERS, escape_cell, unescape_cell
from tests.assessments.spreadsheets.conftest import csv_cells, download, xlsx_cells
from tests.conftest import complete_values
from tests.factories import verified_staff_login

NASTY = ["=1+1", "+44 20 7946 0000", "-2", "@SUM(A1:A2)", "\tTabbed", "\rReturned", '=HYPERLINK("http://x")']


def national_url(round_id, file_format):
    return reverse("assessments:round_export", kwargs={"round_id": round_id, "file_format": file_format})


def region_url(round_id, region, file_format):
    return reverse(
        "assessments:region_round_export",
        kwargs={"round_id": round_id, "region_slug": region.slug, "file_format": file_format},
    )


def csv_rows(content):
    import csv

    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content):
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_escaping_prefixes_a_quote_and_reading_back_removes_it():
    for value in NASTY:
        assert escape_cell(value) == "'" + value
        assert unescape_cell(escape_cell(value)) == value
    assert escape_cell("Plain text") == "Plain text" and escape_cell(5) == 5
    assert unescape_cell("'quoted but harmless") == "'quoted but harmless"


def test_national_staff_export_every_force_one_row_per_activity(client, world, open_round):
    verified_staff_login(client, world.national)
    rows = csv_rows(client.get(national_url(open_round.pk, "csv")).content)
    assert rows[0] == HEADINGS
    assert len(rows) == 1 + 3 * 50
    assert {row[1] for row in rows[1:]} == {"Cleveland Police", "Durham Constabulary", "Gwent Police"}
    sheet = xlsx_rows(client.get(national_url(open_round.pk, "xlsx")).content)
    assert sheet[0] == HEADINGS and len(sheet) == 1 + 3 * 50


def test_a_row_holds_status_evidence_plan_workflow_and_sign_off(client, world, home_assessment):
    from django.utils import timezone

    lg01 = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    Assessment.objects.filter(pk=home_assessment.pk).update(
        status="signed_off",
        signed_off_by=world.coordinator,
        signed_off_at=timezone.now(),
        signed_off_role="Regional coordinator",
    )
    verified_staff_login(client, world.coordinator)
    response = client.get(region_url(home_assessment.round_id, world.home_region, "csv"))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="2026-27-autumn-review-north-east.csv"'
    )
    row = dict(
        zip(
            HEADINGS,
            next(r for r in csv_rows(response.content) if r[4] == "LG01" and r[1] == "Cleveland Police"),
            strict=True,
        )
    )
    assert row["Implementation status"] == "Implemented"
    assert row["Evidence summary"] == "Policy approved by chief officers in March 2026"
    assert row["Next steps"] == "Roll out to all districts" and row["Target date"] == "2027-03-31"
    assert row["Complete"] == "Yes" and row["Workflow status"] == "Signed off"
    assert row["Signed off by"] == "Casey Coordinator" and row["Signed off as"] == "Regional coordinator"
    xrow = next(
        r
        for r in xlsx_rows(
            client.get(region_url(home_assessment.round_id, world.home_region, "xlsx")).content
        )
        if r[4] == "LG01" and r[1] == "Cleveland Police"
    )
    assert xrow[HEADINGS.index("Target date")].date().isoformat() == "2027-03-31"
    # Real date cells, shown in the service's date style.
    sheet = load_workbook(
        io.BytesIO(client.get(region_url(home_assessment.round_id, world.home_region, "xlsx")).content)
    ).active
    cells = next(
        r for r in sheet.iter_rows(min_row=2) if r[4].value == "LG01" and r[1].value == "Cleveland Police"
    )
    assert cells[HEADINGS.index("Target date")].number_format == "d mmmm yyyy"
    assert cells[HEADINGS.index("Signed off at")].number_format == "d mmmm yyyy hh:mm"
    assert cells[HEADINGS.index("Signed off at")].is_date


def test_a_coordinator_exports_their_own_region_only(client, world, open_round):
    verified_staff_login(client, world.coordinator)
    rows = csv_rows(client.get(region_url(open_round.pk, world.home_region, "csv")).content)
    assert {row[1] for row in rows[1:]} == {"Cleveland Police", "Durham Constabulary"}
    assert client.get(region_url(open_round.pk, world.other_region, "csv")).status_code == 404
    assert client.get(national_url(open_round.pk, "csv")).status_code == 404
    assert client.get(region_url(open_round.pk + 99, world.home_region, "csv")).status_code == 404
    assert client.get(region_url(open_round.pk, world.home_region, "pdf")).status_code == 404


@pytest.mark.parametrize("who", ["spoc", "chief_officer", "nobody"])
def test_force_users_get_no_round_export(client, world, open_round, who):
    verified_staff_login(client, getattr(world, who))
    assert client.get(region_url(open_round.pk, world.home_region, "xlsx")).status_code == 404
    assert client.get(national_url(open_round.pk, "xlsx")).status_code == 404
    assert client.get(reverse("assessments:round_exports")).status_code == 404


def test_the_exports_page_lists_what_each_user_may_take(client, world, open_round):
    verified_staff_login(client, world.coordinator)
    page = client.get(reverse("assessments:round_exports")).content.decode()
    assert region_url(open_round.pk, world.home_region, "csv") in page
    assert region_url(open_round.pk, world.other_region, "csv") not in page
    assert national_url(open_round.pk, "csv") not in page
    verified_staff_login(client, world.national)
    page = client.get(reverse("assessments:round_exports")).content.decode()
    assert national_url(open_round.pk, "xlsx") in page


def test_an_export_takes_the_same_few_queries_however_many_forces(client, world, open_round, action_plan):
    from tests.factories import ForceFactory

    verified_staff_login(client, world.national)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(national_url(open_round.pk, "csv")).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        force = Force.objects.get(pk=ForceFactory(region=world.home_region).pk)
        assessment = Assessment.objects.create(force=force, round=open_round)
        ActivityReturn.objects.bulk_create(
            ActivityReturn(assessment=assessment, activity=a) for a in action_plan.activities.all()
        )
    assert queries() == before


@pytest.fixture
def nasty_world(world, home_assessment):
    """Text starting with every formula trigger, in returns, force, region and round names."""
    Force.objects.filter(pk=world.home_force.pk).update(name="=cmd|' /C calc'!A0")
    Region.objects.filter(pk=world.home_region.pk).update(name="@North East")
    home_assessment.round.__class__.objects.filter(pk=home_assessment.round_id).update(name="-round")
    returns = ActivityReturn.objects.filter(assessment=home_assessment).order_by(
        "activity__area__number", "activity__order"
    )
    for value, activity_return in zip(NASTY, returns, strict=False):
        ActivityReturn.objects.filter(pk=activity_return.pk).update(
            implementation_status="not_applicable",
            not_applicable_reason=value,
            evidence_summary=value,
            next_steps=value,
            action_owner=value,
        )
    home_assessment.refresh_from_db()
    return home_assessment


def assert_no_formula(cells):
    seen = 0
    for value in cells:
        if isinstance(value, str):
            seen += 1
            assert not value.startswith(FORMULA_TRIGGERS), repr(value)
    assert seen


def test_every_cell_of_every_export_is_neutralised(client, world, nasty_world):
    verified_staff_login(client, world.national)
    round_id = nasty_world.round_id
    for url in (national_url(round_id, "csv"), region_url(round_id, world.home_region, "csv")):
        content = client.get(url).content
        assert_no_formula(csv_cells(content))
        assert "'=cmd|' /C calc'!A0" in content.decode("utf-8-sig")
    for url in (national_url(round_id, "xlsx"), region_url(round_id, world.home_region, "xlsx")):
        content = client.get(url).content
        assert_no_formula(xlsx_cells(content))
        assert "'@North East" in list(xlsx_cells(content))
    verified_staff_login(client, world.spoc)
    offline = download(client, nasty_world)
    assert_no_formula(xlsx_cells(offline))
    assert "'@SUM(A1:A2)" in list(xlsx_cells(offline))


def test_the_overviews_link_to_this_rounds_exports(client, world, open_round):
    verified_staff_login(client, world.coordinator)
    page = client.get(
        reverse("assessments:region_overview", kwargs={"region_slug": "north-east"})
    ).content.decode()
    assert region_url(open_round.pk, world.home_region, "xlsx") in page
    assert region_url(open_round.pk, world.home_region, "csv") in page
    verified_staff_login(client, world.national)
    page = client.get(reverse("assessments:national_overview")).content.decode()
    assert national_url(open_round.pk, "xlsx") in page and national_url(open_round.pk, "csv") in page


def test_the_overviews_link_to_the_exports_page(client, world, open_round):
    exports_page = reverse("assessments:round_exports")
    verified_staff_login(client, world.national)
    national = client.get(reverse("assessments:national_overview")).content.decode()
    assert f'href="{exports_page}"' in national
    client.logout()
    verified_staff_login(client, world.coordinator)
    region = client.get(reverse("assessments:region_overview", kwargs={"region_slug": "north-east"}))
    link = f'href="{exports_page}?region=north-east"'
    assert link in region.content.decode()
    assert "North East" in client.get(f"{exports_page}?region=north-east").content.decode()


def test_a_row_says_what_it_rests_on_and_where_it_came_from(client, world, home_assessment, action_plan):
    """Issue 15, item 5: references, carried forward/confirmed, submitted by/at, last round, action, basis."""
    import datetime

    from django.utils import timezone

    from assessments.services import action_close, round_open
    from tests.assessments.workflow_states import make_complete
    from tests.conftest import sign_off_for_test

    make_complete(home_assessment)
    for code, status in (("LG01", "in_progress"), ("LG02", "planned"), ("LG03", "implemented")):
        target = ActivityReturn.objects.get(assessment=home_assessment, activity__code=code)
        activity_return_save(
            activity_return_id=target.pk,
            values=complete_values(
                status,
                target_date=datetime.date(2020, 1, 31),
                evidence_references=[
                    {"title": "Policy", "location": "=HYPERLINK(x)", "applies_on": "2026-03-01"}
                ],
            ),
            by=world.spoc,
            expected_revision=target.revision,
        )
    done = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG02").action
    action_close(action_id=done.pk, how="done", by=world.spoc)
    Assessment.objects.filter(pk=home_assessment.pk).update(
        submitted_by=world.spoc, submitted_at=timezone.now()
    )
    sign_off_for_test(home_assessment, world.coordinator)
    spring = round_open(
        name="Spring 27",
        plan=action_plan,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 1),
        opened_by=world.national,
    ).round
    verified_staff_login(client, world.national)
    rows = csv_rows(client.get(national_url(spring.pk, "csv")).content)
    assert rows[0] == HEADINGS
    by_code = {r[4]: dict(zip(HEADINGS, r, strict=True)) for r in rows[1:] if r[1] == "Cleveland Police"}
    lg01, lg02, lg03 = by_code["LG01"], by_code["LG02"], by_code["LG03"]
    assert lg01["Evidence references"] == "Policy – =HYPERLINK(x) – 2026-03-01"
    assert lg01["Carried forward"] == "Yes" and lg01["Confirmed this round"] == "No"
    assert lg01["Previous round's status"] == "In progress"
    assert lg01["Action"] == "overdue" and lg02["Action"] == "done" and lg03["Action"] == "none"
    assert lg01["Basis"] == "Self-declared draft"
    # The autumn round's own export: submitted by/at and signed off.
    autumn = {
        r[4]: dict(zip(HEADINGS, r, strict=True))
        for r in csv_rows(client.get(national_url(home_assessment.round_id, "csv")).content)[1:]
        if r[1] == "Cleveland Police"
    }
    assert autumn["LG01"]["Submitted by"] == "Sam Spoc" and autumn["LG01"]["Submitted at"]
    assert autumn["LG01"]["Basis"] == "Signed off" and autumn["LG01"]["Previous round's status"] == ""
