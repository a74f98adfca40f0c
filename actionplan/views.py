"""The action plan as a readable page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actionplan.selectors import current_plan_tree


def plan(request: HttpRequest) -> HttpResponse:
    """Every process area and activity of the current plan, with guidance."""
    return render(request, "actionplan/plan.html", {"plan": current_plan_tree()})
