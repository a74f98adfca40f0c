"""Natural-key lookups so fixtures and exports refer to plans and activities by code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from actionplan.models import ActionPlan, Activity, ProcessArea


class ActionPlanManager(models.Manager["ActionPlan"]):
    """Find a plan by its slug."""

    def get_by_natural_key(self, slug: str) -> ActionPlan:
        """Return the plan with this slug."""
        return self.get(slug=slug)


class ProcessAreaManager(models.Manager["ProcessArea"]):
    """Find an area by plan slug and area number."""

    def get_by_natural_key(self, plan_slug: str, number: int) -> ProcessArea:
        """Return the area with this number in the named plan."""
        return self.get(plan__slug=plan_slug, number=number)


class ActivityManager(models.Manager["Activity"]):
    """Find an activity by plan slug and stable code."""

    def get_by_natural_key(self, plan_slug: str, code: str) -> Activity:
        """Return the activity with this code in the named plan."""
        return self.get(plan__slug=plan_slug, code=code)
