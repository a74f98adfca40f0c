"""The demo set-up on an empty database: every demo account lands on a page with something to do."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, Round
from assessments.status import WorkflowStatus
from tests.factories import verified_staff_login


def _set_up() -> str:
    out = StringIO()
    for command in ("load_action_plan", "load_forces", "create_demo_users"):
        call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        return _set_up()


def _landing(client, email: str) -> str:
    verified_staff_login(client, User.objects.get(email=email))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_demo_rounds_leave_a_draft_a_submission_and_a_signed_off_round(demo):
    past, current = Round.objects.order_by("opens_on")
    assert not past.is_open and current.is_open
    assert set(past.assessments.values_list("status", flat=True)) == {WorkflowStatus.SIGNED_OFF}
    cleveland = Assessment.objects.get(round=current, force__code="cleveland")
    assert cleveland.status == WorkflowStatus.DRAFT
    returns = ActivityReturn.objects.filter(assessment=cleveland)
    assert (
        returns.filter(confirmed=True).exists()
        and returns.filter(confirmed=False, carried_forward=True).exists()
    )
    waiting = Assessment.objects.get(round=current, force__code="durham")
    assert waiting.status == WorkflowStatus.SUBMITTED
    assert waiting.force.region.slug == "north-east"
    # The demo accounts did the work the reader can sign in as.
    assert cleveland.returns.filter(updated_by__email="spoc@example.com").exists()
    assert AssessmentEvent.objects.filter(
        actor__email="coordinator@example.com", to_status="signed_off"
    ).exists()


@override_settings(DEBUG=True)
def test_demo_set_up_twice_changes_nothing(demo):
    before = (
        Round.objects.count(),
        Assessment.objects.count(),
        ActivityReturn.objects.count(),
        User.objects.count(),
    )
    assert "Rounds already exist" in _set_up()
    after = (
        Round.objects.count(),
        Assessment.objects.count(),
        ActivityReturn.objects.count(),
        User.objects.count(),
    )
    assert before == after


def _start_button(html: str) -> str:
    """The start button's whole link, from `<a` to `</a>`."""
    before, after = html.split("govuk-button--start", 1)
    return before[before.rindex("<a ") :] + after.split("</a>")[0]


def test_each_demo_account_lands_on_a_page_with_its_content(client, demo):
    spoc = _landing(client, "spoc@example.com")
    assert '<h1 class="govuk-heading-l">Cleveland Police</h1>' in spoc
    assert "Go to the task list" in _start_button(spoc)
    assert "carried forward from the last round and waiting for you to confirm" in spoc
    assert "Earlier rounds" in spoc and "Signed off" in spoc

    client.logout()
    chief = _landing(client, "chief@example.com")
    assert "Cleveland Police" in chief
    assert "View reports" in _start_button(chief)
    assert "View the assessment" in chief

    client.logout()
    coordinator = _landing(client, "coordinator@example.com")
    assert "Regional overview" in coordinator and "North East" in coordinator
    durham_row = coordinator.split("Durham Constabulary", 1)[1].split("</tr>")[0]
    assert "Submitted" in durham_row and "50 of 50" in durham_row

    for email in ("national@example.com", "admin@example.com"):
        client.logout()
        national = _landing(client, email)
        assert "National overview" in national
        north_east = national.split(">North East<")[1].split("</tr>")[0]
        assert [int(n) for n in re.findall(r">\s*(\d+)\s*<", north_east)] == [2, 1, 0, 0, 3]


def test_the_signed_off_round_gives_reports_and_comparison_content(client, demo):
    verified_staff_login(client, User.objects.get(email="chief@example.com"))
    reports = client.get("/forces/cleveland/reports/").content.decode()
    past = Round.objects.get(is_open=False)
    assert past.name in reports
