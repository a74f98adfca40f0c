"""Notable practice: nominate at review, the force consents, national staff publish, anyone withdraws
who may; every step an event with who and when, and every wrong step refused with nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import practice, workflow
from assessments.models import Assessment, NotablePractice, PracticeEvent, PracticeState
from assessments.selectors import practice as practice_selectors
from assessments.services import activity_return_save
from tests.conftest import complete_values
from tests.factories import verified_staff_login

SHARED = "Every custody sergeant screens detainees for signs of exploitation, audited monthly"


@pytest.fixture
def under_review(world, home_assessment):
    for activity_return in home_assessment.returns.all():
        activity_return_save(
            activity_return_id=activity_return.pk,
            values=complete_values("implemented", evidence_summary=SHARED),
            by=world.spoc,
            expected_revision=activity_return.revision,
        )
    workflow.submit(home_assessment, by=world.spoc)
    return Assessment.objects.select_related("force", "round").get(pk=home_assessment.pk)


@pytest.fixture
def nominated(world, under_review):
    return practice.nominate(under_review, code="LG01", by=world.coordinator, reason="Simple and audited")


def _published(world, nominated, attribution="named"):
    practice.consent(nominated, by=world.spoc, attribution=attribution, shared_text=SHARED + " (shared)")
    return practice.publish(nominated, by=world.national)


def test_a_nomination_asks_the_forces_spoc_and_chief_officer_to_consent(
    world, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()  # the submission's own emails
    with django_capture_on_commit_callbacks(execute=True):
        nomination = practice.nominate(
            under_review, code="LG01", by=world.coordinator, reason="Simple and audited"
        )
    asked = [message for message in mailoutbox if "notable practice nominated" in message.subject]
    assert len(asked) == 1
    assert sorted(asked[0].to + asked[0].bcc) == ["chief@force.example", "spoc@force.example"]
    consent_page = reverse(
        "assessments:force_practice_item",
        kwargs={"force_code": under_review.force.code, "practice_id": nomination.pk},
    )
    assert consent_page in asked[0].body
    # The evidence and the coordinator's reason stay behind sign-in.
    assert SHARED not in asked[0].body and "Simple and audited" not in asked[0].body


def test_a_refused_nomination_asks_nobody(
    world, under_review, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(practice.PracticeRefused):
        practice.nominate(under_review, code="LG01", by=world.coordinator, reason="")
    assert mailoutbox == []


def test_the_whole_journey_records_each_step_with_who(world, nominated):
    assert nominated.state == PracticeState.NOMINATED and nominated.shared_text == SHARED
    consented = practice.consent(
        nominated, by=world.chief_officer, attribution="anonymised", shared_text="Edited"
    )
    assert (consented.state, consented.attribution, consented.shared_text) == (
        "consented",
        "anonymised",
        "Edited",
    )
    published = practice.publish(consented, by=world.national)
    assert published.state == PracticeState.PUBLISHED and published.published_at is not None
    withdrawn = practice.withdraw(published, by=world.spoc)
    assert withdrawn.state == PracticeState.WITHDRAWN
    steps = list(PracticeEvent.objects.values_list("from_state", "to_state", "actor__email"))
    assert steps == [
        ("", "nominated", "coord@force.example"),
        ("nominated", "consented", "chief@force.example"),
        ("consented", "published", "national@force.example"),
        ("published", "withdrawn", "spoc@force.example"),
    ]
    with pytest.raises(ValueError, match="append-only"):
        PracticeEvent.objects.all().delete()


def test_the_signed_record_is_never_changed_by_the_shared_text(world, nominated, under_review):
    practice.consent(nominated, by=world.spoc, attribution="named", shared_text="Something else entirely")
    assert under_review.returns.get(activity__code="LG01").evidence_summary == SHARED


def test_a_coordinator_of_another_region_cannot_nominate(world, under_review):
    with pytest.raises(PermissionDenied):
        practice.nominate(under_review, code="LG01", by=world.other_coordinator, reason="Good")
    assert not NotablePractice.objects.exists() and not PracticeEvent.objects.exists()


def test_a_draft_an_unknown_code_a_blank_reason_or_a_second_nomination_are_refused(world, home_assessment):
    with pytest.raises(practice.PracticeRefused, match="submitted or signed-off"):
        practice.nominate(home_assessment, code="LG01", by=world.coordinator, reason="Good")


def test_bad_nominations_say_why(world, nominated, under_review):
    for code, reason, message in [
        ("ZZ99", "Good", "ZZ99 is not an activity of this assessment"),
        ("LG02", "   ", "Enter why other forces should see this practice"),
        ("LG01", "Again", "LG01 has already been nominated"),
    ]:
        with pytest.raises(practice.PracticeRefused, match=message):
            practice.nominate(under_review, code=code, by=world.coordinator, reason=reason)
    assert NotablePractice.objects.count() == 1


@pytest.mark.parametrize("who", ["coordinator", "national", "nobody"])
def test_only_the_forces_spoc_or_chief_officer_consents(world, nominated, who):
    with pytest.raises(PermissionDenied):
        practice.consent(nominated, by=getattr(world, who), attribution="named", shared_text=SHARED)
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.NOMINATED and nominated.events.count() == 1


def test_a_spoc_of_another_force_cannot_consent(world, nominated):
    from accounts.roles import Role
    from tests.factories import user_with_role

    other_spoc = user_with_role(Role.SPOC, force=world.neighbour_force, email="durham@force.example")
    with pytest.raises(PermissionDenied):
        practice.consent(nominated, by=other_spoc, attribution="named", shared_text=SHARED)


def test_consent_needs_an_attribution_and_text(world, nominated):
    with pytest.raises(practice.PracticeRefused, match="Select whether"):
        practice.consent(nominated, by=world.spoc, attribution="", shared_text=SHARED)
    with pytest.raises(practice.PracticeRefused, match="Enter the text"):
        practice.consent(nominated, by=world.spoc, attribution="named", shared_text=" ")
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.NOMINATED


def test_a_coordinator_cannot_publish_and_nothing_unconsented_is_published(world, nominated):
    with pytest.raises(practice.PracticeRefused, match="consented"):
        practice.publish(nominated, by=world.national)
    practice.consent(nominated, by=world.spoc, attribution="named", shared_text=SHARED)
    with pytest.raises(PermissionDenied):
        practice.publish(nominated, by=world.coordinator)
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.CONSENTED


def test_the_database_refuses_a_published_row_without_consent(world, nominated):
    with pytest.raises(IntegrityError), transaction.atomic():
        NotablePractice.objects.filter(pk=nominated.pk).update(state="published")


def test_a_coordinator_cannot_withdraw_but_national_staff_can(world, nominated):
    _published(world, nominated)
    with pytest.raises(PermissionDenied):
        practice.withdraw(nominated, by=world.coordinator)
    practice.withdraw(nominated, by=world.national)
    assert practice_selectors.for_activity(activity_id=nominated.activity_id) == []


def test_what_others_see_names_the_force_only_if_it_agreed(world, nominated):
    _published(world, nominated, attribution="anonymised")
    shown = practice_selectors.for_activity(activity_id=nominated.activity_id)
    assert practice_selectors.shown_force(shown[0]) == practice_selectors.ANONYMOUS_FORCE
    assert (
        practice_selectors.for_activity(
            activity_id=nominated.activity_id, excluding_force_id=world.home_force.pk
        )
        == []
    )


# Pages --------------------------------------------------------------------------------------------


def test_the_library_filters_and_searches(client, world, nominated):
    _published(world, nominated)
    verified_staff_login(client, world.other_coordinator)
    url = reverse("assessments:practice_library")
    page = client.get(url).content.decode()
    assert "custody sergeant" in page and "Cleveland Police" in page and "1 practice found" in page
    assert "0 practices found" in client.get(url, {"q": "helicopter"}).content.decode()
    assert "1 practice found" in client.get(url, {"q": "custody"}).content.decode()
    assert "0 practices found" in client.get(url, {"activity": "LG02"}).content.decode()
    assert "1 practice found" in client.get(url, {"area": "1", "activity": "LG01"}).content.decode()
    assert client.get(url, {"area": "x' OR 1=1"}).status_code == 200


def test_the_action_plan_counts_published_practice(client, world, nominated):
    _published(world, nominated)
    verified_staff_login(client, world.spoc)
    page = client.get(reverse("actionplan:plan")).content.decode()
    assert "1 published" in page and "?activity=LG01" in page


def test_another_forces_spoc_sees_it_on_the_activity_page(client, world, nominated, open_round):
    _published(world, nominated)
    from accounts.roles import Role
    from tests.factories import user_with_role

    far_spoc = user_with_role(Role.SPOC, force=world.far_force, email="gwent@force.example")
    verified_staff_login(client, far_spoc)
    far = Assessment.objects.get(force=world.far_force, round=open_round)
    page = client.get(reverse("assessments:activity", kwargs={"assessment_id": far.pk, "code": "LG01"}))
    text = page.content.decode()
    assert "Notable practice from other forces" in text and "(shared)" in text and "North East" in text


def test_the_force_consents_on_its_page_and_another_forces_id_is_a_404(client, world, nominated):
    verified_staff_login(client, world.spoc)
    url = reverse(
        "assessments:force_practice_item", kwargs={"force_code": "cleveland", "practice_id": nominated.pk}
    )
    refused = client.post(url, {"action": "consent", "shared_text": "Edited"})
    assert "Select whether to name the force" in refused.content.decode()
    response = client.post(url, {"action": "consent", "attribution": "named", "shared_text": "Edited"})
    assert response.status_code == 302
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.CONSENTED
    wrong_force = reverse(
        "assessments:force_practice_item", kwargs={"force_code": "durham", "practice_id": nominated.pk}
    )
    assert client.post(wrong_force, {"action": "withdraw"}).status_code == 404


def test_a_coordinator_cannot_consent_on_the_forces_page(client, world, nominated):
    verified_staff_login(client, world.coordinator)
    url = reverse(
        "assessments:force_practice_item", kwargs={"force_code": "cleveland", "practice_id": nominated.pk}
    )
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"action": "consent", "attribution": "named", "shared_text": "x"}).status_code == 403
    )
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.NOMINATED


def test_national_staff_publish_on_their_page_and_a_coordinator_gets_a_404(client, world, nominated):
    practice.consent(nominated, by=world.spoc, attribution="named", shared_text=SHARED)
    step = reverse("assessments:national_practice_step", kwargs={"practice_id": nominated.pk})
    verified_staff_login(client, world.coordinator)
    assert client.post(step, {"action": "publish"}).status_code == 404
    assert client.get(reverse("assessments:national_practice")).status_code == 404
    client.logout()
    verified_staff_login(client, world.national)
    assert client.post(step, {"action": "publish"}).status_code == 302
    nominated.refresh_from_db()
    assert nominated.state == PracticeState.PUBLISHED
    unknown = reverse("assessments:national_practice_step", kwargs={"practice_id": 999999})
    assert client.post(unknown, {"action": "publish"}).status_code == 404


def test_the_coordinator_nominates_from_the_review_page(client, world, under_review):
    verified_staff_login(client, world.coordinator)
    url = reverse("admin:assessments_assessment_review", args=[under_review.pk])
    assert "Nominate notable practice" in client.get(url).content.decode()
    refused = client.post(url, {"nominate-code": "LG01", "nominate-reason": ""})
    assert "Enter why other forces should see this practice" in refused.content.decode()
    client.post(url, {"nominate-code": "ZZ99", "nominate-reason": "Good"})
    assert not NotablePractice.objects.exists()
    assert client.post(url, {"nominate-code": "LG01", "nominate-reason": "Good"}).status_code == 302
    assert NotablePractice.objects.get().activity.code == "LG01"


def test_a_coordinator_of_another_region_cannot_nominate_from_the_review_page(client, world, under_review):
    verified_staff_login(client, world.other_coordinator)
    url = reverse("admin:assessments_assessment_review", args=[under_review.pk])
    assert client.post(url, {"nominate-code": "LG01", "nominate-reason": "Good"}).status_code == 404
    assert not NotablePractice.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_practice_pages_cost_the_same_queries_for_one_published_practice_as_for_many(
    client, world, under_review, open_round
):
    """Flat in the number of practices (tests/bench/test_flat_queries.py covers forces and rounds)."""
    first = practice.nominate(under_review, code="LG01", by=world.coordinator, reason="Good")
    _published(world, first)
    verified_staff_login(client, world.national)
    far = Assessment.objects.get(force=world.far_force, round=open_round)
    urls = [
        reverse("assessments:practice_library"),
        reverse("assessments:practice_library") + "?q=custody",
        reverse("assessments:national_practice"),
        reverse("assessments:force_practice", kwargs={"force_code": "cleveland"}),
        reverse("actionplan:plan"),
        reverse("assessments:activity", kwargs={"assessment_id": far.pk, "code": "LG01"}),
    ]
    one = [_queries(client, url) for url in urls]
    for code in ("LG02", "LG03", "LG04", "LG05"):
        _published(world, practice.nominate(under_review, code=code, by=world.coordinator, reason="Good"))
    assert [_queries(client, url) for url in urls] == one
