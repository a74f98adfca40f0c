"""The assessments app in the admin: regions, forces and rounds here; the assessment list and the
coordinator's review page in admin_review.py, registered at the end of this module."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from accounts.admin_site import ReferenceDataAdmin
from actionplan.models import ActionPlan
from assessments import (
    admin_emails,  # noqa: F401 - registers People and roles → Emails
    services,
)
from assessments.admin_review import AssessmentAdmin
from assessments.models import Assessment, Force, Region, Round


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


class RoundAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Opening and due dates in order; the plan defaults to the current one."""

    class Meta:
        model = Round
        fields = ["name", "plan", "opens_on", "due_on", "is_open", "evidence_window_starts_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date must be on or after the opening date.")
        window_start = cleaned.get("evidence_window_starts_on")
        if window_start and due_on and window_start > due_on:
            self.add_error(
                "evidence_window_starts_on", "The evidence window must start on or before the due date."
            )
        return cleaned


@admin.register(Round)
class RoundAdmin(ReferenceDataAdmin):
    """National staff open rounds here; opening one creates an assessment for every force."""

    form = RoundAdminForm
    list_display = ["name", "plan", "opens_on", "due_on", "is_open"]
    list_filter = ["is_open"]

    def get_readonly_fields(self, request: HttpRequest, obj: Round | None = None) -> list[str]:
        # A round's plan cannot change once assessments exist against its activities.
        return ["plan"] if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        current = ActionPlan.objects.filter(is_current=True).first()
        if current is not None:
            initial.setdefault("plan", current.pk)
        return initial

    def save_model(self, request: HttpRequest, obj: Round, form: forms.ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        if change:
            super().save_model(request, obj, form, change)
            return
        opened = services.round_open(
            name=obj.name,
            plan=obj.plan,
            opens_on=obj.opens_on,
            due_on=obj.due_on,
            opened_by=request.user,
            evidence_window_starts_on=obj.evidence_window_starts_on,
        )
        # Let the admin carry on (log entry, redirect) with the round the service created.
        obj.pk = opened.round.pk
        obj._state.adding = False
        messages.success(
            request,
            f"Round opened: {opened.assessments_created} assessments created, "
            f"{opened.returns_carried_forward} answers carried forward from the last signed-off round.",
        )


admin.site.register(Assessment, AssessmentAdmin)
