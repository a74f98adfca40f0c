"""The right message to the right people: who gets what, what it says, and what waits for a digest.

Most tests run the workflow inside django_capture_on_commit_callbacks(execute=True), so the emails the
change queued are sent (the immediate backend) as if it had committed.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.digests import digests_send
from accounts.models import DigestItem
from accounts.roles import Role
from assessments import notifications, workflow
from assessments.models import ActivityReturn, Assessment
from assessments.reminders import send_reminders
from assessments.status import WorkflowStatus
from tests.assessments.workflow_states import make_complete, put_in_status
from tests.factories import user_with_role

ROUND = "2026-27 autumn review"  # the open_round fixture's name
FORCE = "Cleveland Police"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a workflow step and send what it queued, as a commit would."""

    def go(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return go


def to(address):
    return [message for message in mail.outbox if address in message.to]


def codes(assessment, count):
    return [
        row.activity.code
        for row in assessment.returns.select_related("activity").order_by(
            "activity__area__number", "activity__order"
        )
    ][:count]


def submitted(assessment, world):
    make_complete(assessment)
    put_in_status(assessment, WorkflowStatus.SUBMITTED, world=world)


def test_the_rule_for_what_goes_at_once_is_the_decisions_that_need_action():
    assert {kind for kind in notifications.Kind if notifications.goes_at_once(kind)} == {
        notifications.Kind.SUBMITTED_FOR_REVIEW,
        notifications.Kind.RETURNED_FOR_CHANGES,
        notifications.Kind.REOPENED,
    }


def test_the_submitting_spoc_gets_a_receipt_and_the_other_spoc_does_not(world, home_assessment, run):
    other_spoc = user_with_role(Role.SPOC, force=world.home_force, email="spoc.two@force.example")
    make_complete(home_assessment)
    run(workflow.submit, home_assessment, by=world.spoc)
    [receipt] = to(world.spoc.email)
    assert receipt.subject == f"Received: {FORCE}'s {ROUND} assessment (version 1)"
    assert "will review it" in receipt.body
    assert reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk}) in receipt.body
    assert to(other_spoc.email) == []
    [for_review] = to(world.coordinator.email)
    assert for_review.subject == f"{FORCE} has submitted its {ROUND} assessment (version 1)"
    assert "returned" not in for_review.body


@pytest.mark.parametrize(
    ("digest", "words"),
    [
        (False, "We have sent you a confirmation email."),
        (True, "A confirmation will be in your next daily digest."),
    ],
)
def test_the_confirmation_page_says_where_the_receipt_is(client, world, home_assessment, digest, words):
    world.spoc.email_digest = digest
    world.spoc.save(update_fields=["email_digest"])
    make_complete(home_assessment)
    client.force_login(world.spoc)
    response = client.post(
        reverse("assessments:submit", kwargs={"assessment_id": home_assessment.pk}),
        {"declaration": "on"},
        follow=True,
    )
    assert words in response.content.decode()


def test_a_resubmission_says_so_with_the_version_and_the_activities_returned(world, home_assessment, run):
    submitted(home_assessment, world)
    first, second = codes(home_assessment, 2)
    run(
        workflow.return_for_changes,
        home_assessment,
        by=world.coordinator,
        reason="More needed",
        activity_comments={first: "Add the policy", second: "Date it"},
    )
    make_complete(home_assessment)
    mail.outbox.clear()
    run(workflow.submit, home_assessment, by=world.spoc)
    [for_review] = to(world.coordinator.email)
    assert for_review.subject == f"{FORCE} has resubmitted its {ROUND} assessment (version 1)"
    assert "returned for changes to 2 activities" in for_review.body
    titles = dict(
        ActivityReturn.objects.filter(assessment=home_assessment).values_list(
            "activity__code", "activity__title"
        )
    )
    assert f"- {first} {titles[first]}\n- {second} {titles[second]}" in for_review.body
    [receipt] = to(world.spoc.email)
    assert "You resubmitted" in receipt.body


def test_every_spoc_of_the_force_is_told_of_a_return_with_the_activities(world, home_assessment, run):
    other_spoc = user_with_role(Role.SPOC, force=world.home_force, email="spoc.two@force.example")
    user_with_role(Role.SPOC, force=world.neighbour_force, email="neighbour@force.example")
    submitted(home_assessment, world)
    [first] = codes(home_assessment, 1)
    run(
        workflow.return_for_changes,
        home_assessment,
        by=world.coordinator,
        reason="More needed",
        activity_comments={first: "Add the policy"},
    )
    [message] = mail.outbox
    assert sorted(message.to) == sorted([world.spoc.email, other_spoc.email])
    assert message.subject == f"{FORCE}'s {ROUND} assessment has been returned for changes"
    assert f"asked for changes to 1 activity:\n- {first} " in message.body


def test_the_sign_off_email_links_the_signed_off_pdf_through_its_permission_checked_address(
    world, home_assessment, run
):
    submitted(home_assessment, world)
    run(workflow.sign_off, home_assessment, by=world.coordinator, comment="Good")
    [message] = mail.outbox
    pdf = reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": "cleveland", "round_id": home_assessment.round_id, "version": 1},
    )
    assert f"http://127.0.0.1:8000{pdf}" in message.body  # no request, no base URL: the local site
    assert sorted(message.to) == sorted([world.spoc.email, world.chief_officer.email])


def test_subjects_name_the_force_and_the_round(world, home_assessment, run):
    submitted(home_assessment, world)
    [first] = codes(home_assessment, 1)
    run(
        workflow.return_for_changes,
        home_assessment,
        by=world.coordinator,
        reason="More",
        activity_comments={first: "x"},
    )
    make_complete(home_assessment)
    run(workflow.submit, home_assessment, by=world.spoc)
    run(workflow.sign_off, home_assessment, by=world.coordinator)
    run(workflow.reopen, home_assessment, by=world.national, reason="Error found")
    Assessment.objects.filter(round=home_assessment.round).exclude(pk=home_assessment.pk).delete()
    send_reminders(today=home_assessment.round.due_on + datetime.timedelta(days=8))
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) >= 8
    for subject in subjects:
        assert FORCE in subject and ROUND in subject, subject


# --- Links: the configured base URL in production, the person's own site in development ---

PRODUCTION_BASE = "https://msoic.example.police.uk"


def review_link_sent(client, world, assessment, capture, **headers):
    """Submit through the page, as the SPOC, and return the review link the coordinator was sent."""
    make_complete(assessment)
    client.force_login(world.spoc)
    with capture(execute=True):
        response = client.post(
            reverse("assessments:submit", kwargs={"assessment_id": assessment.pk}),
            {"declaration": "on"},
            **headers,
        )
    assert response.status_code == 302
    [for_review] = to(world.coordinator.email)
    review = reverse("admin:assessments_assessment_review", args=[assessment.pk])
    [link] = [line for line in for_review.body.splitlines() if line.endswith(review)]
    return link.removesuffix(review)


def test_in_development_links_use_the_site_the_person_was_using(
    client, world, home_assessment, django_capture_on_commit_callbacks
):
    site = review_link_sent(
        client, world, home_assessment, django_capture_on_commit_callbacks, HTTP_HOST="localhost:8000"
    )
    assert site == "http://localhost:8000"


@override_settings(SERVICE_BASE_URL=PRODUCTION_BASE)
def test_in_production_links_use_the_configured_base_url_whatever_the_host_header(
    client, world, home_assessment, django_capture_on_commit_callbacks
):
    site = review_link_sent(
        client, world, home_assessment, django_capture_on_commit_callbacks, HTTP_HOST="localhost:8000"
    )
    assert site == PRODUCTION_BASE


# --- The daily digest: what waits, what never does ---


def test_digest_readers_get_news_in_their_digest_and_decisions_that_need_action_at_once(
    world, home_assessment, run
):
    for person in (world.spoc, world.chief_officer, world.coordinator):
        person.email_digest = True
        person.save(update_fields=["email_digest"])
    make_complete(home_assessment)
    run(workflow.submit, home_assessment, by=world.spoc)
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]  # review request at once; receipt held
    mail.outbox.clear()
    run(workflow.sign_off, home_assessment, by=world.coordinator)
    assert mail.outbox == []  # SPOC and chief officer both read digests
    run(workflow.reopen, home_assessment, by=world.national, reason="Error found")
    assert [m.to for m in mail.outbox] == [[world.spoc.email]]  # needs the SPOC's action: at once

    held = {(item.user.email, item.subject) for item in DigestItem.objects.select_related("user")}
    assert held == {
        (world.spoc.email, f"Received: {FORCE}'s {ROUND} assessment (version 1)"),
        (world.spoc.email, f"{FORCE}'s {ROUND} assessment has been signed off"),
        (world.chief_officer.email, f"{FORCE}'s {ROUND} assessment has been signed off"),
    }
    mail.outbox.clear()
    assert digests_send(now=timezone.now()) == 2
    spoc_digest = to(world.spoc.email)[0]
    assert "there are 2 updates" in spoc_digest.body and "signed off" in spoc_digest.body


# --- Quiet: no email carries evidence, comments or reasons ---

SECRET = "OFFICIAL-SENSITIVE <script>alert('x')</script> Operation Nightjar"


def test_no_email_of_any_kind_carries_evidence_comments_or_reasons(world, home_assessment, run):
    """Every kind of email, with hostile, sensitive text in every free-text field and comment."""
    digest_reader = user_with_role(
        Role.CHIEF_OFFICER, force=world.home_force, email="digest@force.example", email_digest=True
    )
    make_complete(home_assessment)
    ActivityReturn.objects.filter(assessment=home_assessment).update(
        evidence_summary=SECRET,
        next_steps=SECRET,
        action_owner=SECRET[:150],
        evidence_references=[{"title": SECRET, "location": SECRET, "applies_on": "2026-10-02"}],
    )
    # A reason is kept only with Not applicable (the database refuses it beside another status).
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG02").update(
        implementation_status="not_applicable", not_applicable_reason=SECRET
    )
    run(workflow.submit, home_assessment, by=world.spoc)
    [first] = codes(home_assessment, 1)
    run(
        workflow.return_for_changes,
        home_assessment,
        by=world.coordinator,
        reason=SECRET,
        activity_comments={first: SECRET},
    )
    ActivityReturn.objects.filter(assessment=home_assessment).update(is_complete=True)
    run(workflow.submit, home_assessment, by=world.spoc)
    run(workflow.sign_off, home_assessment, by=world.coordinator, comment=SECRET)
    run(workflow.reopen, home_assessment, by=world.national, reason=SECRET)
    due_on = home_assessment.round.due_on
    send_reminders(today=due_on + datetime.timedelta(days=8))  # overdue, with copies
    Assessment.objects.filter(pk=home_assessment.pk).update(
        status=WorkflowStatus.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    send_reminders(today=timezone.localdate())  # waiting for review, with the national copy
    digests_send(now=timezone.now())

    kinds = {message.subject.split(":")[0] for message in mail.outbox}
    assert len(mail.outbox) >= 12, kinds
    assert any(digest_reader.email in message.to for message in mail.outbox)  # the digest was sent
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "OFFICIAL-SENSITIVE" not in text and "Nightjar" not in text and "<script" not in text, (
            message.subject
        )
