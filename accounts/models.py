"""Users sign in by email address and act through memberships (role plus force or region)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.managers import UserManager
from accounts.roles import Role


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Kept for Django's own admin checks; our admin site decides access from memberships.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Chosen on the account page. Notices that need the person's action still come at once.
    email_digest = models.BooleanField(
        "daily digest instead of single emails",
        default=False,
        help_text="Notices that need your action (such as a return for changes) still come at once.",
    )

    # Part of the fingerprint every signed report link carries (assessments/reports/downloads.py). Raised
    # when the person signs out or loses a membership, so links issued before stop working at once.
    report_link_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Part of every enrolment link (accounts/enrolment.py). Raised when a link is issued and when one is
    # used, so only the newest unused link for the person can set up an authenticator app.
    second_factor_enrolment_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        """Name shown in events and reports."""
        return self.full_name or self.email

    def get_short_name(self) -> str:
        """Name shown in the header."""
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    """One role a user holds, tied to a force, a region, or (for national roles) nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    force = models.ForeignKey(
        "assessments.Force", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    region = models.ForeignKey(
        "assessments.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=[Role.SPOC, Role.CHIEF_OFFICER], force__isnull=False, region__isnull=True)
                    | Q(role=Role.COORDINATOR, force__isnull=True, region__isnull=False)
                    | Q(role__in=[Role.NATIONAL, Role.ADMINISTRATOR], force__isnull=True, region__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "force"],
                condition=Q(force__isnull=False),
                name="membership_unique_force_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="membership_unique_region_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(force__isnull=True, region__isnull=True),
                name="membership_unique_nationwide_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.force or self.region or "England and Wales"
        return f"{self.get_role_display()} – {scope}"


class DigestItem(models.Model):
    """One notice held for a person's daily digest. Written once; `sent_at` is set when a digest carries it.

    A digest takes only items not yet sent and marks them in the same transaction as it queues its email,
    so no item is ever in two digests.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digest_items")
    subject = models.CharField(max_length=300)
    link = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["user"], condition=Q(sent_at__isnull=True), name="digest_item_waiting"),
        ]

    def __str__(self) -> str:
        return self.subject


class EmailDelivery(DBTaskResult[Any, Any]):
    """An email task as administrators see it: to whom, about what, and whether it went (a proxy, no table).

    The task queue's own admin is for break-glass superusers and shows whole messages, reset links
    included; this one shows addresses, subject, attempt and error, never the body.
    """

    class Meta:
        proxy = True
        verbose_name = "email"
        verbose_name_plural = "emails"


class AccountEventQuerySet(models.QuerySet["AccountEvent"]):
    """Bulk updates and deletes would bypass the model's refusals; refuse them here too."""

    def update(self, **kwargs: Any) -> int:
        """Account events are never changed."""
        raise ValueError("Account events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        """Account events are never deleted."""
        raise ValueError("Account events are append-only and cannot be deleted.")


class AccountEvent(models.Model):
    """A change to someone's password, second factor or roles, and who made it: append-only.

    Changes people make to their own account are here too, with the account as the actor; an actor left
    empty is a command run on the server (manage.py enrolment_link). The admin shows these read-only to
    administrators, who cannot add, change or delete them; on PostgreSQL a trigger refuses UPDATE and
    DELETE whoever connects (migration 0007).
    """

    class Kind(models.TextChoices):
        PASSWORD_SET = "password_set", "Password set by an administrator"
        PASSWORD_CHANGED = "password_changed", "Password changed by its holder"
        PASSWORD_RESET = "password_reset", "Password reset with an emailed link"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        ENROLMENT_LINK_ISSUED = "enrolment_link_issued", "Enrolment link issued"
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Authenticator app set up"
        RECOVERY_CODES_REPLACED = "recovery_codes_replaced", "Recovery codes replaced"
        ROLE_ADDED = "role_added", "Role added"
        ROLE_CHANGED = "role_changed", "Role changed"
        ROLE_REMOVED = "role_removed", "Role removed"

    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccountEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.account}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Written once; never changed."""
        if not self._state.adding:
            raise ValueError("Account events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Never deleted."""
        raise ValueError("Account events are append-only and cannot be deleted.")
