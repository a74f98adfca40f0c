"""The coordinator's review tool in the admin: a scoped list of assessments, wired to its review page.

The review page itself (reading the comparison, parsing the decision) is admin_review_page.py; decisions
go through workflow.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import User
from assessments import admin_review_page
from assessments.markup import assessment_list
from assessments.models import Assessment
from assessments.permissions import (
    access_for,
    can_use_admin,
    reviewable_region_ids,
    visible_assessments,
    visible_regions,
)
from assessments.selectors.review import with_last_return


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


class AssessmentChangeList(ChangeList):
    """The assessment list, its page of rows read as values and rendered once (markup.assessment_list).

    Django's result_list tag renders every cell through lookup_field and display_for_field and
    reverses two addresses per row; the template (admin/assessments/assessment/change_list.html)
    shows these rows under Django's own sortable headings instead.
    """

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # Django counts everything visible again for "N results (M total)" (AssessmentAdmin turns
        # that off); with no filter and no search the filtered count already is that total.
        self.show_full_result_count = True
        unfiltered = not self.get_filters_params() and not self.query
        self.full_result_count = self.result_count if unfiltered else self.root_queryset.count()
        # The page of the filtered, ordered queryset Django chose, as rows (one query).
        self.result_list = assessment_list.assessment_list_rows(self.result_list)
        # A submitted assessment's force links to its review for the coordinator who may decide on it.
        self.review_region_ids = reviewable_region_ids(request.user)

    @cached_property
    def headers(self) -> list[dict[str, Any]]:
        """Django's column headings, with their sort links."""
        return list(result_headers(self))

    @cached_property
    def num_sorted_fields(self) -> int:
        """How many columns the list is sorted by (the headings show priorities when more than one)."""
        return sum(1 for header in self.headers if header.get("sort_priority"))

    def url_for_result(self, result: Any) -> str:
        """The force's link: the review while a decision is due from this user, else the record."""
        if assessment_list.force_opens_review(
            result.status, result.force.region_id, review_region_ids=self.review_region_ids
        ):
            return reverse(
                "admin:assessments_assessment_review",
                args=[result.pk],
                current_app=self.model_admin.admin_site.name,
            )
        # Named, not super(): the tests lend this method to Django's own ChangeList for comparison.
        return str(ChangeList.url_for_result(self, result))

    @cached_property
    def rows_html(self) -> SafeString:
        """The table's body rows; each force links to its record (or review), keeping the list's filters."""
        opts, site = self.opts, self.model_admin.admin_site.name
        change_view = f"admin:{opts.app_label}_{opts.model_name}_change"
        placeholder = [assessment_list.ObjectUrls.PLACEHOLDER]
        change = reverse(change_view, args=placeholder, current_app=site)
        review = reverse("admin:assessments_assessment_review", args=placeholder, current_app=site)
        preserved: dict[str, Any] = {"preserved_filters": self.preserved_filters, "opts": opts}
        return assessment_list.assessment_list_html(
            self.result_list,
            change_urls=assessment_list.ObjectUrls(add_preserved_filters(preserved, change)),
            review_urls=assessment_list.ObjectUrls.reverse(
                "admin:assessments_assessment_review", current_app=site
            ),
            now=timezone.now(),
            force_review_urls=assessment_list.ObjectUrls(add_preserved_filters(preserved, review)),
            review_region_ids=self.review_region_ids,
        )


class PersonOnRecord:
    """One of the people on an assessment's record page (who submitted, who signed off), for one reader.

    Django shows a read-only foreign key as a link to the related object's admin page whether or not
    the reader may open it; coordinators and national staff may not open people's pages, so they would
    follow the link to "You cannot do that". This shows the name as a link only to readers who may
    follow it, and as text to everyone else.

    Django calls it with the assessment, names the row's CSS class and finds the field's help text by
    its __name__, and matches it against the read-only fields by equality (so equal instances made for
    the same request stand for the same field).
    """

    def __init__(self, name: str, *, description: str, linked: bool, site_name: str, empty: str) -> None:
        self.__name__ = name
        self.short_description = description
        self.linked = linked
        self.site_name = site_name
        self.empty = empty

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PersonOnRecord):
            return NotImplemented
        return (self.__name__, self.linked) == (other.__name__, other.linked)

    def __hash__(self) -> int:
        return hash((self.__name__, self.linked))

    def __call__(self, assessment: Assessment) -> str:
        person = getattr(assessment, self.__name__)
        if person is None:
            return self.empty
        if not self.linked:
            return str(person)
        url = reverse("admin:accounts_user_change", args=[person.pk], current_app=self.site_name)
        return format_html('<a href="{}">{}</a>', url, person)


# The fields of an assessment's record page, in the order Django showed them.
RECORD_FIELDS = (
    "force",
    "round",
    "status",
    "version",
    "submitted_at",
    "submitted_by",
    "signed_off_at",
    "signed_off_by",
    "signed_off_role",
)
PEOPLE_ON_RECORD = {"submitted_by": "Submitted by", "signed_off_by": "Signed off by"}


class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Assessments the user may see; the only way to act on one is its review page."""

    # The columns assessment_list.assessment_list_row renders, in its order; the methods below give their
    # headings. The "Complete" column is gone: counting every listed assessment's returns was the
    # list's most expensive part, a submitted or signed-off assessment is always complete, and the
    # regional and national overviews show each force's progress in the open round.
    list_display = list(assessment_list.LIST_COLUMNS)
    list_filter = ["round", "status", RegionFilter]
    search_fields = ["force__name", "force__code"]
    ordering = ["round", "force__name"]
    # 50 rows a page (Django's default is 100); one round of 44 forces still fits on a page.
    list_per_page = 50
    # AssessmentChangeList counts the total itself, and only when a filter or search is applied.
    show_full_result_count = False
    # No bulk actions: every change is a workflow decision on the review page.
    actions = None

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return AssessmentChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        # Each row knows when its current version was last returned, to say "Resubmitted".
        return with_last_return(visible_assessments(request.user))

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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        people = self._people_on_record(request)
        return [people.get(name, name) for name in RECORD_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return list(self._people_on_record(request).values())

    def _people_on_record(self, request: HttpRequest) -> dict[str, PersonOnRecord]:
        """Who submitted and who signed off, linked to their admin page only if this reader may open it."""
        people_admin = self.admin_site._registry.get(User)
        linked = people_admin is not None and people_admin.has_view_permission(request)
        return {
            name: PersonOnRecord(
                name,
                description=description,
                linked=linked,
                site_name=self.admin_site.name,
                empty=self.get_empty_value_display(),
            )
            for name, description in PEOPLE_ON_RECORD.items()
        }

    # Headings and sort fields of the list's columns. AssessmentChangeList holds assessment_list rows and
    # assessment_list renders their cells from the same helpers as these.

    @admin.display(description="Status", ordering="status")
    def status_tag(self, row: assessment_list.AssessmentListRow) -> str:
        return assessment_list.list_status(row.status, version=row.version, returned_at=row.returned_at)

    @admin.display(description="Submitted on", ordering="submitted_at")
    def submitted_on(self, row: assessment_list.AssessmentListRow) -> str:
        return assessment_list.submitted_on(row.submitted_at)

    @admin.display(description="Days waiting")
    def days_waiting(self, row: assessment_list.AssessmentListRow) -> str:
        return assessment_list.days_waiting(row.status, row.submitted_at, timezone.now())

    @admin.display(description="Review")
    def review_link(self, row: assessment_list.AssessmentListRow) -> str:
        url = assessment_list.ObjectUrls.reverse("admin:assessments_assessment_review")(row.pk)
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            url,
            assessment_list.review_action(row.status),
            row.force_name,
        )

    def get_urls(self) -> list[URLPattern]:
        review = path(
            "<int:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="assessments_assessment_review",
        )
        return [review, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The service's word for what a coordinator does here, not Django's "Select assessment to view".
        # Without the admin's side menu (the breadcrumbs and Home still lead everywhere): beside it and
        # the open filter panel, the list's last column, the review link, fell off a 1024 px screen.
        context = {"title": "Review", "is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The review page (admin_review_page.review_view), inside the admin's login and permissions."""
        return admin_review_page.review_view(self, request, object_id)
