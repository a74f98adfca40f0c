"""Users sign in by email address and act through memberships (role plus force or region)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q

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
