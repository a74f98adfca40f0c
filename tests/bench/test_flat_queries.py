"""Every page makes the same number of queries, at most twelve, for 2 forces and 1 round as for 44 and 9.

Both worlds come from the national data generator; the pages are the benchmark's own list
(bench/pages.py), plus the report pages, requested by the same people for the same force.
Transaction control (BEGIN, COMMIT, savepoints) is not counted: SQLite logs it, PostgreSQL does not.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.generator import generate_national_data
from bench.pages import PAGES, QUERY_TARGET, Page, clients_for, query_count, request, world_from

REPORT_PAGES = [
    Page(
        "force_reports",
        "Force reports",
        "spoc",
        lambda w: reverse("assessments:force_reports", kwargs={"force_code": w.draft.force.code}),
    ),
    Page(
        "force_report_draft",
        "Draft force report",
        "spoc",
        lambda w: reverse(
            "assessments:force_report_draft",
            kwargs={"force_code": w.draft.force.code, "round_id": w.draft.round_id},
        ),
    ),
    Page(
        "regional_report",
        "Regional report",
        "coordinator",
        lambda w: reverse("assessments:regional_report", kwargs={"region_slug": w.region.slug}),
    ),
    Page("national_report", "National report", "national", lambda w: reverse("assessments:national_report")),
    Page(
        "national_benchmarks",
        "Benchmarks by force",
        "national",
        lambda w: reverse("assessments:national_benchmarks"),
    ),
]
# Notable practice (issue 17): the library, a force's nominations, national publication, the action plan.
PRACTICE_PAGES = [
    Page(
        "practice_library",
        "Notable practice library",
        "spoc",
        lambda w: reverse("assessments:practice_library"),
    ),
    Page(
        "force_practice",
        "Force's notable practice",
        "spoc",
        lambda w: reverse("assessments:force_practice", kwargs={"force_code": w.draft.force.code}),
    ),
    Page(
        "national_practice",
        "Publish notable practice",
        "national",
        lambda w: reverse("assessments:national_practice"),
    ),
    Page("action_plan", "Action plan with practice counts", "spoc", lambda w: reverse("actionplan:plan")),
]


def page_query_counts(data, pages):
    """Each page's query count for the generated data, after one warm-up request (caches filled)."""
    world = world_from(data)
    clients = clients_for(world)
    counts = {}
    for page in pages:
        request(clients[page.who], page, world)
        counts[page.name] = query_count(clients[page.who], page, world)
    return counts


def compare(pages):
    small = page_query_counts(generate_national_data(seed=11, forces=2, past_rounds=0), pages)
    large_data = generate_national_data(seed=11, forces=None, past_rounds=8, reset=True)
    assert len(large_data.forces) == 44 and len(large_data.rounds) == 9
    large = page_query_counts(large_data, pages)
    report = "\n".join(f"{name:<24} {small[name]:>3} {large[name]:>3}" for name in small)
    missed = {name for name in small if small[name] != large[name] or large[name] > QUERY_TARGET}
    assert not missed, (
        f"query counts differ or pass {QUERY_TARGET} (page, 2 forces x 1 round, 44 x 9):\n{report}"
    )


@pytest.mark.django_db
def test_service_pages_make_the_same_few_queries_for_44_forces_and_9_rounds_as_for_2_and_1():
    compare(PAGES)


@pytest.mark.django_db
def test_report_pages_make_the_same_few_queries_for_44_forces_and_9_rounds_as_for_2_and_1():
    compare(REPORT_PAGES)


@pytest.mark.django_db
def test_practice_pages_make_the_same_few_queries_for_44_forces_and_9_rounds_as_for_2_and_1():
    compare(PRACTICE_PAGES)
