"""factory_boy factories with sensible defaults for every model tests need."""

from __future__ import annotations

import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def verified_staff_login(client, user) -> TOTPDevice:
    """Sign a staff member in as if they had passed their second factor in this session.

    force_login (django-axes makes Client.login() raise) and then record in the session the
    authenticator app django-otp would have recorded; the app is created, confirmed, if the user has
    none. Works for anyone: SPOCs and chief officers simply carry a device they are never asked for.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def enrolment_link_path(user) -> str:
    """The path of a fresh one-time enrolment link for the user, as an administrator would send them."""
    from accounts.enrolment import enrolment_link_issue

    link = enrolment_link_issue(user, actor=None, how="Issued by a test")
    return "/" + link.split("/", 3)[3]


def totp_code(device: TOTPDevice, *, steps_from_now: int = 0) -> str:
    """The 6-digit code the person's authenticator app would show now (or a few 30-second steps away)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_from_now)
    return f"{code:0{device.digits}d}"
