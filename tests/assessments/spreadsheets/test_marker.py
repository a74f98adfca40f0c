"""A workbook for another force, round or version, or with a changed marker, is refused by name."""

from __future__ import annotations

import io

from django.core import signing
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.packaging.custom import StringProperty  # type: ignore[import-untyped]

from assessments.models import Assessment
from assessments.spreadsheets.marker import MARKER_PROPERTY
from assessments.spreadsheets.offline import return_workbook
from tests.assessments.spreadsheets.conftest import (
    change_cells,
    download,
    preview_url,
    revisions,
    save,
    upload,
)

A_CHANGE = {"LG01": {"implementation_status": "implemented", "evidence_summary": "Policy signed off"}}


def assert_refused_with(client, assessment, data, message):
    response = upload(client, assessment, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page, page[page.find("govuk-error-summary") :][:1500]
    assert set(revisions(assessment).values()) == {0}
    assert f"return_upload:{assessment.pk}" not in client.session


def marker_of(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return next(p.value for p in book.custom_doc_props.props if p.name == MARKER_PROPERTY)


def with_marker(data: bytes, value) -> bytes:
    book = load_workbook(io.BytesIO(data))
    book.custom_doc_props.props = [p for p in book.custom_doc_props.props if p.name != MARKER_PROPERTY]
    if value is not None:
        book.custom_doc_props.append(StringProperty(name=MARKER_PROPERTY, value=value))
    return save(book)


def test_the_right_file_is_accepted(spoc_client, home_assessment):
    data = change_cells(download(spoc_client, home_assessment), A_CHANGE)
    response = upload(spoc_client, home_assessment, data)
    assert response.status_code == 302 and response.url == preview_url(home_assessment)


def test_another_forces_file_is_refused_and_names_both_forces(
    spoc_client, world, open_round, home_assessment
):
    durham = Assessment.objects.get(force=world.neighbour_force, round=open_round)
    data = change_cells(return_workbook(assessment=durham), A_CHANGE)
    assert_refused_with(
        spoc_client,
        home_assessment,
        data,
        f"This spreadsheet is for Durham Constabulary, {open_round.name}. "
        "Download the spreadsheet for Cleveland Police and copy your answers into it.",
    )


def test_a_changed_marker_is_refused(spoc_client, world, open_round, home_assessment):
    durham = Assessment.objects.get(force=world.neighbour_force, round=open_round)
    data = change_cells(download(spoc_client, home_assessment), A_CHANGE)
    value = marker_of(data)
    payload, _, signature = value.rpartition(":")
    # Durham's marker with Cleveland's signature, and a marker signed with another key.
    durham_payload = signing.dumps({"assessment": durham.pk}, salt="x").rpartition(":")[0]
    forged = signing.dumps(
        {"force": "cleveland", "assessment": home_assessment.pk, "version": 1}, key="not-the-service-key"
    )
    for tampered in (f"{durham_payload}:{signature}", forged, payload):
        assert_refused_with(
            spoc_client,
            home_assessment,
            with_marker(data, tampered),
            "This spreadsheet has been changed in a way that means it cannot be used.",
        )


def test_a_file_without_a_marker_is_refused(spoc_client, open_round, home_assessment):
    data = with_marker(change_cells(download(spoc_client, home_assessment), A_CHANGE), None)
    assert_refused_with(
        spoc_client,
        home_assessment,
        data,
        f"This spreadsheet was not downloaded from this service for Cleveland Police, {open_round.name}.",
    )


def test_a_file_from_an_earlier_version_is_refused(spoc_client, home_assessment):
    data = change_cells(download(spoc_client, home_assessment), A_CHANGE)
    # A reopen makes a new version; only the version number matters to the marker.
    Assessment.objects.filter(pk=home_assessment.pk).update(version=2)
    assert_refused_with(
        spoc_client,
        home_assessment,
        data,
        "This spreadsheet is from version 1 of this assessment, which has been reopened since as version 2.",
    )
