"""Daily reminders: the right people, escalating words, never twice in a day."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import Assessment, ReminderLog
from assessments.reminders import send_reminders
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
