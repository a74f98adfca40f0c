"""Workflow events cannot be changed or removed through the ORM, one by one or in bulk."""

from __future__ import annotations

import pytest

from assessments import workflow
from assessments.models import AssessmentEvent
from assessments.services import activity_return_save
from tests.conftest import complete_values


@pytest.fixture
def event(world, home_assessment):
    for activity_return in home_assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(),
            by=world.spoc,
            expected_revision=0,
        )
    workflow.submit(home_assessment, by=world.spoc)
    return AssessmentEvent.objects.get()


def test_bulk_updates_and_deletes_of_events_are_refused(event):
    with pytest.raises(ValueError, match="append-only"):
        AssessmentEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(ValueError, match="append-only"):
        AssessmentEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.comment == ""
