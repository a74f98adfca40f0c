"""The scales' label functions: one per scale, the labels the choices declare, and a word for a blank."""

from __future__ import annotations

import pytest

from assessments.markup import task_list as task_list_markup
from assessments.reports.data import counts_from_tally
from assessments.spreadsheets.offline import STATUS_LABELS
from assessments.status import (
    NOT_ANSWERED,
    ImplementationStatus,
    TaskStatus,
    WorkflowStatus,
    implementation_label,
    task_label,
    workflow_label,
)
from assessments.templatetags import assessment_tags


@pytest.mark.parametrize(("value", "label"), ImplementationStatus.choices)
def test_every_implementation_status_has_the_label_its_choice_declares(value, label):
    assert implementation_label(value) == label
    assert isinstance(implementation_label(value), str)


@pytest.mark.parametrize("blank", ["", None, "not_a_status"])
def test_a_blank_missing_or_unknown_implementation_status_reads_not_answered(blank):
    assert implementation_label(blank) == NOT_ANSWERED == "Not answered"


@pytest.mark.parametrize(("value", "label"), WorkflowStatus.choices)
def test_every_workflow_status_has_the_label_its_choice_declares(value, label):
    assert workflow_label(value) == label
    assert isinstance(workflow_label(value), str)


@pytest.mark.parametrize(("value", "label"), TaskStatus.choices)
def test_every_task_status_has_the_label_its_choice_declares(value, label):
    assert task_label(value) == label


def test_an_unknown_workflow_or_task_status_is_shown_as_it_is():
    assert workflow_label("archived") == "archived"
    assert task_label("archived") == "archived"


def test_the_templates_filters_and_the_markup_use_the_same_functions():
    """Nothing keeps a second table of labels: the filters and markup hand over to assessments.status."""
    assert assessment_tags.register.filters["implementation_label"] is implementation_label
    assert assessment_tags.register.filters["workflow_label"] is workflow_label
    assert task_list_markup.implementation_label is implementation_label


def test_reports_and_spreadsheets_show_the_same_labels():
    assert [count.label for count in counts_from_tally({})] == [
        *(implementation_label(value) for value in ImplementationStatus.values),
        NOT_ANSWERED,
    ]
    assert [implementation_label(value) for value in ImplementationStatus.values] == STATUS_LABELS
