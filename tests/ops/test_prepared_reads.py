"""PreparedRead gives exactly what the ORM gives for the same QuerySet, builds its SQL once per
connection, and refuses values it cannot take. The suite runs on SQLite and on PostgreSQL, so each
comparison holds on both."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Subquery
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import ActivityReturn, AssessmentEvent, AssessmentSnapshot, Round
from assessments.selectors.review import REVIEW_RETURN_FIELDS
from ops.prepared_reads import PreparedRead
from tests.assessments.test_admin_review import submitted
from tests.conftest import complete_values, sign_off_for_test


def returns_read(assessment_id):
    return (
        ActivityReturn.objects.filter(assessment_id=assessment_id)
        .order_by("activity__area__number", "activity__order")
        .values_list(*REVIEW_RETURN_FIELDS)
    )


@pytest.fixture
def answered(world, home_assessment):
    """Cleveland's assessment with varied answers: references (JSON), target dates, blanks."""
    for index, activity_return in enumerate(home_assessment.returns.all()[:6]):
        services.activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(
                ["planned", "implemented", "not_applicable"][index % 3],
                target_date=datetime.date(2027, 1 + index, 1) if index % 2 else None,
                evidence_references=[
                    {
                        "title": f"Policy {index} <b>",
                        "location": "Intranet",
                        "applies_on": "2026-10-0" + str(index + 1),
                    }
                ],
            ),
            by=world.spoc,
            expected_revision=activity_return.revision,
        )
    return home_assessment


def test_rows_are_what_values_list_gives(answered, world):
    read = PreparedRead(returns_read, "assessment_id")
    expected = list(returns_read(answered.pk))
    assert read.rows(assessment_id=answered.pk) == expected
    assert any(row[5] for row in expected), "references decoded from JSON are compared"
    assert any(row[8] for row in expected), "target dates are compared"
    # Another force's assessment, through the same compiled read, gives its own rows.
    other = world.neighbour_force.assessments.get()
    assert read.rows(assessment_id=other.pk) == list(returns_read(other.pk))
    assert read.rows(assessment_id=0) == []


def test_times_and_a_subquery_come_back_as_the_orm_gives_them(answered, world):
    sign_off_for_test(submitted(answered, world.spoc), world.coordinator)

    def snapshots(force_id, round_id):
        opens_on = Round.objects.filter(pk=round_id).values("opens_on")[:1]
        return (
            AssessmentSnapshot.objects.filter(
                assessment__force_id=force_id, assessment__round__opens_on__lte=Subquery(opens_on)
            )
            .order_by("-created_at")
            .values_list("pk", "version", "created_at", "data")
        )

    events = PreparedRead(
        lambda assessment_id: (
            AssessmentEvent.objects.filter(assessment_id=assessment_id)
            .order_by("created_at", "pk")
            .values_list("pk", "created_at", "actor_name", "to_status")
        ),
        "assessment_id",
    )
    found = list(snapshots(world.home_force.pk, answered.round_id))
    assert found and isinstance(found[0][2], datetime.datetime) and isinstance(found[0][3], dict)
    assert (
        PreparedRead(snapshots, "force_id", "round_id").rows(
            force_id=world.home_force.pk, round_id=answered.round_id
        )
        == found
    )
    expected_events = list(
        AssessmentEvent.objects.filter(assessment_id=answered.pk)
        .order_by("created_at", "pk")
        .values_list("pk", "created_at", "actor_name", "to_status")
    )
    assert expected_events and events.rows(assessment_id=answered.pk) == expected_events


def test_a_value_compared_with_a_range_is_kept(answered, world):
    """Django drops a lookup whose value lies outside the column's range (version >= -1 is always
    true), so the stand-ins must lie inside it: here `version >= v` really filters."""
    read = PreparedRead(
        lambda assessment_id, version: AssessmentEvent.objects.filter(
            assessment_id=assessment_id, version__gte=version
        ).values_list("pk"),
        "assessment_id",
        "version",
    )
    submitted(answered, world.spoc)
    assert read.rows(assessment_id=answered.pk, version=1)
    assert read.rows(assessment_id=answered.pk, version=2) == []


def test_the_sql_is_built_once_and_each_run_is_one_counted_query(answered):
    built = []

    def build(assessment_id):
        built.append(assessment_id)
        return returns_read(assessment_id)

    read = PreparedRead(build, "assessment_id")
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            read.rows(assessment_id=answered.pk)
        assert len(captured.captured_queries) == 1
    assert len(built) == 1


def test_the_converters_are_found_once_and_rows_still_match(answered, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    found = []
    original = SQLCompiler.get_converters

    def counting(self, expressions):
        found.append(len(expressions))
        return original(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    read = PreparedRead(returns_read, "assessment_id")
    runs = [read.rows(assessment_id=answered.pk) for _ in range(3)]
    assert len(found) == 1
    monkeypatch.setattr(SQLCompiler, "get_converters", original)
    assert runs[0] == runs[2] == list(returns_read(answered.pk))


@pytest.mark.parametrize("values", [{}, {"assessment_id": 1, "other": 2}, {"other": 1}])
def test_the_names_given_must_be_the_names_declared(db, values):
    with pytest.raises(TypeError, match="Give exactly these values: assessment_id"):
        PreparedRead(returns_read, "assessment_id").rows(**values)


@pytest.mark.parametrize("value", ["1", 1.0, True, None, datetime.date(2026, 1, 1)])
def test_only_whole_numbers_are_taken(db, value):
    with pytest.raises(TypeError, match="must be a whole number"):
        PreparedRead(returns_read, "assessment_id").rows(assessment_id=value)


def test_a_name_the_query_does_not_use_is_refused_when_compiled(db):
    read = PreparedRead(
        lambda assessment_id, version: returns_read(assessment_id), "assessment_id", "version"
    )
    with pytest.raises(ValueError, match="does not use version"):
        read.rows(assessment_id=1, version=1)
