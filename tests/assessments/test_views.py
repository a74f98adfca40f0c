"""SPOC pages with the test client: the journey, validation, tampering, lost updates, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessments import workflow
from assessments.dates import long_datetime
from assessments.models import ActivityReturn, Assessment, AssessmentEvent
from assessments.status import WorkflowStatus
from tests.assessments.workflow_states import make_complete
from tests.conftest import complete_values, form_post, sign_off_for_test
from tests.factories import verified_staff_login


def activity_url(assessment, code):
    return reverse("assessments:activity", kwargs={"assessment_id": assessment.pk, "code": code})


def codes_in_order(assessment):
    return list(
        assessment.returns.order_by("activity__area__number", "activity__order").values_list(
            "activity__code", flat=True
        )
    )


def test_the_whole_spoc_journey(client, world, home_assessment):
    client.force_login(world.spoc)
    home = client.get(reverse("assessments:force_home", kwargs={"force_code": "cleveland"})).content.decode()
    assert "2026-27 autumn review" in home and "0 of 50" in home
    assert "Go to the task list" in home

    tasks = client.get(reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk}))
    assert tasks.content.decode().count("govuk-task-list__item govuk-task-list__item--with-link") == 50

    codes = codes_in_order(home_assessment)
    # Meet and fix a validation error on the first activity.
    error = client.post(
        activity_url(home_assessment, codes[0]),
        form_post({"implementation_status": "implemented"}, revision=0),
    )
    assert error.status_code == 200
    assert "Summarise the evidence" in error.content.decode()
    for index, code in enumerate(codes):
        response = client.post(activity_url(home_assessment, code), form_post(complete_values(), revision=0))
        expected = (
            activity_url(home_assessment, codes[index + 1])
            if index + 1 < len(codes)
            else reverse("assessments:check_answers", kwargs={"assessment_id": home_assessment.pk})
        )
        assert response.status_code == 302 and response["Location"] == expected, code

    check = client.get(reverse("assessments:check_answers", kwargs={"assessment_id": home_assessment.pk}))
    assert "Accept and submit" in check.content.decode()
    refused = client.post(reverse("assessments:submit", kwargs={"assessment_id": home_assessment.pk}), {})
    assert "Confirm the declaration" in refused.content.decode()
    done = client.post(
        reverse("assessments:submit", kwargs={"assessment_id": home_assessment.pk}),
        {"declaration": "on"},
        follow=True,
    )
    assert "Assessment submitted" in done.content.decode()
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED

    # Now read-only: no form, and a POST is refused without change.
    page = client.get(activity_url(home_assessment, codes[0])).content.decode()
    assert "Save and continue" not in page
    blocked = client.post(
        activity_url(home_assessment, codes[0]), form_post(complete_values("embedded"), revision=1)
    )
    assert blocked.status_code == 403
    assert (
        ActivityReturn.objects.get(assessment=home_assessment, activity__code=codes[0]).implementation_status
        == "implemented"
    )


def test_submission_lists_what_is_missing(client, world, home_assessment):
    client.force_login(world.spoc)
    response = client.post(
        reverse("assessments:submit", kwargs={"assessment_id": home_assessment.pk}), {"declaration": "on"}
    )
    html = response.content.decode()
    assert "You cannot submit yet" in html
    assert "50 activities are not complete" in html
    assert "LG01" in html
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.DRAFT


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"implementation_status": ""}, "Select how far the force has implemented"),
        ({"implementation_status": "not_applicable"}, "Explain why this activity does not apply"),
        ({"implementation_status": "embedded"}, "Summarise the evidence"),
        ({"implementation_status": "planned"}, "Describe the next steps"),
        ({"implementation_status": "in_progress", "next_steps": "x"}, "Enter the name or role"),
        (
            {"implementation_status": "planned", "next_steps": "x", "action_owner": "y"},
            "Enter the target date",
        ),
        ({"implementation_status": "outstanding"}, "Select a valid choice"),
        (
            {"implementation_status": "implemented", "evidence_summary": "x" * 2001},
            "2000 characters or fewer",
        ),
    ],
)
def test_each_validation_error_is_shown_in_the_summary_and_nothing_is_saved(
    client, world, home_assessment, values, message
):
    client.force_login(world.spoc)
    response = client.post(activity_url(home_assessment, "LG01"), form_post(values, revision=0))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "<title>Error:" in html
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.revision == 0 and not saved.implementation_status


def test_what_the_user_typed_is_kept_on_an_error(client, world, home_assessment):
    client.force_login(world.spoc)
    typed = {
        "implementation_status": "planned",
        "next_steps": "Write the policy & consult <partners>",
        "action_owner": "DCI Example",
    }
    html = client.post(activity_url(home_assessment, "LG01"), form_post(typed, revision=0)).content.decode()
    assert "Write the policy &amp; consult &lt;partners&gt;" in html
    assert 'value="DCI Example"' in html
    assert (
        'value="planned"\n    \n      checked' in html
        or 'value="planned" checked' in html
        or "checked" in html
    )


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "2", "2027"), ("0", "1", "2027"), ("1", "13", "2027"), ("a", "b", "c"), ("1", "1", "99999")],
)
def test_impossible_dates_are_refused(client, world, home_assessment, day, month, year):
    client.force_login(world.spoc)
    data = form_post(complete_values("planned"), revision=0)
    data.update({"target_date_0": day, "target_date_1": month, "target_date_2": year})
    response = client.post(activity_url(home_assessment, "LG01"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Target date must be" in html
    assert 'href="#id_target_date_0"' in html  # the summary link lands on the day input


def test_error_summary_links_radios_to_the_first_radio(client, world, home_assessment):
    client.force_login(world.spoc)
    html = client.post(activity_url(home_assessment, "LG01"), form_post({}, revision=0)).content.decode()
    assert 'href="#id_implementation_status_1"' in html
    assert 'id="id_implementation_status_1"' in html


def test_a_past_target_date_is_saved_but_flagged(client, world, home_assessment):
    client.force_login(world.spoc)
    values = complete_values("planned", target_date=datetime.date(2025, 1, 1))
    response = client.post(
        activity_url(home_assessment, "LG01"), form_post(values, revision=0, action="tasklist"), follow=True
    )
    assert "The target date is in the past" in response.content.decode()


def test_save_as_draft_keeps_unfinished_work_as_in_progress(client, world, home_assessment):
    client.force_login(world.spoc)
    client.post(
        activity_url(home_assessment, "LG01"),
        form_post(
            {"implementation_status": "planned", "next_steps": "Half a thought"}, revision=0, action="draft"
        ),
    )
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.next_steps == "Half a thought" and not saved.is_complete
    tasks = client.get(
        reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk})
    ).content.decode()
    assert "In progress" in tasks


def test_evidence_references_are_saved_with_their_dates(client, world, home_assessment):
    client.force_login(world.spoc)
    refs = [("Force policy v3", "Policy library", datetime.date(2026, 3, 1))]
    client.post(
        activity_url(home_assessment, "LG01"), form_post(complete_values(), revision=0, references=refs)
    )
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.evidence_references == [
        {"title": "Force policy v3", "location": "Policy library", "applies_on": "2026-03-01"}
    ]


def test_tampered_fields_are_ignored(client, world, home_assessment):
    client.force_login(world.spoc)
    data = form_post(complete_values(), revision=0)
    data.update(
        {
            "status": "signed_off",
            "force": str(world.far_force.pk),
            "assessment": "999",
            "is_complete": "on",
            "carried_forward": "on",
        }
    )
    client.post(activity_url(home_assessment, "LG01"), data)
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.DRAFT and home_assessment.force == world.home_force


def test_another_forces_assessment_is_404_for_get_and_post(client, world, open_round):
    far = Assessment.objects.get(force=world.far_force, round=open_round)
    client.force_login(world.spoc)
    assert client.get(activity_url(far, "LG01")).status_code == 404
    assert client.post(activity_url(far, "LG01"), form_post(complete_values(), revision=0)).status_code == 404
    assert (
        client.post(
            reverse("assessments:submit", kwargs={"assessment_id": far.pk}), {"declaration": "on"}
        ).status_code
        == 404
    )
    assert not ActivityReturn.objects.filter(assessment=far, revision__gt=0).exists()


def test_an_unknown_activity_code_is_404(client, world, home_assessment):
    client.force_login(world.spoc)
    assert client.get(activity_url(home_assessment, "ZZ99")).status_code == 404
    assert client.get(activity_url(home_assessment, "x" * 500)).status_code == 404


def test_a_chief_officer_reads_but_cannot_edit(client, world, home_assessment):
    client.force_login(world.chief_officer)
    page = client.get(activity_url(home_assessment, "LG01")).content.decode()
    assert "Save and continue" not in page and "Implementation status" in page
    assert (
        client.post(
            activity_url(home_assessment, "LG01"), form_post(complete_values(), revision=0)
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("assessments:submit", kwargs={"assessment_id": home_assessment.pk}), {"declaration": "on"}
        ).status_code
        == 403
    )


def test_the_second_of_two_concurrent_edits_is_refused_with_who_and_when(client, world, home_assessment):
    colleague = world.spoc.__class__.objects.create_user(
        "deputy@force.example", "x" * 20, full_name="Dee Deputy"
    )
    world.spoc.memberships.model.objects.create(user=colleague, role=Role.SPOC, force=world.home_force)
    url = activity_url(home_assessment, "LG01")
    client.force_login(colleague)
    client.post(url, form_post(complete_values(action_owner="Deputy's owner"), revision=0))
    client.force_login(world.spoc)
    response = client.post(url, form_post(complete_values(action_owner="My owner"), revision=0))
    html = response.content.decode()
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert f"This activity was changed by Dee Deputy on {long_datetime(saved.updated_at)} since" in html
    assert f"Their version, saved {long_datetime(saved.updated_at)} by Dee Deputy" in html
    assert "Deputy&#x27;s owner" in html and 'value="My owner"' in html  # both versions are shown
    assert saved.action_owner == "Deputy's owner"
    # Saving again, knowingly, now goes through.
    again = client.post(url, form_post(complete_values(action_owner="My owner"), revision=saved.revision))
    assert again.status_code == 302


def test_history_shows_who_changed_what(client, world, home_assessment):
    client.force_login(world.spoc)
    client.post(
        activity_url(home_assessment, "LG01"),
        form_post(complete_values(evidence_summary="First version"), revision=0),
    )
    client.post(
        activity_url(home_assessment, "LG01"),
        form_post(complete_values(evidence_summary="Second version"), revision=1),
    )
    html = client.get(
        reverse("assessments:return_history", kwargs={"assessment_id": home_assessment.pk, "code": "LG01"})
    ).content.decode()
    assert "First version" in html and "Second version" in html and "Sam Spoc" in html
    assert "Entered by Sam Spoc on " in html and "Not accepted yet" in html


def test_history_names_who_accepted_each_version(client, world, home_assessment):
    """Traceable to people (issue 15): the sign-off that covers a version names the coordinator."""
    from assessments.services import activity_return_save

    make_complete(home_assessment)
    target = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    workflow.submit(home_assessment, by=world.spoc)
    workflow.sign_off(home_assessment, by=world.coordinator, comment="")
    client.force_login(world.chief_officer)
    html = client.get(
        reverse("assessments:return_history", kwargs={"assessment_id": home_assessment.pk, "code": "LG01"})
    ).content.decode()
    assert "Entered by Sam Spoc on " in html
    assert "Accepted by Casey Coordinator on " in html
    answers = client.get(
        reverse("assessments:check_answers", kwargs={"assessment_id": home_assessment.pk})
    ).content.decode()
    assert "Who entered this and who accepted it" in answers


def test_carried_forward_answers_are_tagged_until_confirmed(client, world, home_assessment, action_plan):
    from assessments.services import activity_return_save, round_open

    target = home_assessment.returns.get(activity__code="LG01")
    activity_return_save(
        activity_return_id=target.pk, values=complete_values(), by=world.spoc, expected_revision=0
    )
    sign_off_for_test(home_assessment, world.coordinator)
    new_round = round_open(
        name="Next",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 1),
        opened_by=world.national,
    ).round
    new = Assessment.objects.get(force=world.home_force, round=new_round)
    client.force_login(world.spoc)
    tasks = client.get(reverse("assessments:task_list", kwargs={"assessment_id": new.pk})).content.decode()
    assert "Carried forward" in tasks
    page = client.get(activity_url(new, "LG01")).content.decode()
    assert "carried forward from your force" in page
    home = client.get("/forces/cleveland/").content.decode()
    assert "0 of 50" in home and "1 carried forward" in home


# Query counts: each page's count must not grow with forces, rounds or history.
PAGES = {
    "force_home": lambda a: reverse("assessments:force_home", kwargs={"force_code": a.force.code}),
    "task_list": lambda a: reverse("assessments:task_list", kwargs={"assessment_id": a.pk}),
    "activity": lambda a: activity_url(a, "RI03"),
    "check_answers": lambda a: reverse("assessments:check_answers", kwargs={"assessment_id": a.pk}),
    "history": lambda a: reverse(
        "assessments:return_history", kwargs={"assessment_id": a.pk, "code": "LG01"}
    ),
}


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_query_counts_stay_flat_as_forces_and_rounds_grow(
    client, world, home_assessment, action_plan, page
):
    from django.utils import timezone

    from assessments.services import round_open
    from tests.factories import ForceFactory

    client.force_login(world.spoc)
    small = count_queries(client, PAGES[page](home_assessment))
    assert small <= 12, small
    # Grow: ten more forces and three more rounds with history.
    for _ in range(10):
        ForceFactory(region=world.home_region)
    latest = home_assessment
    for index in range(3):
        Assessment.objects.filter(pk=latest.pk).update(
            status=WorkflowStatus.SIGNED_OFF, signed_off_by=world.coordinator, signed_off_at=timezone.now()
        )
        new_round = round_open(
            name=f"Round {index}",
            plan=action_plan,
            opens_on=datetime.date(2027 + index, 1, 1),
            due_on=datetime.date(2027 + index, 3, 1),
            opened_by=world.national,
        ).round
        latest = Assessment.objects.get(force=world.home_force, round=new_round)
    AssessmentEvent.objects.count()
    assert count_queries(client, PAGES[page](latest)) == small


def test_a_change_request_says_which_coordinator_asked_and_when(client, world, home_assessment):
    make_complete(home_assessment)
    workflow.submit(home_assessment, by=world.spoc)
    workflow.return_for_changes(
        home_assessment,
        by=world.coordinator,
        reason="A few gaps",
        activity_comments={"LG01": "Say which <b>audit</b> this refers to."},
    )
    asked = AssessmentEvent.objects.get(assessment=home_assessment, to_status=WorkflowStatus.RETURNED)
    client.force_login(world.spoc)

    page = client.get(activity_url(home_assessment, "LG01")).content.decode()

    assert "The regional coordinator asked for changes" in page
    on = timezone.localtime(asked.created_at)
    assert f"From Casey Coordinator ({asked.actor_role}) on {on:%-d %B %Y}:" in page
    assert "Say which &lt;b&gt;audit&lt;/b&gt; this refers to." in page
    # An activity that was not sent back shows no request, and costs no query for one.
    other = client.get(activity_url(home_assessment, "LG02")).content.decode()
    assert "asked for changes" not in other and "From " + asked.actor_name not in other


def test_one_error_summary_lists_the_answer_and_reference_errors_in_page_order(
    client, world, home_assessment
):
    client.force_login(world.spoc)
    data = form_post({"implementation_status": "implemented"}, revision=0)
    data["ref-0-location"] = "Policy library"  # a reference with neither a name nor a date

    html = client.post(activity_url(home_assessment, "LG01"), data).content.decode()

    assert html.count('class="govuk-error-summary"') == 1
    summary = html[html.index("There is a problem") : html.index("</ul>", html.index("There is a problem"))]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == ["id_evidence_summary", "id_ref-0-title", "id_ref-0-applies_on_0"]
    assert "Enter the name of the document or source" in summary
    assert "Enter the date this evidence applies to" in summary
    for target in ("id_evidence_summary", "id_ref-0-title", "id_ref-0-applies_on_0"):
        assert f'id="{target}"' in html


@pytest.mark.parametrize(
    ("role", "progress"),
    [
        (Role.SPOC, "You have completed 0 of 50 activities."),
        (Role.CHIEF_OFFICER, "The force has completed 0 of 50 activities."),
        (Role.COORDINATOR, "The force has completed 0 of 50 activities."),
        (Role.NATIONAL, "The force has completed 0 of 50 activities."),
    ],
)
def test_the_task_list_names_the_force_and_round_and_speaks_to_its_reader(
    client, world, home_assessment, role, progress
):
    verified_staff_login(client, world.user(role))  # staff roles pass the second factor
    html = client.get(
        reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk})
    ).content.decode()
    assert "<title>Task list – Cleveland Police, 2026-27 autumn review – " in html
    assert progress in html


# --- the reason for "Not applicable": a GOV.UK conditional reveal --------------------------------------

REVEAL = 'id="conditional_implementation_status_6"'


def test_the_reason_is_in_the_page_under_not_applicable_for_readers_without_javascript(
    client, world, home_assessment
):
    """Hidden only by GOV.UK Frontend's script: the page itself carries the reason box, unhidden by CSS
    until the script marks the page as supported, right after the "Not applicable" radio."""
    client.force_login(world.spoc)
    html = client.get(activity_url(home_assessment, "LG01")).content.decode()
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert 'value="not_applicable" aria-describedby="id_implementation_status_6-hint"' in html
    assert 'data-aria-controls="conditional_implementation_status_6"' in html
    assert html.count("data-aria-controls") == 1  # only the radio that reveals something
    assert not re.search(r"<input[^>]*\saria-controls=", html)  # the script sets it when it starts
    reveal = html.split(f'<div class="govuk-radios__conditional govuk-radios__conditional--hidden" {REVEAL}>')
    assert len(reveal) == 2, "the reveal follows the Not applicable radio, hidden until it is chosen"
    assert html.index("id_implementation_status_6-hint") < html.index(REVEAL)
    assert (
        '<textarea class="govuk-textarea govuk-js-character-count" id="id_not_applicable_reason"' in reveal[1]
    )


def test_a_stored_not_applicable_answer_shows_its_reason_open(client, world, home_assessment):
    client.force_login(world.spoc)
    client.post(
        activity_url(home_assessment, "LG01"), form_post(complete_values("not_applicable"), revision=0)
    )
    html = client.get(activity_url(home_assessment, "LG01")).content.decode()
    assert f'<div class="govuk-radios__conditional" {REVEAL}>' in html
    assert "Not relevant to this force</textarea>" in html


def test_a_missing_reason_opens_the_reveal_with_its_error_and_the_summary_lands_on_it(
    client, world, home_assessment
):
    client.force_login(world.spoc)
    values = {"implementation_status": "not_applicable", "not_applicable_reason": "   "}
    html = client.post(activity_url(home_assessment, "LG01"), form_post(values, revision=0)).content.decode()
    assert 'href="#id_not_applicable_reason">Explain why this activity does not apply' in html
    opened = html.split(f'<div class="govuk-radios__conditional" {REVEAL}>')
    assert len(opened) == 2, "the reveal is open, not hidden, with the error inside it"
    assert '<p id="id_not_applicable_reason-error" class="govuk-error-message">' in opened[1]
    assert 'value="not_applicable" checked' in html


@pytest.mark.parametrize("action", ["continue", "draft"])
def test_a_reason_typed_and_then_hidden_by_another_status_is_neither_checked_nor_saved(
    client, world, home_assessment, action
):
    """The reveal hides the reason under any other status; what was typed in it is dropped, as on GOV.UK
    services, even when it is too long (no error may point at a box the reader cannot see)."""
    client.force_login(world.spoc)
    values = complete_values("implemented", not_applicable_reason="x" * 2000)
    response = client.post(
        activity_url(home_assessment, "LG01"), form_post(values, revision=0, action=action)
    )
    assert response.status_code == 302
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.implementation_status == "implemented" and saved.not_applicable_reason == ""


def test_a_reason_given_with_not_applicable_is_saved(client, world, home_assessment):
    client.force_login(world.spoc)
    values = complete_values("not_applicable", not_applicable_reason="No ports or airports")
    assert (
        client.post(activity_url(home_assessment, "LG01"), form_post(values, revision=0)).status_code == 302
    )
    saved = ActivityReturn.objects.get(assessment=home_assessment, activity__code="LG01")
    assert saved.not_applicable_reason == "No ports or airports"


def test_saving_an_activity_makes_eleven_queries(client, world, home_assessment):
    # Pinned (docs/performance.md, page table): sign-in checks 3, the assessment, the activity's
    # neighbours, the last sign-off, then the save: the locked assessment, return and open action, the
    # return's update and its history. The first save raises the action (one more write); a save
    # that leaves the action as it was writes only the return. Transaction control is not counted.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.page_list import counted

    client.force_login(world.spoc)
    url = activity_url(home_assessment, "RI03")
    values = complete_values("in_progress")
    assert client.post(url, form_post(values, revision=0, action="draft")).status_code == 302
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url, form_post({**values, "evidence_summary": "Pilot extended"}, revision=1, action="draft")
        )
    assert response.status_code == 302
    assert counted(captured) == 11, [query["sql"][:80] for query in captured.captured_queries]
