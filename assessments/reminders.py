"""Daily reminders: SPOCs whose round is due within 14 days, coordinators with submissions waiting.

Run once a day from cron (`manage.py send_reminders`). Each person gets at most one reminder of each
kind per assessment per day, however often the command runs; the wording grows firmer as the due date
nears.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from assessments.models import Assessment, ReminderLog
from assessments.status import WorkflowStatus

DUE_WITHIN_DAYS = 14
WAITING_MORE_THAN_DAYS = 10


@dataclass(frozen=True)
class Reminder:
    """One email to send."""

    kind: ReminderLog.Kind
    user: User
    assessment: Assessment
    subject: str
    body: str


def _link(path: str) -> str:
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def due_soon_reminders(*, today: datetime.date) -> list[Reminder]:
    """SPOCs of forces whose assessment is not yet submitted and is due within 14 days (or overdue)."""
    assessments = Assessment.objects.filter(
        round__is_open=True,
        status__in=[WorkflowStatus.DRAFT, WorkflowStatus.RETURNED],
        round__due_on__lte=today + datetime.timedelta(days=DUE_WITHIN_DAYS),
    ).select_related("force", "round")
    spocs = _people_by(Role.SPOC, "force_id", [a.force_id for a in assessments])
    reminders = []
    for assessment in assessments:
        days = (assessment.round.due_on - today).days
        if days < 0:
            when = f"was due {-days} day{'s' if days < -1 else ''} ago"
            subject = f"Overdue: {assessment.force.name}'s {assessment.round.name} assessment"
        elif days == 0:
            when, subject = "is due today", f"Due today: {assessment.round.name} assessment"
        else:
            when = f"is due in {days} day{'s' if days > 1 else ''}, on {assessment.round.due_on:%-d %B %Y}"
            subject = f"{assessment.round.name} assessment due in {days} day{'s' if days > 1 else ''}"
        link = _link(reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk}))
        body = (
            f"{assessment.force.name}'s self-assessment for {assessment.round.name} {when} and has not "
            f"been submitted.\n\nContinue it here:\n{link}\n"
        )
        for user in spocs.get(assessment.force_id, []):
            reminders.append(Reminder(ReminderLog.Kind.DUE_SOON, user, assessment, subject, body))
    return reminders


def waiting_for_review_reminders(*, today: datetime.date) -> list[Reminder]:
    """Coordinators with a submission from their region waiting more than 10 days."""
    cutoff = datetime.datetime.combine(
        today - datetime.timedelta(days=WAITING_MORE_THAN_DAYS), datetime.time.min, tzinfo=datetime.UTC
    )
    assessments = Assessment.objects.filter(
        status=WorkflowStatus.SUBMITTED, submitted_at__lt=cutoff
    ).select_related("force", "round")
    coordinators = _people_by(Role.COORDINATOR, "region_id", [a.force.region_id for a in assessments])
    reminders = []
    for assessment in assessments:
        assert assessment.submitted_at is not None  # noqa: S101 - guaranteed by the filter
        days = (today - assessment.submitted_at.date()).days
        link = _link(reverse("admin:assessments_assessment_review", args=[assessment.pk]))
        subject = f"{assessment.force.name} has waited {days} days for review"
        body = (
            f"{assessment.force.name} submitted its {assessment.round.name} self-assessment {days} days ago "
            f"and it is waiting for review.\n\nReview it here:\n{link}\n"
        )
        for user in coordinators.get(assessment.force.region_id, []):
            reminders.append(Reminder(ReminderLog.Kind.WAITING_FOR_REVIEW, user, assessment, subject, body))
    return reminders


def send_reminders(*, today: datetime.date, dry_run: bool = False) -> tuple[int, int]:
    """Send today's reminders once; return (sent, skipped because already sent today)."""
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
                send_mail(reminder.subject, reminder.body, None, [reminder.user.email])
        except IntegrityError:
            skipped += 1
        else:
            sent += 1
    return sent, skipped


def _people_by(role: Role, scope_field: str, scope_ids: list[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    users = User.objects.filter(
        is_active=True, memberships__role=role, **{f"memberships__{scope_field}__in": scope_ids}
    ).values_list(f"memberships__{scope_field}", "pk")
    by_id = {user.pk: user for user in User.objects.filter(pk__in={pk for _, pk in users})}
    for scope_id, user_id in users:
        people.setdefault(scope_id, []).append(by_id[user_id])
    return people
