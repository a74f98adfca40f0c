"""factory_boy factories with sensible defaults for every model tests need."""

from __future__ import annotations

import factory

from accounts.models import Membership, User
from accounts.roles import Role
from assessments.models import Force, Region

TEST_PASSWORD = "a long enough test passphrase"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"force-{n}")
    name = factory.Sequence(lambda n: f"Force {n} Police")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@force.example")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SPOC
    force = None
    region = None


def user_with_role(
    role: Role, *, force: Force | None = None, region: Region | None = None, **user_fields
) -> User:
    """A user holding one role, scoped as that role requires."""
    user = UserFactory(**user_fields)
    if role in (Role.SPOC, Role.CHIEF_OFFICER):
        MembershipFactory(user=user, role=role, force=force or ForceFactory())
    elif role == Role.COORDINATOR:
        MembershipFactory(user=user, role=role, region=region or RegionFactory())
    else:
        MembershipFactory(user=user, role=role)
    return user
