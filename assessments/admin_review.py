"""The coordinator's review tool in the admin: a scoped list of assessments and a review page.

Decisions go through workflow.py; this module only parses the form and shows the result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from assessments import workflow
from assessments.forms import ReopenForm, ReviewForm
from assessments.models import ActivityReturn, Assessment
from assessments.permissions import (
    access_for,
    can_reopen,
    can_review,
    can_use_admin,
    visible_assessments,
    visible_regions,
)
from assessments.review import review_page
from assessments.status import WorkflowStatus

STALE_PAGE = (
    "The assessment has changed since you opened this page. Check the latest version below and decide again."
)
MARK_ACTIVITIES = (
    "Mark at least one activity as needing changes, with a comment, before returning the assessment"
)
GIVE_REASON = "Give the overall reason for returning the assessment"


class RegionFilter(admin.SimpleListFilter):
    """Filter by region, offering only the regions the user can see."""

    title = "region"
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(region.slug, region.name) for region in visible_regions(request.user)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(force__region__slug=self.value())
        return queryset


class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Assessments the user may see; the only way to act on one is its review page."""

    list_display = [
        "force",
        "round",
        "status_tag",
        "submitted_on",
        "days_waiting",
        "completeness",
        "review_link",
    ]
    list_filter = ["round", "status", RegionFilter]
    search_fields = ["force__name", "force__code"]
    list_select_related = ["force__region", "round"]
    ordering = ["round", "force__name"]
    # 50 rows a page (Django's default is 100): each cell is rendered by the admin one at a time, so
    # the national list costs about half as much; one round of 44 forces still fits on a page.
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        # Counted per listed row by correlated subqueries: a join and GROUP BY over every visible
        # assessment's returns made the national list's main query take 20 ms (docs/performance.md).
        returns = ActivityReturn.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
        counted = returns.annotate(n=Count("pk")).values("n")
        return visible_assessments(request.user).annotate(
            total_returns=Coalesce(Subquery(counted), 0),
            complete_returns=Coalesce(Subquery(counted.filter(is_complete=True)), 0),
        )

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # Coordinators see one region, so a region filter would only be noise.
        return (
            ["round", "status", RegionFilter] if access_for(request.user).nationwide else ["round", "status"]
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # opening a round creates assessments

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every change is a workflow decision on the review page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Status", ordering="status")
    def status_tag(self, obj: Assessment) -> str:
        return str(obj.get_status_display())

    @admin.display(description="Submitted on", ordering="submitted_at")
    def submitted_on(self, obj: Assessment) -> str:
        return obj.submitted_at.strftime("%-d %b %Y") if obj.submitted_at else "–"

    @admin.display(description="Days waiting")
    def days_waiting(self, obj: Assessment) -> str:
        if obj.status != WorkflowStatus.SUBMITTED or obj.submitted_at is None:
            return "–"
        return str((timezone.now() - obj.submitted_at).days)

    @admin.display(description="Complete")
    def completeness(self, obj: Assessment) -> str:
        return f"{getattr(obj, 'complete_returns', 0)} of {getattr(obj, 'total_returns', 0)}"

    @admin.display(description="Review")
    def review_link(self, obj: Assessment) -> str:
        url = reverse("admin:assessments_assessment_review", args=[obj.pk])
        label = "Review" if obj.status == WorkflowStatus.SUBMITTED else "View"
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>', url, label, obj.force.name
        )

    def get_urls(self) -> list[URLPattern]:
        review = path(
            "<int:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="assessments_assessment_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Compare with the last sign-off, then return for changes, sign off or (national) reopen."""
        assessment = get_object_or_404(
            visible_assessments(request.user).select_related("submitted_by", "signed_off_by"), pk=object_id
        )
        page = review_page(assessment=assessment)
        codes = [row.activity_return.activity.code for row in page.rows]
        initial = {"events_seen": len(page.events)}
        review_form = ReviewForm(codes=codes, initial=initial)
        reopen_form = ReopenForm(initial=initial)
        if request.method == "POST" and "decision" in request.POST:
            review_form = ReviewForm(request.POST, codes=codes)
            if self._decide(request, assessment, review_form, seen=len(page.events)):
                return redirect("admin:assessments_assessment_changelist")
        elif request.method == "POST" and "reason" in request.POST:
            reopen_form = ReopenForm(request.POST)
            if self._reopen(request, assessment, reopen_form, seen=len(page.events)):
                return redirect("admin:assessments_assessment_review", object_id=assessment.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review: {assessment.force.name}, {assessment.round.name}",
            "opts": self.model._meta,
            "page": page,
            "assessment": assessment,
            "review_form": review_form,
            "reopen_form": reopen_form,
            "can_decide": can_review(request.user, assessment)
            and assessment.status == WorkflowStatus.SUBMITTED,
            "can_reopen": can_reopen(request.user) and assessment.status == WorkflowStatus.SIGNED_OFF,
        }
        return TemplateResponse(request, "admin/assessments/assessment/review.html", context)

    def _decide(self, request: HttpRequest, assessment: Assessment, form: ReviewForm, *, seen: int) -> bool:
        if not can_review(request.user, assessment):
            raise PermissionDenied
        if not form.is_valid():
            return False
        if form.cleaned_data["events_seen"] != seen:
            form.add_error(None, STALE_PAGE)
            return False
        try:
            if form.cleaned_data["decision"] == "sign_off":
                workflow.sign_off(assessment, by=request.user, comment=form.cleaned_data["overall_comment"])
                messages.success(request, f"{assessment.force.name} signed off for {assessment.round.name}.")
            else:
                workflow.return_for_changes(
                    assessment,
                    by=request.user,
                    reason=form.cleaned_data["overall_comment"],
                    activity_comments=form.activity_comments(),
                )
                messages.success(
                    request, f"{assessment.force.name} returned for changes. We have emailed the SPOCs."
                )
        except workflow.ReturnNeedsReason:
            form.add_error("overall_comment", GIVE_REASON)
        except workflow.ReturnNeedsActivities:
            form.add_error(None, MARK_ACTIVITIES)
        except workflow.InvalidTransition as invalid:
            form.add_error(None, str(invalid))
        else:
            return True
        return False

    def _reopen(self, request: HttpRequest, assessment: Assessment, form: ReopenForm, *, seen: int) -> bool:
        if not can_reopen(request.user):
            raise PermissionDenied
        if not form.is_valid():
            return False
        if form.cleaned_data["events_seen"] != seen:
            form.add_error(None, STALE_PAGE)
            return False
        try:
            workflow.reopen(assessment, by=request.user, reason=form.cleaned_data["reason"])
        except (workflow.InvalidTransition, workflow.ReopenNeedsReason) as problem:
            form.add_error(None, str(problem) or "Give a reason for reopening the assessment")
            return False
        messages.success(request, f"Reopened as version {assessment.version + 1} in draft.")
        return True
