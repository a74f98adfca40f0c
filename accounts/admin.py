"""Users and their memberships, managed by system administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from accounts.access import access_for, may_manage_account
from accounts.enrolment import enrolment_link_send, needs_enrolment_link
from accounts.mail import site_of
from accounts.models import AccountEvent, Membership, User
from accounts.second_factor import second_factor_required, second_factor_reset
from ops.logging import security_log


def _is_administrator(request: HttpRequest) -> bool:
    return access_for(request.user).is_administrator or bool(getattr(request.user, "is_superuser", False))


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Roles held by the user, managed by administrators like the account itself.

    Access comes from memberships, not Django's permission rows (accounts/admin_site.py), so these say
    so themselves; without them the inline asked the permission tables and administrators never saw it.
    `obj` is the account: nobody changes the roles of an account with more privilege than their own.
    """

    model = Membership
    extra = 0
    # Plain selects (44 forces, 9 regions), not autocomplete: the autocomplete widget writes an empty
    # <option> with no label, which HTML forbids (the Nu checker refuses it); a short list needs no search.

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change_roles(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change_roles(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change_roles(request, obj)


def _may_change_roles(request: HttpRequest, account: Model | None) -> bool:
    if account is not None and not may_manage_account(request.user, account):
        return False
    return _is_administrator(request)


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
    actions = ["reset_second_factor", "send_enrolment_link"]

    def _outranking_refused(self, request: HttpRequest, queryset: QuerySet[User], what: str) -> bool:
        """Refuse the whole action if any chosen account has more privilege than the administrator."""
        outranking = [user for user in queryset if not may_manage_account(request.user, user)]
        if not outranking:
            return False
        security_log.warning(
            f"{what} refused: the account outranks the administrator",
            extra={"event": f"{what.lower().replace(' ', '_')}_refused", "user_id": request.user.pk},
        )
        self.message_user(
            request,
            "You cannot change the authenticator app of an account with more privilege than your own "
            f"({', '.join(user.email for user in outranking)}). Nothing was changed.",
            messages.ERROR,
        )
        return True

    @admin.action(description="Reset authenticator app and recovery codes")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For someone who lost their phone: their app goes, and an enrolment link to set up a new one is
        emailed to them (any earlier link stops working)."""
        if self._outranking_refused(request, queryset, "Second factor reset"):
            return
        with transaction.atomic():
            for user in queryset:
                second_factor_reset(user)
                AccountEvent.objects.create(
                    account=user, actor_id=request.user.pk, kind=AccountEvent.Kind.SECOND_FACTOR_RESET
                )
                if user.is_active:
                    enrolment_link_send(
                        user, actor=request.user, why="authenticator app reset", site=site_of(request)
                    )
                security_log.warning(
                    "Second factor reset by an administrator",
                    extra={"event": "second_factor_reset", "user_id": user.pk},
                )
        self.message_user(
            request,
            f"Reset the authenticator app of {queryset.count()} people. "
            "Each open account has been emailed an enrolment link to set up a new one.",
            messages.SUCCESS,
        )

    @admin.action(description="Send a new enrolment link to set up an authenticator app")
    def send_enrolment_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For someone whose link expired or went astray; any earlier link stops working.

        Only accounts with no authenticator app yet: replacing an app is a reset, which says so.
        """
        if self._outranking_refused(request, queryset, "Enrolment link"):
            return
        chosen = list(queryset)
        waiting = [user for user in chosen if needs_enrolment_link(user)]
        with transaction.atomic():
            for user in waiting:
                enrolment_link_send(
                    user, actor=request.user, why="sent by an administrator", site=site_of(request)
                )
        skipped = [user.email for user in chosen if user not in waiting]
        self.message_user(
            request,
            f"Sent an enrolment link to {len(waiting)} {'person' if len(waiting) == 1 else 'people'}.",
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                "No link was sent to accounts that are closed or already have an authenticator app "
                f"({', '.join(skipped)}). To replace an app, reset it.",
                messages.WARNING,
            )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's set-password page; a password it sets is recorded as an account event."""
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            AccountEvent.objects.create(
                account_id=int(id), actor_id=request.user.pk, kind=AccountEvent.Kind.PASSWORD_SET
            )
        return response

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Save the roles; then, if the account now must have a second factor and has no app, email it
        an enrolment link (a new account, or one just given a staff role)."""
        account = form.instance
        required_before = change and second_factor_required(account)
        super().save_related(request, form, formsets, change)
        if required_before or not second_factor_required(account) or not needs_enrolment_link(account):
            return
        why = "account given a role that needs a second factor" if change else "account created"
        enrolment_link_send(account, actor=request.user, why=why, site=site_of(request))

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:  # type: ignore[type-arg]
        """Save the roles, then record each one added, changed (from what to what) or removed."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        account = form.instance
        # As held before this save: a removed role has no primary key afterwards, and a changed one
        # shows only its new scope.
        held_before = {member.pk: str(member) for member in Membership.objects.filter(user_id=account.pk)}
        removed = [
            held_before[row.instance.pk] for row in formset.deleted_forms if row.instance.pk in held_before
        ]
        super().save_formset(request, form, formset, change)
        changes = [
            *((AccountEvent.Kind.ROLE_ADDED, str(member)) for member in formset.new_objects),
            *(
                (AccountEvent.Kind.ROLE_CHANGED, f"From {held_before.get(member.pk, 'unknown')} to {member}")
                for member, _fields in formset.changed_objects
            ),
            *((AccountEvent.Kind.ROLE_REMOVED, detail) for detail in removed),
        ]
        for kind, detail in changes:
            AccountEvent.objects.create(
                account=account, actor_id=request.user.pk, kind=kind, detail=detail[:300]
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
