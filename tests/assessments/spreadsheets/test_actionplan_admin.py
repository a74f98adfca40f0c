"""Action plan import and export in the admin: national staff and administrators only, dry run first."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from accounts.roles import Role
from actionplan.models import Activity
from actionplan.resources import ActivityResource
from spreadsheet_safety import FORMULA_TRIGGERS
from tests.factories import verified_staff_login

IMPORT_URL = reverse("admin:actionplan_activity_import")
PROCESS_URL = reverse("admin:actionplan_activity_process_import")
EXPORT_URL = reverse("admin:actionplan_activity_export")
HEADINGS = ["code", "area", "order", "title", "description", "good_looks_like", "evidence_examples"]
XLSX, CSV = "0", "1"  # positions in ActivityAdmin.formats


def plan_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def existing_rows():
    return [
        [a.code, a.area.number, a.order, a.title, a.description, a.good_looks_like, a.evidence_examples]
        for a in Activity.objects.filter(plan__is_current=True).select_related("area")
    ]


def dry_run(client, data: bytes, name="plan.csv", file_format=CSV):
    return client.post(
        IMPORT_URL, {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, data)}
    )


def snapshot():
    return sorted(Activity.objects.values_list("code", "title", "order", "area_id", "description"))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.NATIONAL, True), (Role.ADMINISTRATOR, True), (Role.COORDINATOR, False)],
)
def test_only_national_staff_and_administrators_import_and_export(client, world, action_plan, role, allowed):
    verified_staff_login(client, world.user(role))
    expected = 200 if allowed else 403
    assert client.get(IMPORT_URL).status_code == expected
    assert client.get(EXPORT_URL).status_code == expected
    before = snapshot()
    response = dry_run(client, plan_csv([["LG01", 1, 1, "Changed", "d", "g", "e"]]))
    assert response.status_code == expected
    assert client.post(PROCESS_URL, {}).status_code == expected
    assert snapshot() == before
    changelist = client.get(reverse("admin:actionplan_activity_changelist")).content.decode()
    assert (IMPORT_URL in changelist) is allowed


def test_force_users_cannot_reach_the_admin_import(client, world, action_plan):
    verified_staff_login(client, world.spoc)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "login" in response.url


def test_dry_run_shows_new_changed_and_unchanged_then_confirming_applies_all(client, world, action_plan):
    verified_staff_login(client, world.national)
    rows = existing_rows()
    rows[0][3] = "A new title for the chief officer lead"
    rows.append(["TR99", 5, 99, "A brand new training activity", "d", "g", "e"])
    before = snapshot()
    response = dry_run(client, plan_csv(rows))
    assert response.status_code == 200
    result = response.context["result"]
    totals = result.totals
    assert (totals["new"], totals["update"], totals["skip"]) == (1, 1, 49)
    page = response.content.decode()
    assert (
        "A brand new training activity" in page and "<ins" in page and "<del" in page
    )  # field-by-field diff
    assert snapshot() == before  # a dry run writes nothing

    confirm_form = response.context["confirm_form"]
    response = client.post(PROCESS_URL, {**confirm_form.initial, "resource": "0"})
    assert response.status_code == 302
    assert Activity.objects.get(code="LG01").title == "A new title for the chief officer lead"
    added = Activity.objects.get(code="TR99")
    assert added.plan == action_plan and added.area.number == 5


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["LG1", 1, 1, "t", "d", "g", "e"], "code"),
        (["LG01", 1, 1, "t" * 201, "d", "g", "e"], "title"),
        (["LG99", 7, 1, "t", "d", "g", "e"], "Process area 7 is not in the current action plan"),
        (["LG99", 2, 1, "t", "d", "g", "e"], "Activity codes in process area 2 start with RI"),
        (["LG99", 1, "first", "t", "d", "g", "e"], "Enter the order as a whole number of 1 or more"),
        (["LG99", 1, 0, "t", "d", "g", "e"], "Enter the order as a whole number of 1 or more"),
        (["LG99", 1, 1, "", "d", "g", "e"], "title"),
    ],
)
def test_row_errors_are_listed_by_row_and_column_and_nothing_is_written(
    client, world, action_plan, row, message
):
    verified_staff_login(client, world.national)
    before = snapshot()
    rows = existing_rows()[:3] + [row]
    response = dry_run(client, plan_csv(rows))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 4
    assert message in str(invalid.error_dict) or message in invalid.field_specific_errors
    assert "confirm_form" not in response.context
    assert snapshot() == before


def test_an_import_that_fails_part_way_writes_nothing(world, action_plan):
    import tablib  # type: ignore[import-untyped]

    before = snapshot()
    rows = existing_rows()
    rows[0][3] = "Changed"
    rows.append(["LG99", 1, 1, "", "d", "g", "e"])
    dataset = tablib.Dataset(*rows, headers=HEADINGS)
    result = ActivityResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "plan.xlsx", "password-protected or in the old .xls format"),
        (b"hello, not a zip", "plan.xlsx", "is not an Excel workbook"),
        (b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024), "plan.csv", "It must be smaller than 5 MB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(client, world, action_plan, data, name, message):
    verified_staff_login(client, world.national)
    before = snapshot()
    file_format = XLSX if name.endswith("xlsx") else CSV
    response = dry_run(client, data, name=name, file_format=file_format)
    assert message in response.content.decode()
    assert snapshot() == before


def test_xlsx_import_works_too(client, world, action_plan):
    verified_staff_login(client, world.administrator)
    book = Workbook()
    book.active.append(HEADINGS)
    for row in existing_rows():
        book.active.append(row)
    book.active["D2"] = "Changed through xlsx"
    output = io.BytesIO()
    book.save(output)
    response = dry_run(client, output.getvalue(), name="plan.xlsx", file_format=XLSX)
    assert response.context["result"].totals["update"] == 1
    client.post(PROCESS_URL, {**response.context["confirm_form"].initial, "resource": "0"})
    assert Activity.objects.get(code="LG01").title == "Changed through xlsx"


def test_the_export_escapes_formulas_in_xlsx_and_csv(client, world, action_plan):
    Activity.objects.filter(code="LG01").update(title='=HYPERLINK("http://evil.example")', description="@cmd")
    verified_staff_login(client, world.national)
    fields = {f"activityresource_{name}": "on" for name in HEADINGS}
    for file_format in (XLSX, CSV):
        response = client.post(EXPORT_URL, {"format": file_format, "resource": "0", **fields})
        assert response.status_code == 200, response.content[:500]
        if file_format == XLSX:
            rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        else:
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 51
        cells = [value for row in rows for value in row if isinstance(value, str)]
        assert not [value for value in cells if value.startswith(FORMULA_TRIGGERS)]
        assert '\'=HYPERLINK("http://evil.example")' in cells


def test_a_file_that_fails_at_confirmation_is_rolled_back_and_says_so(client, world, action_plan):
    verified_staff_login(client, world.national)
    rows = existing_rows()
    rows[0][3] = "Changed at the dry run"
    rows.append(["TR99", 5, 99, "New", "d", "g", "e"])
    response = dry_run(client, plan_csv(rows))
    before = snapshot()
    # Something makes TR99 fail only at the confirmation; a signal stands in for it.
    from django.db.models.signals import pre_save

    def refuse(sender, instance, **kwargs):
        if instance.code == "TR99":
            raise ValueError("database refused the row")

    pre_save.connect(refuse, sender=Activity)
    try:
        response = client.post(PROCESS_URL, {**response.context["confirm_form"].initial, "resource": "0"})
    finally:
        pre_save.disconnect(refuse, sender=Activity)
    assert response.status_code == 302 and response.url == IMPORT_URL
    assert snapshot() == before
    assert "Nothing was changed" in client.get(IMPORT_URL).content.decode()


def test_a_file_without_the_code_column_is_refused(client, world, action_plan):
    verified_staff_login(client, world.national)
    before = snapshot()
    data = b"title,area\nSomething,1\n"
    response = dry_run(client, data)
    page = response.content.decode()
    assert "code" in page and "confirm_form" not in response.context
    assert snapshot() == before


def test_more_than_10000_rows_are_refused(client, world, action_plan):
    verified_staff_login(client, world.national)
    before = snapshot()
    rows = [[f"LG{n % 100:02d}", 1, n, "t", "d", "g", "e"] for n in range(10_001)]
    response = dry_run(client, plan_csv(rows))
    assert "The file has more than 10,000 rows" in response.content.decode()
    assert "confirm_form" not in response.context
    assert snapshot() == before
