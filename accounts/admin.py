"""Users and their memberships, managed by system administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from accounts.access import access_for, may_manage_account
from accounts.models import AccountEvent, Membership, User
from accounts.second_factor import second_factor_reset
from ops.logging import security_log


def _is_administrator(request: HttpRequest) -> bool:
    return access_for(request.user).is_administrator or bool(getattr(request.user, "is_superuser", False))


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Roles held by the user."""

    model = Membership
    extra = 0
    autocomplete_fields = ["force", "region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    """People who may sign in; only administrators see or change them."""

    inlines = [MembershipInline]
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()
    actions = ["reset_second_factor"]

    @admin.action(description="Reset authenticator app and recovery codes")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For someone who lost their phone: they set up a new app at their next sign-in."""
        outranking = [user for user in queryset if not may_manage_account(request.user, user)]
        if outranking:
            security_log.warning(
                "Second factor reset refused: the account outranks the administrator",
                extra={"event": "second_factor_reset_refused", "user_id": request.user.pk},
            )
            self.message_user(
                request,
                "You cannot reset the authenticator app of an account with more privilege than your own "
                f"({', '.join(user.email for user in outranking)}). Nothing was reset.",
                messages.ERROR,
            )
            return
        for user in queryset:
            second_factor_reset(user)
            AccountEvent.objects.create(
                account=user, actor_id=request.user.pk, kind=AccountEvent.Kind.SECOND_FACTOR_RESET
            )
            security_log.warning(
                "Second factor reset by an administrator",
                extra={"event": "second_factor_reset", "user_id": user.pk},
            )
        self.message_user(
            request,
            f"Reset the authenticator app of {queryset.count()} people. "
            "They will set up a new one when they next sign in.",
            messages.SUCCESS,
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's set-password page; a password it sets is recorded as an account event."""
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            AccountEvent.objects.create(
                account_id=int(id), actor_id=request.user.pk, kind=AccountEvent.Kind.PASSWORD_SET
            )
        return response

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:  # type: ignore[type-arg]
        """Save the roles, then record each one added, changed or removed."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        account = form.instance
        changes = [
            *((AccountEvent.Kind.ROLE_ADDED, member) for member in formset.new_objects),
            *((AccountEvent.Kind.ROLE_CHANGED, member) for member, _fields in formset.changed_objects),
            *((AccountEvent.Kind.ROLE_REMOVED, member) for member in formset.deleted_objects),
        ]
        for kind, membership in changes:
            AccountEvent.objects.create(
                account=account, actor_id=request.user.pk, kind=kind, detail=str(membership)
            )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Also guards the set-password page, which asks this with the account as obj (403 if refused).
        if obj is not None and not may_manage_account(request.user, obj):
            return False
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Close accounts by making them inactive; events and history keep pointing at the person.
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log of account changes: administrators read it; nobody adds, changes or deletes it."""

    list_display = ["created_at", "account", "kind", "detail", "actor"]
    list_filter = ["kind"]
    search_fields = ["account__email", "actor__email"]
    list_select_related = ["account", "actor"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
