"""One answer type and one list of its fields, from the activity form's POST to the signed-off report."""

from __future__ import annotations

import datetime
import typing

from django.urls import reverse

from assessments import answers
from assessments.answers import (
    ANSWER_FIELDS,
    FIELD_HEADINGS,
    SINGLE_VALUE_FIELDS,
    TEXT_FIELDS,
    Answer,
    AnswerJSON,
    answer_from_json,
    answer_json,
    answer_of,
    answer_with,
    date_from,
    empty_answer,
    evidence_references_from,
)
from assessments.forms import ActivityReturnForm
from assessments.models import ActivityReturn, AssessmentSnapshot
from assessments.reports.data import force_report_data
from assessments.spreadsheets.exports import EXPORT_COLUMNS
from assessments.spreadsheets.offline import COLUMNS
from tests.conftest import complete_values, form_post, sign_off_for_test

FULL: Answer = {
    "implementation_status": "in_progress",
    "not_applicable_reason": "",
    "evidence_summary": "Training records\nand audits – é",
    "evidence_references": [{"title": "Audit", "location": "Intranet", "applies_on": "2026-03-01"}],
    "next_steps": "Train the remaining teams",
    "action_owner": "Head of public protection",
    "target_date": datetime.date(2027, 3, 31),
}


def test_the_field_list_is_the_answer_types_fields_in_order():
    assert ANSWER_FIELDS == tuple(typing.get_type_hints(Answer)) == tuple(typing.get_type_hints(AnswerJSON))
    assert tuple(empty_answer()) == ANSWER_FIELDS
    assert tuple(name for name in ANSWER_FIELDS if name != "evidence_references") == SINGLE_VALUE_FIELDS
    assert set(TEXT_FIELDS) < set(SINGLE_VALUE_FIELDS)
    assert tuple(FIELD_HEADINGS) == SINGLE_VALUE_FIELDS


def test_the_spreadsheet_and_the_export_have_a_column_for_each_single_value_field():
    assert [name for name, _heading, editable in COLUMNS if editable] == list(SINGLE_VALUE_FIELDS)
    exported = [column for _heading, column in EXPORT_COLUMNS]
    assert [column for column in exported if column in ANSWER_FIELDS] == list(SINGLE_VALUE_FIELDS)


def test_an_answer_survives_the_trip_through_json():
    data = answer_json(FULL)
    assert data["target_date"] == "2027-03-31"
    assert answer_from_json(data) == FULL
    assert answer_from_json(answer_json(empty_answer())) == empty_answer()


def test_json_is_read_generously():
    read = answer_from_json(
        {
            "implementation_status": None,
            "evidence_summary": "Kept",
            "evidence_references": [{"title": "Only a title"}, "not a reference", None],
            "target_date": "31/03/2027",
            "unexpected": "ignored",
        }
    )
    assert read == {
        **empty_answer(),
        "evidence_summary": "Kept",
        "evidence_references": [{"title": "Only a title", "location": "", "applies_on": ""}],
    }
    assert evidence_references_from("not a list") == []
    assert date_from(datetime.date(2027, 1, 2)) == date_from("2027-01-02") == datetime.date(2027, 1, 2)
    assert date_from(datetime.datetime(2027, 1, 2, 13, 0, tzinfo=datetime.UTC)) == datetime.date(2027, 1, 2)
    assert date_from("2027-02-30") is None and date_from(20270102) is None


def test_answer_with_replaces_only_answer_fields():
    changed = answer_with(FULL, {"next_steps": "Something else", "revision": 7, "is_complete": True})
    assert changed == {**FULL, "next_steps": "Something else"}
    assert tuple(changed) == ANSWER_FIELDS
    assert FULL["next_steps"] == "Train the remaining teams"  # the original is untouched


def test_a_returns_answer_is_read_as_stored_and_shares_nothing(home_assessment):
    activity_return = home_assessment.returns.get(activity__code="LG01")
    activity_return.evidence_references = [{"title": "Untidy", "extra": "kept as stored"}]
    answer = answer_of(activity_return)
    assert answer["evidence_references"] == [{"title": "Untidy", "extra": "kept as stored"}]
    answer["evidence_references"][0]["title"] = "Changed"
    assert activity_return.evidence_references[0]["title"] == "Untidy"


def test_the_activity_forms_answer_has_the_seven_fields_and_nothing_else():
    data = form_post(FULL, revision=3)
    form = ActivityReturnForm(data)
    assert form.is_valid(), form.errors
    answer = form.answer(references=FULL["evidence_references"])
    assert tuple(answer) == ANSWER_FIELDS
    assert answer == FULL


def test_the_answer_posted_is_the_answer_the_signed_off_report_shows(client, world, home_assessment):
    """The straight line: form → services.activity_return_save → snapshot → report, one Answer throughout."""
    client.force_login(world.spoc)
    references = [("Audit", "Intranet", datetime.date(2026, 3, 1))]
    response = client.post(
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": "LG01"}),
        form_post(FULL, revision=0, references=references),
    )
    assert response.status_code == 302
    stored = answer_of(ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01"))
    assert stored == FULL
    signed = sign_off_for_test(home_assessment, world.coordinator)
    snapshot = AssessmentSnapshot.objects.get(assessment=signed)
    recorded = next(row for row in snapshot.data["returns"] if row["activity_code"] == "LG01")
    assert {name: recorded[name] for name in ANSWER_FIELDS} == answer_json(FULL)
    report = force_report_data(assessment=signed, snapshot=snapshot)
    row = next(row for area in report.areas for row in area.rows if row.code == "LG01")
    assert row.answer == FULL
    assert row.status_label == "In progress"


def test_saving_a_partial_answer_keeps_the_fields_it_leaves_out(world, home_assessment):
    """Older callers pass only some fields; the rest keep their stored values."""
    from assessments.services import activity_return_save

    target = home_assessment.returns.get(activity__code="LG02")
    ActivityReturn.objects.filter(pk=target.pk).update(evidence_references=FULL["evidence_references"])
    saved = activity_return_save(
        activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    assert saved.evidence_references == FULL["evidence_references"]
    assert answers.answer_of(saved)["implementation_status"] == "implemented"
