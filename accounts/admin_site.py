"""The admin site: coordinators review there, national staff and administrators maintain reference data.

Access comes from memberships, not Django's per-model permission rows, so the membership checks in
accounts/access.py decide everything. The admins that other packages register (groups, sign-in
lockout records, second-factor devices, task results) are opened to break-glass superusers only, by
SuperuserOnlyAdmin, rather than to whoever holds a stray permission row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from accounts.access import can_edit_reference_data, can_use_admin
from accounts.second_factor import is_verified

# Apps whose admins decide access from memberships themselves; every other app's admin is superuser-only.
SERVICE_APPS = frozenset({"accounts", "actionplan", "assessments"})


class SuperuserOnlyAdmin:
    """Mixed into other packages' model admins: only active superusers get past, then the admin's own rules.

    Django's stock checks ask the permission tables (two queries per request for anyone who is not a
    superuser, on every admin page, because the sidebar lists every model). The service grants no
    permission rows, so for staff roles the answer was always no; this gives it without asking. For a
    superuser the package's own rules still apply (a read-only admin stays read-only).
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request) and bool(super().has_module_permission(request))  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_superuser(request) and bool(super().has_view_permission(request, obj))  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_superuser(request) and bool(super().has_add_permission(request, *args))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_superuser(request) and bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_superuser(request) and bool(super().has_delete_permission(request, obj))  # type: ignore[misc]


def _is_superuser(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


class ServiceAdminSite(admin.AdminSite):
    """The Django admin, branded and opened only to staff roles."""

    site_header = "Modern slavery action plan self-assessment"
    site_title = "Modern slavery self-assessment admin"
    index_title = "Review and administration"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Register as usual; another package's model admin gets SuperuserOnlyAdmin mixed in first."""
        models: list[Any] = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models:
            chosen = admin_class or admin.ModelAdmin
            if model._meta.app_label not in SERVICE_APPS and not issubclass(chosen, SuperuserOnlyAdmin):
                chosen = type(f"SuperuserOnly{chosen.__name__}", (SuperuserOnlyAdmin, chosen), {})
            super().register(model, chosen, **options)

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """The admin's shared context, with the sidebar's app list built only when a page shows it.

        Django builds the list of apps and models for every admin page, asking each model admin for its
        permissions, though only the navigation sidebar shows it. A focused page that leaves the sidebar
        out (the review) should not pay for it, so the list is built on first use. The keys are Django's
        (tests/accounts/test_admin_site.py compares them with AdminSite.each_context's).
        """
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def has_permission(self, request: HttpRequest) -> bool:
        """Coordinators, national staff and administrators only, once they have passed the second factor."""
        user = request.user
        return bool(user.is_active and can_use_admin(user) and is_verified(user))

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """One sign-in for the whole service: the site's form, with its lockout and second factor.

        Someone already signed in lands here only when their roles do not open the admin: refuse them
        rather than offer a sign-in form that would send them straight back.
        """
        if request.user.is_authenticated:
            raise PermissionDenied
        destination = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        response: HttpResponse = redirect_to_login(destination, reverse("login"))
        return response

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        """Password changes use the service's own page and rules."""
        return HttpResponseRedirect(reverse("password_change"))


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
