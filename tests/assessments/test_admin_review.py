"""The review in the admin: scoped lists, the comparison page, returning, signing off, reopening."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import workflow
from assessments.models import ActivityReturn, Assessment, AssessmentEvent, AssessmentSnapshot
from assessments.services import activity_return_save, round_open
from assessments.status import WorkflowStatus
from tests.conftest import complete_values

try:  # the shared helper signs staff in with a verified second factor once that exists
    from tests.factories import verified_staff_login
except ImportError:  # pragma: no cover - before the second factor landed

    def verified_staff_login(client, user):
        client.force_login(user)


def submitted(assessment, spoc, status="implemented"):
    for activity_return in assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(status),
            by=spoc,
            expected_revision=activity_return.revision,
        )
    workflow.submit(assessment, by=spoc)
    assessment.refresh_from_db()
    return assessment


def review_url(assessment):
    return reverse("admin:assessments_assessment_review", args=[assessment.pk])


def decision(assessment, *, action, overall="", marks=None, events_seen=None):
    data = {
        "decision": action,
        "overall_comment": overall,
        "events_seen": str(events_seen if events_seen is not None else assessment.events.count()),
    }
    for code, comment in (marks or {}).items():
        data[f"changes_{code}"] = "on"
        data[f"comment_{code}"] = comment
    return data


def test_coordinators_list_only_their_regions_assessments(client, world, open_round):
    verified_staff_login(client, world.coordinator)
    response = client.get(reverse("admin:assessments_assessment_changelist"))
    html = response.content.decode()
    assert "Cleveland Police" in html and "Durham Constabulary" in html
    assert "Gwent Police" not in html
    assert "By region" not in html
    verified_staff_login(client, world.national)
    html = client.get(reverse("admin:assessments_assessment_changelist")).content.decode()
    assert "Gwent Police" in html and "By region" in html


def test_the_admin_index_counts_submissions_awaiting_review(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    assert (
        "1 submitted assessment is waiting for review" in client.get(reverse("admin:index")).content.decode()
    )
    verified_staff_login(client, world.other_coordinator)
    assert "No submitted assessments are waiting" in client.get(reverse("admin:index")).content.decode()


def test_another_regions_review_page_is_404(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.other_coordinator)
    assert client.get(review_url(home_assessment)).status_code == 404
    assert (
        client.post(review_url(home_assessment), decision(home_assessment, action="sign_off")).status_code
        == 404
    )
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED


def test_returning_needs_a_reason_and_a_marked_activity(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    no_reason = client.post(
        review_url(home_assessment),
        decision(home_assessment, action="return", marks={"LG01": "Add the policy"}),
    )
    assert "Give the overall reason" in no_reason.content.decode()
    no_marks = client.post(
        review_url(home_assessment), decision(home_assessment, action="return", overall="Needs work")
    )
    assert "Mark at least one activity" in no_marks.content.decode()
    mark_without_comment = client.post(
        review_url(home_assessment),
        {**decision(home_assessment, action="return", overall="Needs work"), "changes_LG02": "on"},
    )
    assert "Say what needs to change in LG02" in mark_without_comment.content.decode()
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED
    assert AssessmentEvent.objects.filter(to_status=WorkflowStatus.RETURNED).count() == 0


def test_return_for_changes_opens_only_the_marked_activities_and_the_spoc_sees_the_comments(
    client, world, home_assessment
):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    response = client.post(
        review_url(home_assessment),
        decision(
            home_assessment,
            action="return",
            overall="Two gaps",
            marks={"LG01": "Name the chief officer", "VS02": "Add the NRM audit"},
        ),
    )
    assert response.status_code == 302
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.RETURNED
    reopened = set(
        ActivityReturn.objects.filter(assessment=home_assessment, reopened_for_changes=True).values_list(
            "activity__code", flat=True
        )
    )
    assert reopened == {"LG01", "VS02"}
    client.force_login(world.spoc)
    tasks = client.get(
        reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk})
    ).content.decode()
    assert "Coordinator: Name the chief officer" in tasks and tasks.count("Changes requested") >= 2
    page = client.get(
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": "VS02"})
    ).content.decode()
    assert "Add the NRM audit" in page and "Save and continue" in page
    other = client.get(
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": "LG02"})
    ).content.decode()
    assert "Save and continue" not in other
    home = client.get("/forces/cleveland/").content.decode()
    assert "Changes requested" in home and "Two gaps" in home


def test_sign_off_stores_a_snapshot_and_makes_the_version_read_only(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    response = client.post(
        review_url(home_assessment), decision(home_assessment, action="sign_off", overall="Well evidenced")
    )
    assert response.status_code == 302
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SIGNED_OFF
    assert home_assessment.signed_off_by == world.coordinator
    assert AssessmentSnapshot.objects.filter(assessment=home_assessment, version=1).exists()
    client.force_login(world.spoc)
    page = client.get(
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": "LG01"})
    )
    assert "Save and continue" not in page.content.decode()


def test_the_review_page_names_who_submitted_and_signed_off_as_the_events_recorded(
    client, world, home_assessment
):
    """The names come from the workflow's events, as the history table's do: a later change of name
    does not rewrite who did what."""
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    client.post(review_url(home_assessment), decision(home_assessment, action="sign_off"))
    world.spoc.full_name = "Samantha Renamed"
    world.spoc.save()
    world.coordinator.full_name = "Casey Renamed"
    world.coordinator.save()
    page = client.get(review_url(home_assessment)).content.decode()
    assert "by Sam Spoc." in page
    assert "by Casey Coordinator (" in page
    assert "Renamed" not in page


def test_a_stale_review_page_changes_nothing(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    response = client.post(
        review_url(home_assessment), decision(home_assessment, action="sign_off", events_seen=0)
    )
    assert "changed since you opened this page" in response.content.decode()
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED


def test_a_decision_on_an_assessment_no_longer_submitted_is_explained(client, world, home_assessment):
    verified_staff_login(client, world.coordinator)
    response = client.post(review_url(home_assessment), decision(home_assessment, action="sign_off"))
    assert "cannot be moved to signed off" in response.content.decode()
    assert not AssessmentEvent.objects.exists()


def test_national_staff_cannot_decide_but_can_reopen_with_a_reason(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.national)
    assert (
        client.post(review_url(home_assessment), decision(home_assessment, action="sign_off")).status_code
        == 403
    )
    workflow.sign_off(home_assessment, by=world.coordinator)
    seen = home_assessment.events.count()
    empty = client.post(review_url(home_assessment), {"reason": "", "events_seen": str(seen)})
    assert "Give a reason for reopening" in empty.content.decode()
    client.post(review_url(home_assessment), {"reason": "Error found in VS03", "events_seen": str(seen)})
    home_assessment.refresh_from_db()
    assert (home_assessment.status, home_assessment.version) == (WorkflowStatus.DRAFT, 2)
    assert AssessmentSnapshot.objects.filter(assessment=home_assessment, version=1).count() == 1


def test_coordinators_cannot_reopen(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    workflow.sign_off(home_assessment, by=world.coordinator)
    verified_staff_login(client, world.coordinator)
    response = client.post(
        review_url(home_assessment), {"reason": "Try", "events_seen": str(home_assessment.events.count())}
    )
    assert response.status_code == 403


def test_the_review_page_marks_what_changed_since_the_last_sign_off(
    client, world, home_assessment, action_plan
):
    submitted(home_assessment, world.spoc, status="in_progress")
    workflow.sign_off(home_assessment, by=world.coordinator)
    new_round = round_open(
        name="Spring",
        plan=action_plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 1),
        opened_by=world.national,
    ).round
    # LG01's rise has no new evidence: the evidence-of-change rule is not this test's subject, so the
    # round only warns about it (the rule has its own tests in test_evidence_of_change.py).
    workflow.evidence_rule_set(new_round, by=world.national, warn_only=True)
    latest = Assessment.objects.get(force=world.home_force, round=new_round)
    for activity_return in latest.returns.select_related("activity"):
        code = activity_return.activity.code
        status = "embedded" if code == "LG01" else "planned" if code == "LG02" else "in_progress"
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values(status),
            by=world.spoc,
            expected_revision=0,
        )
    workflow.submit(latest, by=world.spoc)
    verified_staff_login(client, world.coordinator)
    response = client.get(review_url(latest))
    page = response.context["page"]
    changes = {row.activity_return.code: row.status_change for row in page.rows}
    assert changes["LG01"] == "up" and changes["LG02"] == "down" and changes["LG03"] == "same"
    assert page.counts["up"] == 1 and page.counts["down"] == 1
    assert "Carried forward unchanged" in response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_review_and_changelist_query_counts_stay_flat(client, world, home_assessment, action_plan):
    from django.utils import timezone

    from tests.factories import ForceFactory

    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    changelist = reverse("admin:assessments_assessment_changelist")
    small_review, small_list = (
        count_queries(client, review_url(home_assessment)),
        count_queries(client, changelist),
    )
    assert small_review <= 12 and small_list <= 12, (small_review, small_list)
    for _ in range(10):
        ForceFactory(region=world.home_region)
    latest = home_assessment
    for index in range(3):
        Assessment.objects.filter(round=latest.round).update(
            status=WorkflowStatus.SIGNED_OFF, signed_off_by=world.coordinator, signed_off_at=timezone.now()
        )
        AssessmentSnapshot.objects.create(assessment=latest, version=1, data={"returns": []}, sha256="0" * 64)
        new_round = round_open(
            name=f"Round {index}",
            plan=action_plan,
            opens_on=datetime.date(2027 + index, 1, 1),
            due_on=datetime.date(2027 + index, 3, 1),
            opened_by=world.national,
        ).round
        latest = Assessment.objects.get(force=world.home_force, round=new_round)
    assert count_queries(client, review_url(latest)) == small_review
    assert count_queries(client, changelist) == small_list


def test_the_review_page_links_to_the_forces_pdf_report(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    html = client.get(review_url(home_assessment)).content.decode()
    draft = reverse("assessments:force_report_draft_pdf", args=["cleveland", home_assessment.round_id])
    assert f'href="{draft}"' in html
    workflow.sign_off(home_assessment, by=world.coordinator)
    html = client.get(review_url(home_assessment)).content.decode()
    signed = reverse("assessments:force_report_pdf", args=["cleveland", home_assessment.round_id, 1])
    assert f'href="{signed}"' in html


def test_the_review_page_of_a_signed_off_assessment_repeats_no_id(client, world, home_assessment):
    submitted(home_assessment, world.spoc)
    workflow.sign_off(home_assessment, by=world.coordinator)
    verified_staff_login(client, world.national)  # sees the decision form's part and the reopen form
    page = client.get(review_url(home_assessment)).content.decode()
    assert "Reopen this signed-off assessment" in page
    repeated = [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if count > 1]
    assert repeated == []


def test_the_record_page_links_who_submitted_only_for_readers_who_may_open_their_page(
    client, world, home_assessment
):
    submitted(home_assessment, world.spoc)
    record = reverse("admin:assessments_assessment_change", args=[home_assessment.pk])
    person = reverse("admin:accounts_user_change", args=[world.spoc.pk])

    verified_staff_login(client, world.coordinator)
    for_coordinator = client.get(record).content.decode()
    assert "Sam Spoc" in for_coordinator and person not in for_coordinator
    assert client.get(person).status_code == 403  # the page a link would have led to

    verified_staff_login(client, world.administrator)
    for_administrator = client.get(record).content.decode()
    assert f'<a href="{person}">Sam Spoc</a>' in for_administrator
    assert client.get(person).status_code == 200


def test_the_review_page_hides_the_decision_from_a_coordinator_in_the_force_and_says_why(
    client, world, home_assessment
):
    """Issue 21 item 2: a SPOC who also coordinates the region sees no buttons, and the reason."""
    from accounts.models import Membership
    from accounts.roles import Role

    submitted(home_assessment, world.spoc)
    Membership.objects.create(user=world.spoc, role=Role.COORDINATOR, region=world.home_region)
    verified_staff_login(client, world.spoc)
    response = client.get(review_url(home_assessment))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="sign_off"' not in html
    assert 'value="return"' not in html
    assert "so a coordinator from outside it must review it" in html
    refused = client.post(review_url(home_assessment), decision(home_assessment, action="sign_off"))
    assert refused.status_code == 403
    home_assessment.refresh_from_db()
    assert home_assessment.status == WorkflowStatus.SUBMITTED


def test_the_review_page_tells_a_former_spoc_that_another_coordinator_must_review(
    client, world, home_assessment
):
    from accounts.models import Membership
    from accounts.roles import Role

    submitted(home_assessment, world.spoc)
    Membership.objects.filter(user=world.spoc).delete()
    Membership.objects.create(user=world.spoc, role=Role.COORDINATOR, region=world.home_region)
    verified_staff_login(client, world.spoc)
    html = client.get(review_url(home_assessment)).content.decode()
    assert "You submitted or edited this version, so another coordinator must review it." in html
    assert 'value="sign_off"' not in html


def test_a_resubmissions_review_reads_the_returned_answers_and_stays_within_twelve_queries(
    client, world, home_assessment
):
    """The answers as the last return sent them back are read only when this version was returned
    (the events say so): one query more on a resubmission than on a first submission, within 12."""
    submitted(home_assessment, world.spoc)
    verified_staff_login(client, world.coordinator)
    first_submission = count_queries(client, review_url(home_assessment))
    code = home_assessment.returns.order_by("activity__area__number", "activity__order")[0].activity.code
    workflow.return_for_changes(
        home_assessment, by=world.coordinator, reason="Fix", activity_comments={code: "Add the audit"}
    )
    workflow.submit(home_assessment, by=world.spoc)
    resubmission = count_queries(client, review_url(home_assessment))
    assert resubmission == first_submission + 1 <= 12
    html = client.get(review_url(home_assessment)).content.decode()
    assert "You asked: Add the audit" in html
