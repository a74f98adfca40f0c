"""One rule for "what changed since the last sign-off", used by the review page and the force report."""

from __future__ import annotations

import datetime

import pytest

from assessments import workflow
from assessments.answers import Answer, answer_json
from assessments.changes import answer_change, evidence_change_note, status_change
from assessments.models import Assessment, AssessmentSnapshot
from assessments.reports.data import force_report_data
from assessments.selectors.review import ReviewReturn, compare
from assessments.services import round_open
from tests.assessments.reports.conftest import fill

SIGNED: Answer = {
    "implementation_status": "in_progress",
    "not_applicable_reason": "",
    "evidence_summary": "Training records and audits",
    "evidence_references": [
        {"title": "Audit", "location": "Intranet", "applies_on": "2026-03-01"},
        {"title": "Policy", "location": "", "applies_on": ""},
    ],
    "next_steps": "Train the remaining teams",
    "action_owner": "Head of public protection",
    "target_date": datetime.date(2027, 3, 31),
}


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        ("planned", "implemented", "up"),
        ("embedded", "not_started", "down"),
        ("implemented", "implemented", "same"),
        ("", "", "same"),
        ("not_applicable", "embedded", "other"),
        ("planned", "not_applicable", "other"),
        ("", "planned", "other"),
    ],
)
def test_status_moves_up_or_down_the_scale_or_off_it(before, now, expected):
    assert status_change(before, now) == expected
    assert (
        answer_change(
            {**SIGNED, "implementation_status": now}, {**SIGNED, "implementation_status": before}
        ).status
        == expected
    )


def test_nothing_signed_off_before_is_new_with_whatever_the_answer_holds():
    change = answer_change(SIGNED, None)
    assert change.status == "new"
    assert change.evidence_changed
    assert "not_applicable_reason" not in change.fields
    assert not answer_change(
        {**SIGNED, "evidence_summary": "", "evidence_references": []}, None
    ).evidence_changed


def test_an_unchanged_answer_has_no_changed_fields():
    change = answer_change(SIGNED, dict(SIGNED))
    assert (change.status, change.fields, change.evidence_changed) == ("same", (), False)


def test_spacing_and_line_endings_are_not_a_change():
    respaced = {
        **SIGNED,
        "evidence_summary": " Training records\r\nand  audits\n",
        "next_steps": "Train the remaining teams ",
    }
    assert answer_change(respaced, SIGNED).fields == ()


def test_changed_words_are_a_change_named_by_field():
    change = answer_change(
        {**SIGNED, "evidence_summary": "A new audit", "action_owner": "Someone else"}, SIGNED
    )
    assert change.fields == ("evidence_summary", "action_owner")
    assert change.evidence_changed


@pytest.mark.parametrize(
    "references",
    [
        [SIGNED["evidence_references"][0]],  # one removed
        [*SIGNED["evidence_references"], {"title": "New", "location": "", "applies_on": ""}],  # one added
        [{**SIGNED["evidence_references"][0], "applies_on": "2026-09-01"}, SIGNED["evidence_references"][1]],
    ],
    ids=["removed", "added", "redated"],
)
def test_an_added_removed_or_edited_reference_is_changed_evidence(references):
    change = answer_change({**SIGNED, "evidence_references": references}, SIGNED)
    assert change.fields == ("evidence_references",) and change.evidence_changed


def test_reordered_references_or_a_missing_empty_field_are_not_a_change():
    first, second = SIGNED["evidence_references"]
    same = [{"title": "Policy"}, first]  # reordered, and the second's empty fields left out
    assert not answer_change({**SIGNED, "evidence_references": same}, SIGNED).evidence_changed
    assert second == {"title": "Policy", "location": "", "applies_on": ""}


def test_a_new_target_date_is_a_change_but_not_of_evidence():
    change = answer_change({**SIGNED, "target_date": datetime.date(2027, 6, 30)}, SIGNED)
    assert change.fields == ("target_date",) and not change.evidence_changed


@pytest.fixture
def signed_off(world, home_assessment):
    """Cleveland's assessment answered in full (tests.assessments.reports.conftest.fill) and signed off."""
    fill(home_assessment, world.spoc)
    workflow.submit(home_assessment, by=world.spoc)
    return workflow.sign_off(home_assessment, by=world.coordinator, comment="Signed")


def review_return(answer: Answer) -> ReviewReturn:
    return ReviewReturn(code="LG01", title="t", carried_forward=False, reopened_for_changes=False, **answer)


def test_the_review_page_asks_the_same_rule_of_a_snapshots_json():
    removed = {**SIGNED, "evidence_references": SIGNED["evidence_references"][:1]}
    assert compare(review_return(removed), answer_json(SIGNED)) == ("same", True)
    respaced = {**SIGNED, "evidence_summary": "Training records\nand audits"}
    assert compare(review_return(respaced), answer_json(SIGNED)) == ("same", False)
    assert compare(review_return(SIGNED), None) == ("new", True)


def test_the_report_counts_a_removed_reference_as_changed_evidence(world, signed_off, action_plan):
    """The report used to list only added references; it now says what the review page says."""
    snapshot = AssessmentSnapshot.objects.get(assessment=signed_off)
    data = snapshot.data
    lg02 = next(row for row in data["returns"] if row["activity_code"] == "LG02")
    lg02["evidence_references"] = [{"title": "Withdrawn", "location": "", "applies_on": ""}]
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(data=data)
    later = round_open(
        name="2027-28 spring review",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 30),
        opened_by=world.national,
    ).round
    assessment = Assessment.objects.get(force=world.home_force, round=later)
    fill(assessment, world.spoc)
    current = assessment.returns.get(activity__code="LG02")
    assert current.evidence_references == [{"title": "Withdrawn", "location": "", "applies_on": ""}]
    current.evidence_references = []
    current.save()
    changes = force_report_data(assessment=assessment, today=datetime.date(2027, 5, 1)).changes
    assert changes is not None
    assert [change.code for change in changes.new_evidence] == ["LG02"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"evidence_summary": "Training records, audits and dip samples"}, "Evidence summary updated"),
        ({"evidence_summary": "  Training records\r\nand audits "}, ""),
        ({"next_steps": "Something else"}, ""),
        (
            {
                "evidence_references": [
                    *SIGNED["evidence_references"],
                    {"title": "Minutes", "location": "", "applies_on": ""},
                ]
            },
            "1 reference added",
        ),
        ({"evidence_references": []}, "2 references removed"),
        (
            {
                "evidence_summary": "New words",
                "evidence_references": [
                    {"title": "Audit 2", "location": "Intranet", "applies_on": "2026-03-01"},
                    {"title": "Policy", "location": "", "applies_on": ""},
                ],
            },
            "Evidence summary updated; 1 reference added; 1 reference removed",
        ),
    ],
)
def test_evidence_change_note_says_what_changed_in_a_few_words(changes, expected):
    assert evidence_change_note({**SIGNED, **changes}, SIGNED) == expected


def test_evidence_change_note_when_nothing_was_signed_off_or_the_summary_is_emptied():
    assert evidence_change_note(SIGNED, None) == "Evidence summary added; 2 references added"
    assert evidence_change_note({**SIGNED, "evidence_summary": ""}, SIGNED) == "Evidence summary removed"
