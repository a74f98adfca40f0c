"""Labels and GOV.UK tag colours for statuses, kept out of the templates."""

from __future__ import annotations

from typing import Any

from django import template

from assessments.markup import task_list as task_list_markup
from assessments.markup.heat_map import heat_map_cells, status_css
from assessments.status import ImplementationStatus, WorkflowStatus

register = template.Library()

WORKFLOW_TAG_CLASSES = {
    WorkflowStatus.DRAFT: "govuk-tag--grey",
    WorkflowStatus.SUBMITTED: "govuk-tag--blue",
    WorkflowStatus.RETURNED: "govuk-tag--red",
    WorkflowStatus.SIGNED_OFF: "govuk-tag--green",
}


@register.filter
def workflow_tag_class(status: str) -> str:
    """GOV.UK tag modifier for a workflow status."""
    return WORKFLOW_TAG_CLASSES.get(WorkflowStatus(status), "")


@register.filter
def implementation_label(status: str) -> str:
    """Human label for an implementation status, or "Not answered".

    A dictionary look-up (task_list_markup.implementation_label): ImplementationStatus.values builds its list
    afresh on every call, and pages call this once per activity.
    """
    return task_list_markup.implementation_label(status)


register.filter(status_css)
register.simple_tag(heat_map_cells)


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key], or 0 when absent (for count tables)."""
    return mapping.get(key, 0)


@register.simple_tag
def implementation_statuses() -> list[tuple[str, str]]:
    """All implementation statuses in scale order, for table headings."""
    return list(ImplementationStatus.choices)


@register.simple_tag(takes_context=True)
def awaiting_review(context: dict[str, Any]) -> int:
    """How many submitted assessments in the user's scope are waiting for a decision."""
    from assessments.permissions import visible_assessments

    request = context.get("request")
    if request is None:
        return 0
    return visible_assessments(request.user).filter(status=WorkflowStatus.SUBMITTED).count()
