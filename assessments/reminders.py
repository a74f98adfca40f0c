"""Daily reminders, and who is copied when a deadline slips.

Run once a day from cron (`manage.py send_reminders`):

- SPOCs of forces whose assessment is not yet submitted and is due within 14 days (or overdue), in words
  that grow firmer as the date nears. Once a force is 7 or more days overdue, its chief officers and its
  region's coordinators each get a copy.
- Coordinators with a submission from their region waiting more than 10 days. Once it has waited more
  than 10 working days (Monday to Friday; bank holidays are not known here, so they count as working
  days), the national unit gets a copy.

Each person gets at most one reminder of each kind per assessment per day, however often the command
runs (ReminderLog). Each is queued in the transaction that logs it; people who chose the daily digest
get it there instead (reminders never need to go at once: assessments/notifications.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.mail import Notice, queue_now, service_url
from accounts.models import User
from accounts.roles import Role
from assessments.dates import long_date
from assessments.models import Assessment, ReminderLog
from assessments.notifications import Kind, notice_emails
from assessments.status import WorkflowStatus

DUE_WITHIN_DAYS = 14
WAITING_MORE_THAN_DAYS = 10
OVERDUE_COPY_AFTER_DAYS = 7
WAITING_COPY_AFTER_WORKING_DAYS = 10


@dataclass(frozen=True)
class Reminder:
    """One email to send."""

    kind: ReminderLog.Kind
    user: User
    assessment: Assessment
    subject: str
    body: str
    link: str


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def due_soon_reminders(*, today: datetime.date) -> list[Reminder]:
    """SPOCs of forces not yet submitted and due within 14 days (or overdue); copies from 7 days overdue."""
    assessments = Assessment.objects.filter(
        round__is_open=True,
        status__in=[WorkflowStatus.DRAFT, WorkflowStatus.RETURNED],
        round__due_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS),
    ).select_related("force__region", "round")
    spocs = _people_by(Role.SPOC, "force_id", [a.force_id for a in assessments])
    escalated = [a for a in assessments if (today - a.round.due_on).days >= OVERDUE_COPY_AFTER_DAYS]
    chiefs = _people_by(Role.CHIEF_OFFICER, "force_id", [a.force_id for a in escalated])
    coordinators = _people_by(Role.COORDINATOR, "region_id", [a.force.region_id for a in escalated])
    reminders = []
    for assessment in assessments:
        force, round_name = assessment.force.name, assessment.round.name
        days = (assessment.round.due_on - today).days
        if days < 0:
            when = f"was due {_days(-days)} ago"
            subject = f"Overdue: {force}'s {round_name} assessment"
        elif days == 0:
            when, subject = "is due today", f"Due today: {force}'s {round_name} assessment"
        else:
            when = f"is due in {_days(days)}, on {long_date(assessment.round.due_on)}"
            subject = f"{force}'s {round_name} assessment due in {_days(days)}"
        link = service_url(reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk}))
        status = f"{force}'s self-assessment for {round_name} {when} and has not been submitted."
        copied = assessment in escalated
        body = f"{status}\n\nContinue it here:\n{link}\n"
        if copied:
            body = (
                f"{status}\n\nBecause it is {_days(-days)} overdue, the force's chief officer and the "
                f"regional coordinator have been sent a copy of this reminder.\n\nContinue it here:\n{link}\n"
            )
        for user in spocs.get(assessment.force_id, []):
            reminders.append(Reminder(ReminderLog.Kind.DUE_SOON, user, assessment, subject, body, link))
        if not copied:
            continue
        copy_subject = f"Copy: {force}'s {round_name} assessment is {_days(-days)} overdue"
        copy_body = (
            f"{status}\n\nYou are sent this copy of the SPOCs' reminder because the assessment is "
            f"{_days(-days)} overdue.\n\nSee it here:\n{link}\n"
        )
        people = chiefs.get(assessment.force_id, []) + coordinators.get(assessment.force.region_id, [])
        for user in people:
            reminders.append(
                Reminder(ReminderLog.Kind.OVERDUE_COPY, user, assessment, copy_subject, copy_body, link)
            )
    return reminders


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Weekdays after `start` up to and including `end` (a Friday submission has waited 1 on Monday)."""
    days = (end - start).days
    if days <= 0:
        return 0
    whole_weeks, rest = divmod(days, 7)
    extra = sum(1 for offset in range(1, rest + 1) if (start + datetime.timedelta(days=offset)).weekday() < 5)
    return whole_weeks * 5 + extra


def waiting_for_review_reminders(*, today: datetime.date) -> list[Reminder]:
    """Coordinators with a submission waiting more than 10 days; national copies after 10 working days."""
    cutoff = datetime.datetime.combine(
        today - datetime.timedelta(days=WAITING_MORE_THAN_DAYS), datetime.time.min, tzinfo=datetime.UTC
    )
    assessments = Assessment.objects.filter(
        status=WorkflowStatus.SUBMITTED, submitted_at__lt=cutoff
    ).select_related("force", "round")
    coordinators = _people_by(Role.COORDINATOR, "region_id", [a.force.region_id for a in assessments])
    national = _national_people() if assessments else []
    reminders = []
    for assessment in assessments:
        assert assessment.submitted_at is not None  # noqa: S101 - guaranteed by the filter
        force, round_name = assessment.force.name, assessment.round.name
        days = (today - assessment.submitted_at.date()).days
        working_days = working_days_between(assessment.submitted_at.date(), today)
        copied = working_days > WAITING_COPY_AFTER_WORKING_DAYS
        link = service_url(reverse("admin:assessments_assessment_review", args=[assessment.pk]))
        subject = f"{force}'s {round_name} assessment has waited {days} days for review"
        status = (
            f"{force} submitted its {round_name} self-assessment {days} days ago ({working_days} working "
            "days) and it is waiting for review."
        )
        note = "\n\nThe national unit has been sent a copy of this reminder." if copied else ""
        body = f"{status}{note}\n\nReview it here:\n{link}\n"
        for user in coordinators.get(assessment.force.region_id, []):
            reminders.append(
                Reminder(ReminderLog.Kind.WAITING_FOR_REVIEW, user, assessment, subject, body, link)
            )
        if not copied:
            continue
        copy_subject = (
            f"Copy: {force}'s {round_name} assessment has waited {working_days} working days for review"
        )
        copy_body = (
            f"{status}\n\nYou are sent this copy of the coordinators' reminder because it has waited more "
            f"than {WAITING_COPY_AFTER_WORKING_DAYS} working days.\n\nSee it here:\n{link}\n"
        )
        for user in national:
            reminders.append(
                Reminder(ReminderLog.Kind.WAITING_COPY, user, assessment, copy_subject, copy_body, link)
            )
    return reminders


def send_reminders(*, today: datetime.date, dry_run: bool = False) -> tuple[int, int]:
    """Send today's reminders once; return (sent, skipped because already sent today).

    "Sent" counts reminders queued as an email or held for the person's daily digest.
    """
    sent = skipped = 0
    for reminder in due_soon_reminders(today=today) + waiting_for_review_reminders(today=today):
        if dry_run:
            sent += 1
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    kind=reminder.kind, user=reminder.user, assessment=reminder.assessment, sent_on=today
                )
                notice = Notice(subject=reminder.subject, body=reminder.body, link=reminder.link)
                queue_now(notice_emails(Kind.REMINDER, notice, recipients=[reminder.user]))
        except IntegrityError:
            skipped += 1
        else:
            sent += 1
    return sent, skipped


def _people_by(role: Role, scope_field: str, scope_ids: list[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    if not scope_ids:
        return people
    users = User.objects.filter(
        is_active=True, memberships__role=role, **{f"memberships__{scope_field}__in": scope_ids}
    ).values_list(f"memberships__{scope_field}", "pk")
    by_id = {user.pk: user for user in User.objects.filter(pk__in={pk for _, pk in users})}
    for scope_id, user_id in users:
        people.setdefault(scope_id, []).append(by_id[user_id])
    return people


def _national_people() -> list[User]:
    """Active members of the national unit."""
    return list(User.objects.filter(is_active=True, memberships__role=Role.NATIONAL).distinct())
