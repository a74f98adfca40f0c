"""Daily reminders: the right people, escalating words, never twice in a day."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import Assessment, ReminderLog
from assessments.reminders import send_reminders, working_days_between
from assessments.status import WorkflowStatus

DUE = datetime.date(2026, 12, 31)  # the open_round fixture's due date


@pytest.mark.parametrize(
    ("today", "expected_subject"),
    [
        (DUE - datetime.timedelta(days=14), "due in 14 days"),
        (DUE - datetime.timedelta(days=1), "due in 1 day"),
        (DUE, "Due today"),
        (DUE + datetime.timedelta(days=3), "Overdue"),
    ],
)
def test_spocs_are_reminded_as_the_due_date_nears(world, open_round, today, expected_subject):
    sent, _ = send_reminders(today=today)
    to_spoc = [m for m in mail.outbox if m.to == [world.spoc.email]]
    assert len(to_spoc) == 1 and expected_subject in to_spoc[0].subject
    assert world.chief_officer.email not in {address for m in mail.outbox for address in m.to}
    assert sent == len(mail.outbox)


def test_nobody_is_reminded_more_than_14_days_ahead(world, open_round):
    assert send_reminders(today=DUE - datetime.timedelta(days=15)) == (0, 0)
    assert mail.outbox == []


def test_submitted_assessments_do_not_remind_spocs(world, home_assessment):
    Assessment.objects.filter(pk=home_assessment.pk).update(
        status=WorkflowStatus.SUBMITTED, submitted_at=timezone.now()
    )
    send_reminders(today=DUE)
    assert world.spoc.email not in {address for m in mail.outbox for address in m.to}


def test_coordinators_hear_of_submissions_waiting_more_than_10_days(world, home_assessment):
    submitted_at = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
    Assessment.objects.filter(pk=home_assessment.pk).update(
        status=WorkflowStatus.SUBMITTED, submitted_at=submitted_at
    )
    send_reminders(today=datetime.date(2026, 11, 10))
    assert not [m for m in mail.outbox if world.coordinator.email in m.to]
    send_reminders(today=datetime.date(2026, 11, 12))
    waiting = [m for m in mail.outbox if world.coordinator.email in m.to]
    assert len(waiting) == 1 and "waited 11 days" in waiting[0].subject
    assert not [m for m in mail.outbox if world.other_coordinator.email in m.to]


def test_the_same_reminder_is_never_sent_twice_in_a_day(world, open_round):
    first = send_reminders(today=DUE)
    second = send_reminders(today=DUE)
    assert first[0] > 0 and second == (0, first[0])
    assert ReminderLog.objects.count() == first[0]
    send_reminders(today=DUE + datetime.timedelta(days=1))
    assert ReminderLog.objects.count() == 2 * first[0]


def test_the_command_reports_and_refuses_bad_dates(world, open_round):
    out = StringIO()
    call_command("send_reminders", "--today", DUE.isoformat(), "--dry-run", stdout=out)
    assert "would send" in out.getvalue() and mail.outbox == []
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "31/12/2026")


# --- Escalation: copies to the chief officer and coordinator, then to the national unit ---


def addresses(messages):
    return {address for message in messages for address in message.to}


@pytest.mark.parametrize(("days_overdue", "copied"), [(6, False), (7, True), (20, True)])
def test_a_force_7_days_overdue_copies_its_chief_officer_and_coordinator(
    world, open_round, days_overdue, copied
):
    Assessment.objects.exclude(force=world.home_force).delete()
    send_reminders(today=DUE + datetime.timedelta(days=days_overdue))
    to_spoc = [m for m in mail.outbox if m.to == [world.spoc.email]]
    assert len(to_spoc) == 1 and ("sent a copy" in to_spoc[0].body) == copied
    copies = [m for m in mail.outbox if m.subject.startswith("Copy:")]
    expected = {world.chief_officer.email, world.coordinator.email} if copied else set()
    assert addresses(copies) == expected  # not the other region's coordinator, nor national staff
    assert all(f"is {days_overdue} days overdue" in m.subject for m in copies)


def test_copies_are_not_repeated_on_a_second_run_the_same_day(world, open_round):
    today = DUE + datetime.timedelta(days=7)
    first = send_reminders(today=today)
    assert send_reminders(today=today) == (0, first[0])
    assert (
        ReminderLog.objects.filter(kind=ReminderLog.Kind.OVERDUE_COPY, user=world.chief_officer).count() == 1
    )


def submitted_on(assessment, day):
    Assessment.objects.filter(pk=assessment.pk).update(
        status=WorkflowStatus.SUBMITTED,
        submitted_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
    )


def test_a_review_waiting_more_than_10_working_days_copies_the_national_unit(world, home_assessment):
    monday = datetime.date(2026, 11, 2)
    submitted_on(home_assessment, monday)
    send_reminders(today=datetime.date(2026, 11, 16))  # 14 days, but only 10 working days
    assert addresses(mail.outbox) == {world.coordinator.email}
    mail.outbox.clear()
    send_reminders(today=datetime.date(2026, 11, 17))  # 11 working days
    copy = [m for m in mail.outbox if m.to == [world.national.email]]
    assert len(copy) == 1 and copy[0].subject == (
        "Copy: Cleveland Police's 2026-27 autumn review assessment has waited 11 working days for review"
    )
    [to_coordinator] = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    assert "The national unit has been sent a copy" in to_coordinator.body


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime.date(2026, 11, 6), datetime.date(2026, 11, 9), 1),  # Friday to Monday
        (datetime.date(2026, 11, 7), datetime.date(2026, 11, 8), 0),  # a weekend
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 16), 10),  # two weeks
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 2), 0),
    ],
)
def test_working_days_count_weekdays_after_the_start(start, end, expected):
    assert working_days_between(start, end) == expected


def test_a_digest_reader_gets_reminders_in_the_digest_once(world, open_round):
    from accounts.models import DigestItem

    world.spoc.email_digest = True
    world.spoc.save(update_fields=["email_digest"])
    sent, _ = send_reminders(today=DUE)
    assert world.spoc.email not in addresses(mail.outbox)
    [held] = DigestItem.objects.filter(user=world.spoc)
    assert held.subject == "Due today: Cleveland Police's 2026-27 autumn review assessment"
    assert send_reminders(today=DUE) == (0, sent)
    assert DigestItem.objects.filter(user=world.spoc).count() == 1
