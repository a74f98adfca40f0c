"""The evidence-of-change rule: a status may rise above the last signed-off one only on new evidence.

One rule (assessments.rules.evidence_of_change_problems), asked at every entry point: the activity
form, the spreadsheet upload, submission and check your answers; and national staff's warn-only switch.
Dates are set relative to the UK date today, so the tests hold on any day.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import rules, selectors, workflow
from assessments.actions import uk_today
from assessments.answers import empty_answer
from assessments.dates import long_date
from assessments.models import ActivityReturn, Assessment, AssessmentSnapshot, Force, RoundEvent
from assessments.services import round_open
from assessments.status import WorkflowStatus
from tests.assessments.spreadsheets.conftest import change_cells, confirm, download, revisions, upload
from tests.conftest import complete_values, form_post, sign_off_for_test
from tests.factories import verified_staff_login

TODAY = uk_today()
DAY = datetime.timedelta(days=1)
PREVIOUS_OPENS = TODAY - 200 * DAY
SIGNED_OFF = TODAY - 150 * DAY
CURRENT_OPENS = TODAY - 30 * DAY
IN_WINDOW = TODAY - 10 * DAY
OLD_SUMMARY = "Policy drafted and awaiting approval"
NEW_SUMMARY = "Policy approved by the chief officer group and rolled out to every district"


def answer(status="implemented", summary=NEW_SUMMARY, references=()):
    values = empty_answer()
    values["implementation_status"] = status
    values["evidence_summary"] = summary
    values["evidence_references"] = [
        {"title": title, "location": "Intranet", "applies_on": day.isoformat()} for title, day in references
    ]
    return values


WINDOW = rules.EvidenceWindow(starts_on=CURRENT_OPENS, ends_on=TODAY)


# The rule itself ----------------------------------------------------------------------------------


def test_nothing_signed_off_before_means_nothing_to_rise_above():
    assert rules.evidence_of_change_problems(answer(references=()), None, window=WINDOW) == {}


@pytest.mark.parametrize("status", ["planned", "not_started", "not_applicable"])
def test_a_status_that_did_not_rise_needs_no_new_evidence(status):
    previous = answer("planned", OLD_SUMMARY)
    assert rules.evidence_of_change_problems(answer(status, OLD_SUMMARY), previous, window=WINDOW) == {}


def test_a_rise_without_evidence_names_both_missing_things():
    previous = answer("planned", OLD_SUMMARY, [("Old policy", PREVIOUS_OPENS)])
    problems = rules.evidence_of_change_problems(
        answer("implemented", OLD_SUMMARY, [("Old policy", PREVIOUS_OPENS)]), previous, window=WINDOW
    )
    assert set(problems) == {"evidence_references", "evidence_summary"}
    assert long_date(CURRENT_OPENS) in problems["evidence_references"]
    assert "Planned" in problems["evidence_summary"]


def test_a_summary_changed_only_in_spacing_is_not_changed():
    previous = answer("planned", OLD_SUMMARY)
    current = answer("embedded", "  Policy drafted\r\nand awaiting   approval ", [("Audit", IN_WINDOW)])
    assert set(rules.evidence_of_change_problems(current, previous, window=WINDOW)) == {"evidence_summary"}


@pytest.mark.parametrize(
    ("day", "counts"),
    [(CURRENT_OPENS - DAY, False), (CURRENT_OPENS, True), (TODAY, True), (TODAY + DAY, False)],
)
def test_only_a_reference_dated_inside_the_window_counts(day, counts):
    previous = answer("planned", OLD_SUMMARY)
    problems = rules.evidence_of_change_problems(answer(references=[("Audit", day)]), previous, window=WINDOW)
    assert ("evidence_references" in problems) is not counts


def test_the_window_starts_at_the_last_sign_off_when_that_is_later_than_the_opening():
    later = rules.evidence_window(
        opens_on=CURRENT_OPENS, set_start=None, last_sign_off=CURRENT_OPENS + 5 * DAY, today=TODAY
    )
    assert later == rules.EvidenceWindow(CURRENT_OPENS + 5 * DAY, TODAY)
    earlier = rules.evidence_window(
        opens_on=CURRENT_OPENS, set_start=None, last_sign_off=SIGNED_OFF, today=TODAY
    )
    assert earlier.starts_on == CURRENT_OPENS
    set_by_round = rules.evidence_window(
        opens_on=CURRENT_OPENS, set_start=CURRENT_OPENS - 60 * DAY, last_sign_off=SIGNED_OFF, today=TODAY
    )
    assert set_by_round.starts_on == CURRENT_OPENS - 60 * DAY


def test_reference_dates_in_the_future_or_before_the_force_are_refused():
    established = datetime.date(2002, 4, 1)
    assert "today or in the past" in str(
        rules.reference_date_problem(TODAY + DAY, today=TODAY, force_established_on=established)
    )
    assert "when the force was established" in str(
        rules.reference_date_problem(datetime.date(2001, 1, 1), today=TODAY, force_established_on=established)
    )
    assert rules.reference_date_problem(TODAY, today=TODAY, force_established_on=established) is None


# A force with a sign-off last round and a carried-forward "Planned" LG01 this round --------------------


@pytest.fixture
def risen(world, action_plan):
    """Cleveland signed off LG01 as Planned last round; this round's LG01 is carried forward from it."""
    previous = round_open(
        name="Last round",
        plan=action_plan,
        opens_on=PREVIOUS_OPENS,
        due_on=PREVIOUS_OPENS + 60 * DAY,
        opened_by=world.national,
    ).round
    last = Assessment.objects.get(force=world.home_force, round=previous)
    ActivityReturn.objects.filter(assessment=last).update(
        **complete_values("planned", evidence_summary=OLD_SUMMARY),
        evidence_references=[{"title": "Draft", "location": "Intranet", "applies_on": "2020-01-01"}],
        is_complete=True,
        confirmed=True,
    )
    sign_off_for_test(last, world.coordinator)
    signed_at = datetime.datetime.combine(SIGNED_OFF, datetime.time(12), tzinfo=datetime.UTC)
    AssessmentSnapshot.objects.filter(assessment=last).update(created_at=signed_at)
    current = round_open(
        name="This round",
        plan=action_plan,
        opens_on=CURRENT_OPENS,
        due_on=CURRENT_OPENS + 60 * DAY,
        opened_by=world.national,
    ).round
    return Assessment.objects.select_related("round", "force").get(force=world.home_force, round=current)


def _lg01(assessment) -> ActivityReturn:
    return ActivityReturn.objects.get(assessment=assessment, activity__code="LG01")


def _confirm_all_but(assessment, *codes):
    """Every other activity confirmed as carried forward, so only `codes` decide a submission."""
    ActivityReturn.objects.filter(assessment=assessment).exclude(activity__code__in=codes).update(
        confirmed=True, is_complete=True
    )


def _rise_lg01(assessment, *, references=(), summary=OLD_SUMMARY):
    ActivityReturn.objects.filter(pk=_lg01(assessment).pk).update(
        **complete_values("implemented", evidence_summary=summary),
        evidence_references=[
            {"title": title, "location": "Intranet", "applies_on": day.isoformat()}
            for title, day in references
        ],
        confirmed=True,
        is_complete=True,
    )


@pytest.fixture
def spoc(client, world):
    verified_staff_login(client, world.spoc)
    return client


def _activity_url(assessment, code="LG01"):
    return reverse("assessments:activity", kwargs={"assessment_id": assessment.pk, "code": code})


# The activity form ---------------------------------------------------------------------------------


def test_save_and_continue_refuses_a_rise_without_evidence_and_says_what_is_missing(spoc, risen):
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(
            complete_values("embedded", evidence_summary="We do this."),
            revision=before.revision,
            references=[("Old plan", "Shelf", datetime.date(2019, 1, 1))],
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"Add an evidence reference dated from {long_date(CURRENT_OPENS)}" in page
    after = _lg01(risen)
    assert (after.revision, after.implementation_status) == (before.revision, "planned")


def test_an_unchanged_summary_is_refused_even_with_a_new_reference(spoc, risen):
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(
            complete_values("implemented", evidence_summary=OLD_SUMMARY),
            revision=before.revision,
            references=[("Audit", "Intranet", IN_WINDOW)],
        ),
    )
    page = response.content.decode()
    assert "Update the evidence summary to say what has changed since the last sign-off" in page
    assert "Add an evidence reference dated" not in page
    assert _lg01(risen).revision == before.revision


def test_a_rise_with_new_dated_evidence_saves(spoc, risen):
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(
            complete_values("implemented", evidence_summary=NEW_SUMMARY),
            revision=before.revision,
            references=[("Audit", "Intranet", IN_WINDOW)],
        ),
    )
    assert response.status_code == 302
    assert _lg01(risen).implementation_status == "implemented"


def test_save_as_draft_keeps_the_rise_and_marks_it_needing_evidence_of_change(spoc, risen):
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(
            complete_values("embedded", evidence_summary=OLD_SUMMARY),
            revision=before.revision,
            action="draft",
        ),
        follow=True,
    )
    assert _lg01(risen).implementation_status == "embedded"
    assert "Needs evidence of change" in response.content.decode()  # the task list's tag and message
    activity_page = spoc.get(_activity_url(risen)).content.decode()
    assert "Needs evidence of change" in activity_page
    assert "The assessment cannot be submitted until this is fixed" in activity_page


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + 3 * DAY, "Date it applies to must be today or in the past"),
        (datetime.date(2003, 5, 1), "Date it applies to must be on or after 1 April 2010"),
        (datetime.date(1066, 10, 14), "Date it applies to must be between 2000 and 2100"),
    ],
)
def test_a_reference_dated_in_the_future_or_before_the_force_is_refused(spoc, risen, world, day, message):
    Force.objects.filter(pk=world.home_force.pk).update(established_on=datetime.date(2010, 4, 1))
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(
            complete_values("planned"),
            revision=before.revision,
            action="draft",
            references=[("X", "Shelf", day)],
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _lg01(risen).revision == before.revision


# The spreadsheet upload ----------------------------------------------------------------------------


def test_the_upload_refuses_a_risen_row_without_evidence_and_saves_nothing(spoc, risen):
    before = revisions(risen)
    data = change_cells(download(spoc, risen), {"LG01": {"implementation_status": "Embedded"}})
    response = upload(spoc, risen, data)
    page = response.content.decode()
    assert "(LG01)" in page
    assert "Add an evidence reference dated from" in page
    assert "Update the evidence summary" in page
    assert revisions(risen) == before


def test_the_upload_accepts_the_same_row_in_a_warn_only_round(spoc, risen, world):
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True, reason="Pilot round")
    data = change_cells(download(spoc, risen), {"LG01": {"implementation_status": "Embedded"}})
    upload(spoc, risen, data)
    confirm(spoc, risen)
    assert _lg01(risen).implementation_status == "embedded"


# Submission and check your answers ----------------------------------------------------------------


def test_submit_is_refused_listing_every_activity_that_rose_without_evidence(risen, world):
    _confirm_all_but(risen, "LG01")
    _rise_lg01(risen)
    with pytest.raises(workflow.EvidenceOfChangeMissing) as refused:
        workflow.submit(risen, by=world.spoc)
    assert [breach.code for breach in refused.value.breaches] == ["LG01"]
    risen.refresh_from_db()
    assert risen.status == WorkflowStatus.DRAFT
    assert not risen.events.exists()


def test_check_your_answers_lists_the_rise_and_the_submit_post_is_refused(spoc, risen):
    _confirm_all_but(risen, "LG01")
    _rise_lg01(risen)
    page = spoc.get(reverse("assessments:check_answers", kwargs={"assessment_id": risen.pk})).content.decode()
    assert "Needs evidence of change" in page and "Accept and submit" not in page
    response = spoc.post(
        reverse("assessments:submit", kwargs={"assessment_id": risen.pk}), {"declaration": "on"}
    )
    assert response.status_code == 200
    assert "LG01 needs evidence of change" in response.content.decode()
    risen.refresh_from_db()
    assert risen.status == WorkflowStatus.DRAFT


def test_submit_goes_through_once_the_rise_has_new_evidence(risen, world):
    _confirm_all_but(risen, "LG01")
    _rise_lg01(risen, references=[("Audit", IN_WINDOW)], summary=NEW_SUMMARY)
    workflow.submit(risen, by=world.spoc)
    risen.refresh_from_db()
    assert risen.status == WorkflowStatus.SUBMITTED


def test_a_replayed_submission_is_checked_against_its_own_day(risen, world):
    """The generator replays submissions with `at`: the window ends on that day, not today."""
    _confirm_all_but(risen, "LG01")
    _rise_lg01(risen, references=[("Audit", IN_WINDOW)], summary=NEW_SUMMARY)
    before_the_reference = datetime.datetime.combine(IN_WINDOW - DAY, datetime.time(12), tzinfo=datetime.UTC)
    with pytest.raises(workflow.EvidenceOfChangeMissing):
        workflow.submit(risen, by=world.spoc, at=before_the_reference)


# Warn only ----------------------------------------------------------------------------------------


def test_warn_only_lets_the_rise_be_saved_and_submitted_and_is_recorded(spoc, risen, world):
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True, reason="Pilot round")
    event = RoundEvent.objects.get(round=risen.round)
    assert (event.kind, event.actor, event.comment) == (
        RoundEvent.Kind.EVIDENCE_RULE_WARN_ONLY,
        world.national,
        "Pilot round",
    )
    before = _lg01(risen)
    response = spoc.post(
        _activity_url(risen),
        form_post(complete_values("implemented", evidence_summary=OLD_SUMMARY), revision=before.revision),
    )
    assert response.status_code == 302
    _confirm_all_but(risen, "LG01")
    page = spoc.get(reverse("assessments:check_answers", kwargs={"assessment_id": risen.pk})).content.decode()
    assert "This round only warns about these" in page and "Accept and submit" in page
    workflow.submit(risen, by=world.spoc)
    risen.refresh_from_db()
    assert risen.status == WorkflowStatus.SUBMITTED


def test_only_national_staff_switch_the_rule_and_a_repeat_records_nothing(risen, world):
    for someone in (world.coordinator, world.spoc):
        with pytest.raises(PermissionDenied):
            workflow.evidence_rule_set(risen.round, by=someone, warn_only=True)
    assert not RoundEvent.objects.exists()
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True)
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True)
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=False)
    assert list(RoundEvent.objects.values_list("kind", flat=True)) == [
        RoundEvent.Kind.EVIDENCE_RULE_WARN_ONLY,
        RoundEvent.Kind.EVIDENCE_RULE_ENFORCED,
    ]
    with pytest.raises(ValueError, match="append-only"):
        RoundEvent.objects.all().delete()


def test_the_task_list_tags_the_rise(spoc, risen):
    _rise_lg01(risen)
    page = spoc.get(reverse("assessments:task_list", kwargs={"assessment_id": risen.pk})).content.decode()
    assert "Needs evidence of change" in page
    _check, breaches = selectors.evidence_breaches(assessment=risen, today=TODAY)
    assert [breach.code for breach in breaches] == ["LG01"]


def test_national_staff_switch_the_rule_on_its_page_and_see_who_did(client, risen, world):
    url = reverse("assessments:evidence_rule", kwargs={"round_id": risen.round_id})
    verified_staff_login(client, world.national)
    refused = client.post(url, {"mode": "warn_only", "reason": ""})
    assert "Enter why you are changing how the rule applies" in refused.content.decode()
    assert not RoundEvent.objects.exists()
    response = client.post(url, {"mode": "warn_only", "reason": "Pilot round"}, follow=True)
    page = response.content.decode()
    assert "is now warn only" in page and "Nat National" in page and "Pilot round" in page
    risen.round.refresh_from_db()
    assert risen.round.evidence_rule_warn_only


@pytest.mark.parametrize("role", ["coordinator", "spoc", "chief_officer"])
def test_nobody_else_can_open_the_rule_page(client, risen, world, role):
    verified_staff_login(client, getattr(world, role))
    url = reverse("assessments:evidence_rule", kwargs={"round_id": risen.round_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "warn_only", "reason": "x"}).status_code == 404
    assert not RoundEvent.objects.exists()


def test_an_unknown_round_is_a_404(client, world, risen):
    verified_staff_login(client, world.national)
    assert client.get(reverse("assessments:evidence_rule", kwargs={"round_id": 99999})).status_code == 404


# What the reviewer sees of the evidence (issue 17, item 2) ---------------------------------------------


def test_evidence_notes_name_a_rise_with_new_evidence_and_its_date():
    previous = answer("planned", OLD_SUMMARY)
    notes = rules.evidence_notes(
        answer(references=[("Audit", IN_WINDOW), ("Old", PREVIOUS_OPENS)]),
        previous,
        window=WINDOW,
        carried_forward=False,
    )
    assert [(n.group, n.text) for n in notes] == [
        ("up_new", f"Status up with new evidence dated {long_date(IN_WINDOW)}")
    ]


def test_evidence_notes_name_a_rise_without_new_evidence_and_old_evidence():
    previous = answer("planned", OLD_SUMMARY)
    ancient = TODAY - 400 * DAY
    notes = rules.evidence_notes(
        answer(summary=OLD_SUMMARY, references=[("Old", ancient)]),
        previous,
        window=WINDOW,
        carried_forward=False,
    )
    assert [n.text for n in notes] == [
        "Status up, evidence unchanged",
        f"Evidence older than {rules.EVIDENCE_STALE_MONTHS} months",
    ]


def test_evidence_notes_name_an_answer_carried_forward_unchanged():
    same = answer("planned", OLD_SUMMARY, [("Audit", IN_WINDOW)])
    notes = rules.evidence_notes(same, same, window=WINDOW, carried_forward=True)
    assert [n.group for n in notes] == ["carried"]
    assert rules.evidence_notes(same, same, window=WINDOW, carried_forward=False) == ()


def test_the_review_page_shows_and_filters_a_rise_without_new_evidence(client, risen, world):
    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True)
    _confirm_all_but(risen, "LG01")
    _rise_lg01(risen)
    workflow.submit(risen, by=world.spoc)
    verified_staff_login(client, world.coordinator)
    url = reverse("admin:assessments_assessment_review", args=[risen.pk])
    page = client.get(url).content.decode()
    assert "Status up, evidence unchanged: 1" in page
    filtered = client.get(url, {"show": "up_unchanged"})
    assert [row.activity_return.code for row in filtered.context["page"].shown("up_unchanged")] == ["LG01"]
    assert "Status up, evidence unchanged" in filtered.content.decode()


def test_the_force_report_lists_the_evidence_quality(risen, world):
    from assessments.reports.data.force import force_report_data

    workflow.evidence_rule_set(risen.round, by=world.national, warn_only=True)
    _rise_lg01(risen)
    report = force_report_data(assessment=risen, today=TODAY)
    quality = {row.code: row.notes for row in report.changes.evidence_quality}
    assert quality["LG01"] == ("Status up, evidence unchanged",)
    # The fixture's references are dated 2020.
    assert quality["LG02"] == ("Evidence older than 12 months", "Carried forward unchanged")


def test_the_upload_refuses_a_reference_dated_in_the_future_or_before_the_force(spoc, risen, world):
    from tests.assessments.spreadsheets.test_confirm_and_references import _references

    Force.objects.filter(pk=world.home_force.pk).update(established_on=datetime.date(2010, 4, 1))
    before = revisions(risen)
    data, _ = _references(
        download(spoc, risen),
        [["LG02", "Audit", "Shelf", TODAY + 5 * DAY], ["LG03", "Audit", "Shelf", datetime.date(2005, 1, 1)]],
    )
    page = upload(spoc, risen, data).content.decode()
    assert "Date it applies to must be today or in the past" in page
    assert "Date it applies to must be on or after 1 April 2010, when the force was established" in page
    assert revisions(risen) == before
