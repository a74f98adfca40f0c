"""The roles a person can hold, and which of them work in the admin."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """A role held through a membership; the scope (force or region) depends on the role."""

    SPOC = "spoc", "Force SPOC"
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    COORDINATOR = "coordinator", "Regional coordinator"
    NATIONAL = "national", "National unit"
    ADMINISTRATOR = "administrator", "System administrator"


FORCE_ROLES = frozenset({Role.SPOC, Role.CHIEF_OFFICER})
REGION_ROLES = frozenset({Role.COORDINATOR})
NATIONWIDE_ROLES = frozenset({Role.NATIONAL, Role.ADMINISTRATOR})
# Coordinators review in the admin; national staff and administrators maintain reference data there.
ADMIN_SITE_ROLES = frozenset({Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR})
