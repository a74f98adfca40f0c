"""The demo's rounds: something for every demo account to do the first time the service runs.

`make run` calls this through `manage.py create_demo_users`. It writes, for the demo region only, what
the national generator writes for the whole country, with the same pieces (assessments.generator):
an earlier round signed off, so the reports and the round-to-round comparison have content, and an
open round in which the demo force is a draft part done (some activities answered again, the rest
carried forward and waiting to be confirmed) and the next force in the region is submitted and waiting
for the demo coordinator's review. Every status, event and sign-off snapshot is written by
assessments.workflow itself, dated in the past with its `at` argument, so nothing is emailed.

The demo accounts act where they can (the demo SPOC saves and submits Cleveland's answers, the demo
coordinator reviews, the demo national account opens the rounds), so the history pages name people
the reader can sign in as. The other forces' SPOCs are generated accounts (assessments.generator.people).

It does nothing when any round exists: running it twice, or after `generate_national_data`, or after
someone opened a round by hand, leaves the data as it was.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actionplan.models import ActionPlan
from assessments.generator.people import create_people
from assessments.generator.rounds import Writes, create_rounds, fill_rounds, plan_assessments, write_all
from assessments.models import Force, Round

DEMO_SEED = 19
DEMO_PAST_ROUNDS = 1


def demo_rounds_create(
    *,
    force: Force,
    spoc: User,
    coordinator: User,
    national: User,
    today: datetime.date | None = None,
) -> bool:
    """Write the demo's past and open rounds in `force`'s region; False (nothing written) if rounds exist.

    `force` comes first in its region, so it is the draft in progress; the next force is the one waiting
    for review. Raises ActionPlan.DoesNotExist when no current plan is loaded.
    """
    with transaction.atomic():
        if Round.objects.exists():
            return False
        plan = ActionPlan.objects.get(is_current=True)
        activities = list(plan.activities.select_related("area").order_by("area__number", "order"))
        neighbours = list(
            Force.objects.select_related("region")
            .filter(region_id=force.region_id)
            .exclude(pk=force.pk)
            .order_by("pk")
        )
        forces = [force, *neighbours]
        people = create_people(forces)
        people.spoc[force.pk] = spoc
        people.coordinator[force.region_id] = coordinator
        people.national = national
        rng = random.Random(DEMO_SEED)  # noqa: S311 - invented demo data, not security
        rounds = create_rounds(plan=plan, past_rounds=DEMO_PAST_ROUNDS, today=today or timezone.localdate())
        assessments = plan_assessments(rounds=rounds, forces=forces, rng=rng)
        writes = Writes()
        fill_rounds(
            writes=writes,
            rounds=rounds,
            assessments=assessments,
            activities=activities,
            people=people,
            rng=rng,
        )
        write_all(
            writes, assessments=[item for row in assessments for item in row], log=lambda _message: None
        )
    return True
