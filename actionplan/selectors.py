"""Reads of the action plan."""

from __future__ import annotations

from django.db.models import Prefetch

from actionplan.models import ActionPlan, Activity, ProcessArea


def current_plan_tree() -> ActionPlan | None:
    """The current plan with its areas and their activities, in three queries; None if none is loaded."""
    activities = Prefetch("activities", queryset=Activity.objects.order_by("order"))
    areas = Prefetch("areas", queryset=ProcessArea.objects.order_by("number").prefetch_related(activities))
    return ActionPlan.objects.filter(is_current=True).prefetch_related(areas).first()
