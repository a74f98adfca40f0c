"""Data for the load run: the plan and forces, a signed-off last round, this round under way, and
signed-in sessions for every simulated user. Writes what locust needs to a JSON file.

    setup_data.py OUT.json [mixed|deadline-day]

The mixed scenario (bench/load/locustfile.py) has half the forces submitted and half in draft with
nothing answered. The deadline-day scenario (bench/load/deadline_day.py) is the last hours before the
due date: a third of the forces submitted already, the rest in draft with all but the last
DEADLINE_REMAINING activities answered; two signed-in SPOCs for every force, two coordinators for every
region, a chief officer for every force and DEADLINE_NATIONAL national staff.

Run by bench/load/run.py against a scratch database; never against a real one.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test key: this is a throwaway DB
PASSWORD = "load test passphrase, scratch database only"  # noqa: S105
SPOC_SESSIONS_PER_FORCE = 2
COORDINATOR_ACCOUNTS = 40
SIGN_IN_ACCOUNTS = 4
# Deadline day: activities each draft force still has to answer, coordinators per region, national staff.
DEADLINE_REMAINING = 4
DEADLINE_COORDINATORS_PER_REGION = 2
DEADLINE_NATIONAL = 3


def main(out: Path, scenario: str = "mixed") -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership, User
    from accounts.roles import Role
    from actionplan.models import ActionPlan
    from assessments import services, workflow
    from assessments.models import ActivityReturn, Assessment, Force, Region
    from assessments.reports.storage import stored_report_get_or_create

    call_command("load_action_plan", verbosity=0)
    call_command("load_forces", verbosity=0)
    plan = ActionPlan.objects.get(is_current=True)

    def person(
        email: str,
        name: str,
        role: Role,
        *,
        force: Any = None,
        region: Any = None,
        password: str | None = None,
    ) -> Any:
        # Only the sign-in accounts need a password; hashing one takes PBKDF2's full half second.
        user = User.objects.create_user(email=email, password=password, full_name=name)
        Membership.objects.create(user=user, role=role, force=force, region=region)
        return user

    def totp_device(user: Any) -> Any:
        return TOTPDevice.objects.create(user=user, name="Load test", key=TOTP_KEY_HEX, confirmed=True)

    def session_cookie(user: Any, *, staff: bool) -> str:
        client = Client()
        client.force_login(user)  # the real login(): signals stamp the session as it would at sign-in
        if staff:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
            session.save()
        return str(client.cookies[settings.SESSION_COOKIE_NAME].value)

    national = person("national@load.example", "Nat National", Role.NATIONAL)
    regions = list(Region.objects.order_by("slug"))
    forces = list(Force.objects.select_related("region").order_by("code"))
    region_coordinators = {
        region.pk: person(
            f"coord-{region.slug}@load.example", f"{region.name} coordinator", Role.COORDINATOR, region=region
        )
        for region in regions
    }
    spocs = {
        force.pk: person(f"spoc-{force.code}@load.example", f"{force.name} SPOC", Role.SPOC, force=force)
        for force in forces
    }
    complete = {
        "implementation_status": "implemented",
        "evidence_summary": "Policy approved by chief officers",
        "next_steps": "Roll out to all districts",
        "action_owner": "Head of public protection",
        "target_date": datetime.date(2027, 3, 31),
        "confirmed": True,
        "is_complete": True,
    }

    last = services.round_open(
        name="2025-26 review",
        plan=plan,
        opens_on=datetime.date(2025, 10, 1),
        due_on=datetime.date(2025, 12, 31),
        opened_by=national,
    ).round
    ActivityReturn.objects.filter(assessment__round=last).update(**complete)
    for assessment in Assessment.objects.filter(round=last).select_related("force"):
        workflow.submit(assessment, by=spocs[assessment.force_id])
        workflow.sign_off(assessment, by=region_coordinators[assessment.force.region_id], comment="Agreed")

    current = services.round_open(
        name="2026-27 review",
        plan=plan,
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2026, 12, 31),
        opened_by=national,
    ).round
    deadline_day = scenario == "deadline-day"
    codes = list(plan.activities.order_by("area__number", "order").values_list("code", flat=True))
    submitted, drafts = [], []
    for index, assessment in enumerate(
        Assessment.objects.filter(round=current).select_related("force__region").order_by("force__code")
    ):
        if (index % 3 == 0) if deadline_day else (index % 2):
            ActivityReturn.objects.filter(assessment=assessment).update(**complete)
            workflow.submit(assessment, by=spocs[assessment.force_id])
            submitted.append(assessment)
        else:
            if deadline_day:
                # All but the last few answered: the SPOCs finish them, check their answers and submit.
                ActivityReturn.objects.filter(assessment=assessment).exclude(
                    activity__code__in=codes[-DEADLINE_REMAINING:]
                ).update(**complete)
            drafts.append(assessment)
    # Signed-off PDFs are made once and stored (the first download or a report pack does it); start
    # from that steady state, so the run measures serving them. Draft PDFs are still drawn per request.
    for assessment in Assessment.objects.filter(round=last).select_related("force__region", "round__plan"):
        stored_report_get_or_create(assessment=assessment, snapshot=assessment.snapshots.get(version=1))
    if deadline_day:
        deadline_day_people(
            out,
            person=person,
            session_cookie=session_cookie,
            totp_device=totp_device,
            spocs=spocs,
            submitted=submitted,
            drafts=drafts,
            regions=regions,
            forces=forces,
            codes=codes,
            last=last,
            current=current,
        )
        return

    spoc_users = []
    for assessment in drafts:
        for number in range(SPOC_SESSIONS_PER_FORCE):
            email = f"spoc{number}-{assessment.force.code}@load.example"
            user = (
                spocs[assessment.force_id]
                if number == 0
                else person(email, "Second SPOC", Role.SPOC, force=assessment.force)
            )
            spoc_users.append(
                {
                    "cookie": session_cookie(user, staff=False),
                    "assessment_id": assessment.pk,
                    "force": assessment.force.code,
                }
            )
    reviewing_regions = sorted({a.force.region_id for a in submitted})
    coordinator_users = []
    for number in range(COORDINATOR_ACCOUNTS):
        region_id = reviewing_regions[number % len(reviewing_regions)]
        region = next(r for r in regions if r.pk == region_id)
        user = person(f"coord{number}@load.example", f"Coordinator {number}", Role.COORDINATOR, region=region)
        coordinator_users.append(
            {
                "cookie": session_cookie(user, staff=True),
                "assessment_ids": [a.pk for a in submitted if a.force.region_id == region_id],
                "region": region.slug,
            }
        )
    report_users = []
    for force in forces:
        user = person(
            f"chief-{force.code}@load.example", f"{force.name} chief officer", Role.CHIEF_OFFICER, force=force
        )
        report_users.append({"cookie": session_cookie(user, staff=False), "force": force.code})
    sign_in_users = []
    for number in range(SIGN_IN_ACCOUNTS):
        user = person(
            f"signin{number}@load.example",
            f"Sign-in {number}",
            Role.COORDINATOR,
            region=regions[0],
            password=PASSWORD,
        )
        totp_device(user)
        sign_in_users.append({"email": user.email, "password": PASSWORD})

    out.write_text(
        json.dumps(
            {
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
                "totp_key_hex": TOTP_KEY_HEX,
                "last_round_id": last.pk,
                "current_round_id": current.pk,
                "codes": codes,
                "spocs": spoc_users,
                "coordinators": coordinator_users,
                "report_readers": report_users,
                "sign_in": sign_in_users,
            },
            indent=1,
        )
    )


def deadline_day_people(
    out: Path,
    *,
    person: Any,
    session_cookie: Any,
    totp_device: Any,
    spocs: dict[int, Any],
    submitted: list[Any],
    drafts: list[Any],
    regions: list[Any],
    forces: list[Any],
    codes: list[str],
    last: Any,
    current: Any,
) -> None:
    """The deadline-day people, signed in, and what each of them works on, written for locust."""
    from django.conf import settings

    from accounts.roles import Role

    remaining = codes[-DEADLINE_REMAINING:]
    spoc_users = []
    for assessment in [*drafts, *submitted]:
        for number in range(SPOC_SESSIONS_PER_FORCE):
            user = (
                spocs[assessment.force_id]
                if number == 0
                else person(
                    f"spoc{number}-{assessment.force.code}@load.example",
                    "Second SPOC",
                    Role.SPOC,
                    force=assessment.force,
                )
            )
            spoc_users.append(
                {
                    "cookie": session_cookie(user, staff=False),
                    "assessment_id": assessment.pk,
                    "force": assessment.force.code,
                    # The first SPOC submits; each finishes their half of the remaining activities.
                    "submits": number == 0,
                    "codes": remaining[number::SPOC_SESSIONS_PER_FORCE],
                    "submitted": assessment in submitted,
                }
            )
    in_region: dict[int, list[int]] = {}
    for assessment in [*drafts, *submitted]:
        in_region.setdefault(assessment.force.region_id, []).append(assessment.pk)
    coordinator_users = []
    for region in regions:
        for number in range(DEADLINE_COORDINATORS_PER_REGION):
            user = person(
                f"coord{number}-{region.slug}@load.example",
                f"{region.name} coordinator {number}",
                Role.COORDINATOR,
                region=region,
            )
            coordinator_users.append(
                {
                    "cookie": session_cookie(user, staff=True),
                    "assessment_ids": sorted(in_region.get(region.pk, [])),
                    "region": region.slug,
                }
            )
    report_users = []
    for force in forces:
        user = person(
            f"chief-{force.code}@load.example", f"{force.name} chief officer", Role.CHIEF_OFFICER, force=force
        )
        report_users.append({"cookie": session_cookie(user, staff=False), "force": force.code})
    national_users = []
    for number in range(DEADLINE_NATIONAL):
        user = person(f"national{number}@load.example", f"National {number}", Role.NATIONAL)
        # One of them asks for the national pack of last round; the others read the overviews.
        national_users.append({"cookie": session_cookie(user, staff=True), "packs": number == 0})
    sign_in_users = []
    for number in range(SIGN_IN_ACCOUNTS):
        user = person(
            f"signin{number}@load.example",
            f"Sign-in {number}",
            Role.COORDINATOR,
            region=regions[0],
            password=PASSWORD,
        )
        totp_device(user)
        sign_in_users.append({"email": user.email, "password": PASSWORD})
    out.write_text(
        json.dumps(
            {
                "scenario": "deadline-day",
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
                "totp_key_hex": TOTP_KEY_HEX,
                "last_round_id": last.pk,
                "current_round_id": current.pk,
                "codes": codes,
                "spocs": spoc_users,
                "coordinators": coordinator_users,
                "report_readers": report_users,
                "national": national_users,
                "sign_in": sign_in_users,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msoic.settings.production")
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "mixed")
