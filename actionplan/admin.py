"""The action plan in the admin: readable by all staff roles, editable by national staff and admins."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_site import ReferenceDataAdmin
from actionplan.models import ActionPlan, Activity, ProcessArea


@admin.register(ActionPlan)
class ActionPlanAdmin(ReferenceDataAdmin):
    """Versions of the plan."""

    list_display = ["title", "version_label", "published_on", "is_current"]


@admin.register(ProcessArea)
class ProcessAreaAdmin(ReferenceDataAdmin):
    """The five process areas."""

    list_display = ["number", "title", "prefix", "plan"]
    list_filter = ["plan"]


@admin.register(Activity)
class ActivityAdmin(ReferenceDataAdmin):
    """The activities forces assess themselves against."""

    list_display = ["code", "title", "area"]
    list_filter = ["plan", "area"]
    search_fields = ["code", "title"]
    list_select_related = ["area"]
    ordering = ["area__number", "order"]
