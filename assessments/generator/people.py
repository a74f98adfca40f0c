"""The generated accounts: three per force, a coordinator per region and the national unit."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from accounts.models import Membership, User
from accounts.roles import Role
from assessments.models import Force, Region

GENERATED_PASSWORD = "try-the-national-picture-locally"  # noqa: S105 - published in the README on purpose
NATIONAL_EMAIL = "national.unit@example.com"
# A fixed, published authenticator key for demo and generated staff accounts only (local use, never real
# data): staff must pass a second factor, and one key printed by `create_demo_users` and named in the
# README lets a first-time user sign in as any of them without setting up an authenticator per account.
DEMO_TOTP_KEY = "6d736f69632d64656d6f2d6f6e6c792d6b65792d31"
BATCH = 1000
FIRST_NAMES: tuple[str, ...] = (
    "Alex",
    "Amira",
    "Ben",
    "Bethan",
    "Callum",
    "Chloe",
    "Deepa",
    "Ellis",
    "Fatima",
    "Grace",
)
FIRST_NAMES += ("Hamza", "Isla", "Jas", "Kieran", "Megan", "Nia", "Priya", "Rhys", "Usha", "Zara")
SURNAMES: tuple[str, ...] = (
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
)
SURNAMES += ("Morgan", "Owen", "Patel", "Quinn", "Roberts", "Shah", "Taylor", "Walker", "Wright")


@dataclass
class People:
    """The generated accounts, by force and region."""

    spoc: dict[int, User] = field(default_factory=dict)
    tactical_spoc: dict[int, User] = field(default_factory=dict)
    chief: dict[int, User] = field(default_factory=dict)
    coordinator: dict[int, User] = field(default_factory=dict)
    national: User | None = None
    created: int = 0


def create_people(forces: list[Force]) -> People:
    """Per force a strategic SPOC, a tactical SPOC and a chief officer; per region a coordinator."""
    names = random.Random(0)  # noqa: S311 - names only; fixed so each email keeps its name
    wanted: list[tuple[str, Role, Force | None, Region | None]] = []
    for force in forces:
        wanted += [
            (f"spoc.{force.code}@example.com", Role.SPOC, force, None),
            (f"spoc2.{force.code}@example.com", Role.SPOC, force, None),
            (f"chief.{force.code}@example.com", Role.CHIEF_OFFICER, force, None),
        ]
    regions = {force.region_id: force.region for force in forces}
    for region in sorted(regions.values(), key=lambda r: r.slug):
        wanted.append((f"coordinator.{region.slug}@example.com", Role.COORDINATOR, None, region))
    wanted.append((NATIONAL_EMAIL, Role.NATIONAL, None, None))
    existing = {user.email: user for user in User.objects.filter(email__in=[w[0] for w in wanted])}
    password = make_password(GENERATED_PASSWORD)  # hashed once: one published password for all
    new = []
    for email, role, scoped_force, scoped_region in wanted:
        if email not in existing:
            scope = scoped_force or scoped_region or "national unit"
            full_name = f"{names.choice(FIRST_NAMES)} {names.choice(SURNAMES)} ({role.label}, {scope})"
            user = User(email=email, full_name=full_name[:150], password=password)
            existing[email] = user
            new.append(user)
    User.objects.bulk_create(new, batch_size=BATCH)
    if any(user.pk is None for user in new):
        existing = {user.email: user for user in User.objects.filter(email__in=[w[0] for w in wanted])}
    held = set(
        Membership.objects.filter(user__in=existing.values()).values_list(
            "user_id", "role", "force_id", "region_id"
        )
    )
    memberships = []
    people = People(created=len(new))
    for email, role, scoped_force, scoped_region in wanted:
        user = existing[email]
        key = (
            user.pk,
            role.value,
            scoped_force.pk if scoped_force else None,
            scoped_region.pk if scoped_region else None,
        )
        if key not in held:
            memberships.append(Membership(user=user, role=role, force=scoped_force, region=scoped_region))
        if scoped_force is not None and role == Role.CHIEF_OFFICER:
            people.chief[scoped_force.pk] = user
        elif scoped_force is not None:
            target = people.spoc if email.startswith("spoc.") else people.tactical_spoc
            target[scoped_force.pk] = user
        elif scoped_region is not None:
            people.coordinator[scoped_region.pk] = user
        else:
            people.national = user
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    _published_second_factor([*people.coordinator.values(), *([people.national] if people.national else [])])
    return people


def _published_second_factor(staff: list[User]) -> None:
    """Give staff accounts that have no authenticator yet one with the published demo key.

    Without it, each generated coordinator and the national unit would have to set up an authenticator
    app on first sign-in (staff always need a second factor); accounts that have one keep it.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    equipped = set(TOTPDevice.objects.filter(user__in=staff).values_list("user_id", flat=True))
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Authenticator app", key=DEMO_TOTP_KEY, confirmed=True)
        for user in staff
        if user.pk not in equipped
    )
