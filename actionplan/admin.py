"""The action plan in the admin: readable by all staff roles, editable by national staff and admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV

from accounts.access import can_edit_reference_data
from accounts.admin_site import ReferenceDataAdmin
from actionplan.formats import CheckedXLSX
from actionplan.forms import PlanExportForm, PlanImportForm
from actionplan.models import ActionPlan, Activity, ProcessArea
from actionplan.resources import ActivityResource
from spreadsheet_safety import SpreadsheetRejected


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
class ActivityAdmin(ImportExportMixin, ReferenceDataAdmin):  # type: ignore[misc]
    """The activities forces assess themselves against; national staff and administrators import and export.

    The import shows a dry run first (new, changed field by field, unchanged; errors by row and column)
    and applies everything in one transaction on confirmation.
    """

    list_display = ["code", "title", "area"]
    list_filter = ["plan", "area"]
    search_fields = ["code", "title"]
    list_select_related = ["area"]
    ordering = ["area__number", "order"]
    resource_classes = [ActivityResource]
    import_form_class = PlanImportForm
    export_form_class = PlanExportForm
    formats = [CheckedXLSX, CSV]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return can_edit_reference_data(request.user)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return can_edit_reference_data(request.user)

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        """A file the archive checks refused gets their plain message, not the library's generic one."""
        if isinstance(e, SpreadsheetRejected):
            form.add_error("import_file", e.problems[0])
            return
        super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        """A file that fails when confirmed (the plan changed since the dry run) was rolled back: say so."""
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "The import was not applied because the file no longer matches the action plan. "
                "Nothing was changed. Import the file again to see the problems.",
            )
            return redirect("admin:actionplan_activity_import")
        response: HttpResponse = super().process_result(result, request)
        return response
