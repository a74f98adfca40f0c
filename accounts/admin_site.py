"""The admin site: coordinators review there, national staff and administrators maintain reference data.

Access comes from memberships, not Django's per-model permission rows, so the one permission table in
assessments/permissions.py decides everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from assessments.permissions import can_edit_reference_data, can_use_admin


class ServiceAdminSite(admin.AdminSite):
    """The Django admin, branded and opened only to staff roles."""

    site_header = "Modern slavery action plan self-assessment"
    site_title = "Modern slavery self-assessment admin"
    index_title = "Review and administration"

    def has_permission(self, request: HttpRequest) -> bool:
        """Coordinators, national staff and administrators only."""
        return bool(request.user.is_active and can_use_admin(request.user))


class ReferenceDataAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Anyone in the admin can read reference data; only national staff and administrators change it."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return can_use_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can_edit_reference_data(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return can_edit_reference_data(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Returns refer to reference rows; removing one would orphan history. Nobody deletes here.
        return False
