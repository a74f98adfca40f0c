"""Regions and forces in the admin; review tools join them as the workflow grows."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_site import ReferenceDataAdmin
from assessments.models import Force, Region


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    """Regions follow the regional organised crime unit footprint."""

    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Force)
class ForceAdmin(ReferenceDataAdmin):
    """Forces and the region each belongs to (administrators may move a force)."""

    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
