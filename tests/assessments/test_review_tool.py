"""Issue 14: the coordinator's review as a tool: reachable, no silent loss of input, focused, measured."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services, workflow
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, ReviewMark
from assessments.services import activity_return_save
from assessments.status import WorkflowStatus
from tests.assessments.test_admin_review import decision, review_url, submitted
from tests.conftest import complete_values
from tests.factories import ForceFactory, verified_staff_login

CHANGELIST = "admin:assessments_assessment_changelist"


def state(assessment):
    """What a refused decision must leave as it was."""
    assessment.refresh_from_db()
    return (
        assessment.status,
        AssessmentEvent.objects.filter(assessment=assessment).count(),
        sorted(
            ActivityReturn.objects.filter(assessment=assessment, reopened_for_changes=True).values_list(
                "activity__code", flat=True
            )
        ),
    )


# --- every combination of button and marks -------------------------------------------------------

# (button, marks sent as {code: comment}, extra comment-only fields, expected status, text on the page)
COMBINATIONS = {
    "sign off, no marks": ("sign_off", {}, {}, WorkflowStatus.SIGNED_OFF, None),
    "sign off, one mark": (
        "sign_off",
        {"LG03": "Add the policy"},
        {},
        WorkflowStatus.SUBMITTED,
        "You have asked for changes to LG03. "
        "Return the assessment, or clear those requests before signing off",
    ),
    "sign off, two marks": (
        "sign_off",
        {"LG03": "Add the policy", "VS02": "Date it"},
        {},
        WorkflowStatus.SUBMITTED,
        "You have asked for changes to LG03, VS02.",
    ),
    "sign off, mark without comment": (
        "sign_off",
        {"LG03": ""},
        {},
        WorkflowStatus.SUBMITTED,
        "You have asked for changes to LG03.",
    ),
    "sign off, comment without mark": (
        "sign_off",
        {},
        {"comment_LG04": "Nice work"},
        WorkflowStatus.SUBMITTED,
        "Tick “Needs changes” on LG04 to send this comment, or clear the comment",
    ),
    "return, no marks": ("return", {}, {}, WorkflowStatus.SUBMITTED, "Mark at least one activity"),
    "return, one mark": ("return", {"LG03": "Add the policy"}, {}, WorkflowStatus.RETURNED, None),
    "return, mark without comment": (
        "return",
        {"LG03": ""},
        {},
        WorkflowStatus.SUBMITTED,
        "Say what needs to change in LG03",
    ),
    "return, comment without mark": (
        "return",
        {"LG03": "Add the policy"},
        {"comment_LG04": "Nice work"},
        WorkflowStatus.SUBMITTED,
        "Tick “Needs changes” on LG04",
    ),
}


@pytest.mark.parametrize("case", list(COMBINATIONS))
def test_each_button_with_each_kind_of_mark(client, world, home_assessment, case):
    button, marks, extra, expected, message = COMBINATIONS[case]
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    before = state(home_assessment)
    data = {**decision(home_assessment, action=button, overall="Overall words", marks=marks), **extra}
    response = client.post(review_url(home_assessment), data)
    home_assessment.refresh_from_db()
    assert home_assessment.status == expected
    if message is None:
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert message in html
    assert state(home_assessment) == before  # nothing written
    # Nothing typed is lost: every tick, every comment and the overall comment come back.
    for code, comment in marks.items():
        assert f'name="changes_{code}" id="id_changes_{code}" checked' in html
        assert f">{comment}</textarea>" in html
    for name, comment in extra.items():
        assert f'name="{name}" id="id_{name}" rows="2" maxlength="2000">{comment}</textarea>' in html
    assert ">Overall words</textarea>" in html


def test_a_refused_sign_off_links_each_marked_activity_and_shows_every_row(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    data = decision(home_assessment, action="sign_off", marks={"LG03": "x", "VS02": "y"})
    html = client.post(review_url(home_assessment) + "?show=down", data).content.decode()
    assert '<a href="#id_changes_LG03">LG03</a>, <a href="#id_changes_VS02">VS02</a>' in html
    assert 'id="id_changes_LG03"' in html and 'id="id_changes_VS02"' in html


# --- bad input: forged codes, stale pages ---------------------------------------------------------


@pytest.mark.parametrize("button", ["sign_off", "return"])
def test_a_forged_activity_code_is_refused_with_a_message(client, world, home_assessment, button):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    before = state(home_assessment)
    data = decision(home_assessment, action=button, overall="Why", marks={"ZZ99": "Not ours"})
    html = client.post(review_url(home_assessment), data).content.decode()
    expected = (
        "You have asked for changes to ZZ99" if button == "sign_off" else "not in this assessment: ZZ99"
    )
    assert expected in html
    assert state(home_assessment) == before


@pytest.mark.parametrize("button", ["sign_off", "return"])
def test_a_page_left_open_while_the_spoc_resubmitted_changes_nothing(client, world, home_assessment, button):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    seen = home_assessment.events.count()
    workflow.return_for_changes(
        home_assessment, by=world.coordinator, reason="Gap", activity_comments={"LG01": "Fix"}
    )
    home_assessment.refresh_from_db()
    workflow.submit(home_assessment, by=world.spoc)
    before = state(home_assessment)
    marks = {"LG02": "again"} if button == "return" else {}
    data = decision(home_assessment, action=button, overall="Why", marks=marks, events_seen=seen)
    html = client.post(review_url(home_assessment), data).content.decode()
    assert "changed since you opened this page" in html
    assert state(home_assessment) == before


def test_the_workflow_refuses_a_sign_off_with_marks_and_a_stale_page(world, home_assessment):
    submitted(home_assessment, world.spoc)
    with pytest.raises(workflow.SignOffWithMarks) as refused:
        workflow.sign_off(home_assessment, by=world.coordinator, marked=["VS02", "LG03"])
    assert refused.value.codes == ["LG03", "VS02"]
    with pytest.raises(workflow.StalePage):
        workflow.sign_off(home_assessment, by=world.coordinator, events_seen=0)
    with pytest.raises(workflow.StalePage):
        workflow.return_for_changes(
            home_assessment, by=world.coordinator, reason="r", activity_comments={"LG01": "c"}, events_seen=0
        )
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED
    workflow.sign_off(home_assessment, by=world.coordinator, events_seen=1)
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SIGNED_OFF


# --- looked-at marks ---------------------------------------------------------------------------------


def test_looked_at_marks_are_kept_per_version_and_per_reviewer_without_losing_typed_input(
    client, world, home_assessment
):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    data = {**decision(home_assessment, action="sign_off", marks={"VS02": "typed"}), "looked_at": "LG01"}
    data.pop("decision")
    html = client.post(review_url(home_assessment), data).content.decode()
    assert 'name="changes_VS02" id="id_changes_VS02" checked' in html and ">typed</textarea>" in html
    assert "You have looked at 1 of" in html
    assert (
        ReviewMark.objects.filter(assessment=home_assessment, version=1, activity__code="LG01").count() == 1
    )
    # A second sitting sees the mark; clearing it removes it.
    assert "You have looked at 1 of" in client.get(review_url(home_assessment)).content.decode()
    client.post(review_url(home_assessment), {"looked_at": "LG01:clear", "events_seen": "1"})
    assert not ReviewMark.objects.exists()
    # A code from elsewhere is refused with a message and writes nothing.
    refused = client.post(review_url(home_assessment), {"looked_at": "ZZ99", "events_seen": "1"}, follow=True)
    assert "ZZ99 is not an activity of this assessment" in refused.content.decode()
    assert not ReviewMark.objects.exists()
    # Only a coordinator who may review keeps marks.
    with pytest.raises(PermissionDenied):
        services.review_mark_set(assessment=home_assessment, code="LG01", by=world.national, looked_at=True)


# --- resubmissions, groups and the list -----------------------------------------------------------


def resubmit_after_return(assessment, world):
    submitted(assessment, world.spoc)
    workflow.return_for_changes(
        assessment,
        by=world.coordinator,
        reason="Two gaps",
        activity_comments={"LG01": "Name the chief officer", "VS02": "Add the NRM audit"},
    )
    lg01 = ActivityReturn.objects.get(assessment=assessment, activity__code="LG01")
    activity_return_save(
        activity_return_id=lg01.pk,
        values=complete_values("implemented", evidence_summary="The chief officer is named in the policy."),
        by=world.spoc,
        expected_revision=lg01.revision,
    )
    assessment.refresh_from_db()
    workflow.submit(assessment, by=world.spoc)
    assessment.refresh_from_db()
    return assessment


def test_a_resubmission_opens_at_the_activities_returned_with_the_request_and_the_changes(
    client, world, home_assessment
):
    resubmit_after_return(home_assessment, world)
    verified_staff_login(client, world.coordinator)
    response = client.get(review_url(home_assessment))
    html = response.content.decode()
    assert response.context["group"] == "returned"
    assert "Returned last time: 2 of 50 activities" in html
    assert 'id="activity-LG01"' in html and 'id="activity-VS02"' in html and 'id="activity-LG02"' not in html
    assert "You asked: Name the chief officer</p><p>Changed since the return: Evidence summary</p>" in html
    assert "You asked: Add the NRM audit</p><p>Changed since the return: Nothing</p>" in html
    everything = client.get(review_url(home_assessment) + "?show=all").content.decode()
    assert 'id="activity-LG02"' in everything
    assert "?show=returned#review-table" in everything


def test_the_list_says_resubmitted_with_the_version_and_the_return_date(client, world, home_assessment):
    resubmit_after_return(home_assessment, world)
    returned = AssessmentEvent.objects.get(to_status=WorkflowStatus.RETURNED).created_at
    verified_staff_login(client, world.coordinator)
    html = client.get(reverse(CHANGELIST)).content.decode()
    day = f"{returned.astimezone().day} {returned.astimezone():%b %Y}"
    assert f"Resubmitted: version 1, returned on {day}" in html


def test_the_force_name_of_a_submitted_assessment_opens_its_review_for_its_coordinator(
    client, world, home_assessment
):
    submitted(home_assessment, world.spoc)
    review = review_url(home_assessment)
    verified_staff_login(client, world.coordinator)
    html = client.get(reverse(CHANGELIST), {"status__exact": "submitted"}).content.decode()
    assert f'<th class="field-force nowrap"><a href="{review}?_changelist_filters=' in html
    assert ">Cleveland Police</a></th>" in html
    verified_staff_login(client, world.national)  # may not decide: the force opens its record
    html = client.get(reverse(CHANGELIST)).content.decode()
    change = reverse("admin:assessments_assessment_change", args=[home_assessment.pk])
    assert f'<th class="field-force nowrap"><a href="{change}">Cleveland Police</a></th>' in html


def test_the_admin_speaks_the_services_words_and_counts_your_reviews(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "1 assessment waiting for your review</a>" in index
    assert ">Sign out</button>" in index and "Log out" not in index
    assert 'href="/">Back to the self-assessment service</a>' in index
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert "<h1>Review</h1>" in listing and "Select assessment to view" not in listing
    verified_staff_login(client, world.national)
    assert "waiting for your review" not in client.get(reverse("admin:index")).content.decode()


def test_overviews_offer_review_to_the_coordinator_who_may_review(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    link = f'href="{review_url(home_assessment)}">Review<span class="govuk-visually-hidden"> Cleveland Police'
    region = reverse("assessments:region_overview", kwargs={"region_slug": "north-east"})
    verified_staff_login(client, world.coordinator)
    assert link in client.get(region).content.decode()
    verified_staff_login(client, world.national)
    assert link not in client.get(region).content.decode()
    assert link not in client.get(reverse("assessments:national_overview")).content.decode()


# --- the pipeline and turnaround page ----------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_the_pipeline_shows_turnaround_returns_and_waits_in_scope(client, world, home_assessment):
    resubmit_after_return(home_assessment, world)
    url = reverse("assessments:pipeline")
    verified_staff_login(client, world.coordinator)
    _, response = count_queries(client, url)
    html = response.content.decode()
    assert "North East" in html and "Wales" not in html and "Gwent Police" not in html
    result = response.context["pipeline"]
    home = next(row for row in result.forces if row.assessment.pk == home_assessment.pk)
    assert home.returns == 1 and len(home.decision_days) == 1
    assert [row.assessment.pk for row, _ in result.waiting_longest] == [home_assessment.pk]
    verified_staff_login(client, world.national)
    assert "Wales" in client.get(url).content.decode()
    client.force_login(world.spoc)
    assert client.get(url).status_code == 404


def test_the_new_pages_make_the_same_few_queries_for_more_forces_and_rounds(
    client, world, home_assessment, action_plan
):
    import datetime

    from assessments.services import round_open

    resubmit_after_return(home_assessment, world)
    verified_staff_login(client, world.coordinator)
    pages = [
        reverse("assessments:pipeline"),
        review_url(home_assessment),
        review_url(home_assessment) + "?show=all",
    ]
    small = [count_queries(client, url)[0] for url in pages]
    assert max(small) <= 12, small
    for _ in range(6):
        ForceFactory(region=world.home_region)
    for index in range(3):
        round_open(
            name=f"Round {index}",
            plan=action_plan,
            opens_on=datetime.date(2027 + index, 1, 1),
            due_on=datetime.date(2027 + index, 3, 1),
            opened_by=world.national,
        )
    for assessment in Assessment.objects.exclude(pk=home_assessment.pk)[:4]:
        submitted(assessment, _spoc_for(assessment))
    assert [count_queries(client, url)[0] for url in pages] == small


def _spoc_for(assessment):
    from accounts.roles import Role
    from tests.factories import user_with_role

    return user_with_role(Role.SPOC, force=assessment.force)
