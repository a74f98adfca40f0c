"""Workflow events and field history cannot be changed or deleted through the application or the database.

The model-level refusal (AssessmentEvent.save on an existing row, and delete) is tested in
tests/assessments/test_workflow.py::test_events_are_append_only; this file adds the admin and, on
PostgreSQL, the trigger of assessments/migrations/0006_audit_trigger.py.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from assessments.models import ActivityReturn, AssessmentEvent
from tests.security.helpers import OWN

HistoricalReturn = ActivityReturn.history.model
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit trigger exists only on PostgreSQL"
)


@pytest.fixture
def audited(make_scene):
    """A signed-off assessment: events from submit and sign-off, history from the saves."""
    scene = make_scene("signed_off")
    assert AssessmentEvent.objects.exists() and HistoricalReturn.objects.exists()
    return scene


@pytest.mark.parametrize("model", [AssessmentEvent, HistoricalReturn], ids=["events", "history"])
def test_the_admin_offers_no_way_to_change_or_delete_audit_rows(world, model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all
    request = RequestFactory().get("/admin/")
    request.user = world.administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_no_admin_inline_edits_events_or_history():
    for model_admin in admin.site._registry.values():
        for inline in getattr(model_admin, "inlines", []):
            assert inline.model not in (AssessmentEvent, HistoricalReturn), model_admin


@on_postgresql
@pytest.mark.parametrize("table", ["assessments_assessmentevent", "assessments_historicalactivityreturn"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET history_date = history_date", "DELETE FROM {table}"],
    ids=["update", "delete"],
)
def test_the_database_refuses_updates_and_deletes_of_audit_rows(audited, table, statement):
    column_fix = "created_at = created_at" if table == "assessments_assessmentevent" else None
    sql = statement.format(table=table)
    if column_fix:
        sql = sql.replace("history_date = history_date", column_fix)
    count = _count(table)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert _count(table) == count


def test_queryset_updates_and_deletes_of_events_are_refused_by_the_application(audited):
    """The events' queryset refuses bulk writes on every database (the trigger backs it on PostgreSQL)."""
    with pytest.raises(ValueError, match="append-only"):
        AssessmentEvent.objects.filter(assessment=audited.assessment(OWN)).update(comment="rewritten")
    with pytest.raises(ValueError, match="append-only"):
        AssessmentEvent.objects.all().delete()
    assert not AssessmentEvent.objects.filter(comment="rewritten").exists()


@on_postgresql
def test_queryset_deletes_of_history_are_refused_by_the_trigger(audited):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoricalReturn.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        HistoricalReturn.objects.all().update(next_steps="rewritten")


@on_postgresql
def test_new_events_and_history_are_still_written(audited):
    from assessments import workflow

    events, history = AssessmentEvent.objects.count(), HistoricalReturn.objects.count()
    workflow.reopen(audited.assessment(OWN), by=audited.world.national, reason="Correction")
    assert AssessmentEvent.objects.count() == events + 1
    assert HistoricalReturn.objects.count() >= history


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
        row = cursor.fetchone()
    return int(row[0])
