"""Regional and national overviews: scoped rows, status and completeness, a heat map in words and colour."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import activity_return_save, round_open
from assessments.status import WorkflowStatus
from tests.conftest import complete_values
from tests.factories import ForceFactory, RegionFactory, verified_staff_login


def test_region_overview_shows_only_the_regions_forces_with_status_and_completeness(
    client, world, home_assessment
):
    target = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=target.pk, values=complete_values("embedded"), by=world.spoc, expected_revision=0
    )
    verified_staff_login(client, world.coordinator)
    # The live draft position is asked for: the default is the latest signed-off one, and nothing here
    # is signed off yet.
    html = client.get(
        reverse("assessments:region_overview", kwargs={"region_slug": "north-east"}), {"figures": "live"}
    ).content.decode()
    assert "Cleveland Police" in html and "Durham Constabulary" in html
    assert "Gwent Police" not in html
    assert "1 of 50" in html and "0 of 50" in html
    assert "2026-27 autumn review" in html
    # The heat map gives each status as text for screen readers, not colour alone.
    assert (
        'app-status--embedded"><span aria-hidden="true">E</span>'
        '<span class="govuk-visually-hidden">Embedded</span>' in html
    )
    assert html.count("Not answered</span></td>") == 99


def test_national_overview_counts_every_region(client, world, home_assessment):
    Assessment.objects.filter(pk=home_assessment.pk).update(status=WorkflowStatus.SUBMITTED)
    verified_staff_login(client, world.national)
    response = client.get(reverse("assessments:national_overview"))
    html = response.content.decode()
    assert "Gwent Police" in html and "Cleveland Police" in html
    summaries = {s.region.slug: s for s in response.context["regions"]}
    assert summaries["north-east"].counts["submitted"] == 1
    assert summaries["north-east"].counts["draft"] == 1
    assert summaries["wales"].counts["draft"] == 1
    assert response.context["overview"].status_counts == {
        "draft": 2,
        "submitted": 1,
        "returned": 0,
        "signed_off": 0,
    }


def test_an_unknown_round_falls_back_to_the_current_one(client, world, open_round):
    verified_staff_login(client, world.national)
    for value in ["999999", "abc", "-1", "1 OR 1=1"]:
        response = client.get(reverse("assessments:national_overview"), {"round": value})
        assert response.status_code == 200
        assert response.context["overview"].round == open_round


def test_overviews_without_a_round_say_so(client, world):
    verified_staff_login(client, world.national)
    assert "No assessment round has been opened yet" in client.get("/national/").content.decode()
    assert "No assessment round has been opened yet" in client.get("/regions/north-east/").content.decode()


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"), [("coordinator", "/regions/north-east/"), ("national", "/national/")]
)
def test_overview_query_counts_stay_flat(client, world, open_round, action_plan, who, url):
    verified_staff_login(client, getattr(world, who))
    small = count(client, url)
    assert small <= 12, small
    region = RegionFactory()
    for _ in range(8):
        ForceFactory(region=world.home_region)
        ForceFactory(region=region)
    Assessment.objects.filter(round=open_round).update(
        status=WorkflowStatus.SIGNED_OFF, signed_off_by=world.coordinator, signed_off_at=timezone.now()
    )
    for index in range(2):
        round_open(
            name=f"Later {index}",
            plan=action_plan,
            opens_on=datetime.date(2027 + index, 1, 1),
            due_on=datetime.date(2027 + index, 2, 1),
            opened_by=world.national,
        )
    assert count(client, url) == small


def test_the_national_overview_makes_ten_queries(client, world, open_round):
    # Pinned (docs/performance.md, page table): sign-in checks 4 (with the second factor), the rounds,
    # the forces, their assessments with progress, the activities, the latest sign-offs and their
    # answers.
    verified_staff_login(client, world.national)
    assert count(client, "/national/") == 10
