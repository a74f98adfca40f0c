"""Labels and GOV.UK tag colours for statuses, kept out of the templates."""

from __future__ import annotations

from typing import Any

from django import template

from assessments.dates import long_date, long_datetime, short_date, short_datetime
from assessments.markup import force_home
from assessments.markup.heat_map import heat_map_cells, status_css
from assessments.markup.roll_up import count_cells
from assessments.status import WorkflowStatus, implementation_label, workflow_label

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


# The scales' one label function each (assessments.status), a dictionary look-up: pages call these
# once per activity.
register.filter(implementation_label)
register.filter(long_date)
register.filter(short_date)
register.filter(long_datetime)
register.filter(short_datetime)
register.filter(workflow_label)

register.filter(status_css)
register.simple_tag(heat_map_cells)
register.simple_tag(count_cells)
# The force home page's and the force PDF's repeated rows (assessments/markup/force_home.py).
register.simple_tag(force_home.status_headings)
register.simple_tag(force_home.progress_rows)
register.simple_tag(force_home.benchmark_rows)
register.simple_tag(force_home.earlier_rounds)


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key], or 0 when absent (for count tables)."""
    return mapping.get(key, 0)


@register.simple_tag(takes_context=True)
def awaiting_review(context: dict[str, Any]) -> int:
    """How many submitted assessments in the user's scope are waiting for a decision."""
    from assessments.permissions import visible_assessments

    request = context.get("request")
    if request is None:
        return 0
    return visible_assessments(request.user).filter(status=WorkflowStatus.SUBMITTED).count()


@register.simple_tag(takes_context=True)
def awaiting_your_review(context: dict[str, Any]) -> int:
    """How many submitted assessments the user may decide on (a coordinator's own region) are waiting."""
    from assessments.permissions import reviewable_assessments

    request = context.get("request")
    if request is None:
        return 0
    return reviewable_assessments(request.user).filter(status=WorkflowStatus.SUBMITTED).count()
