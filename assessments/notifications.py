"""What each workflow step tells whom, and the one rule for what may wait for a daily digest.

workflow.py calls one function here per transition, inside its transaction: the messages are built there
and queued with the change (accounts.mail.queue_with_change), so a rolled-back change sends nothing and a
kept one always has its email queued for the task worker. Nothing here talks to the mail relay.

Messages name forces, rounds, versions and activities (codes and titles) and give counts and links;
they never carry evidence, next steps, owners, references or anyone's comments or reasons, which stay
behind sign-in (tests/assessments/test_notifications.py renders every message with hostile text there).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import timezone

from accounts.mail import Email, Notice, notice_split, queue_with_change, service_url
from accounts.models import User
from accounts.roles import Role
from assessments.dates import long_datetime
from assessments.models import Assessment


class Kind(enum.Enum):
    """Every kind of notice the service sends about assessments."""

    SUBMITTED_FOR_REVIEW = "submitted for review"  # to the region's coordinators
    SUBMISSION_RECEIPT = "submission receipt"  # to the SPOC who submitted
    RETURNED_FOR_CHANGES = "returned for changes"  # to the force's SPOCs
    SIGNED_OFF = "signed off"  # to the force's SPOCs and chief officers
    REOPENED = "reopened"  # to the force's SPOCs
    REMINDER = "reminder"  # daily reminders and their copies (assessments/reminders.py)
    PRACTICE_NOMINATED = "practice nominated"  # to the force's SPOCs and chief officers


# The rule, stated once: a notice goes at once, whatever the person chose, when it tells them of a workflow
# decision that leaves the next move with them: a submission waiting for their review (coordinators), a
# return for changes or a reopening (SPOCs). Receipts, sign-offs and reminders may wait for the digest, and
# so may a request to consent to sharing notable practice: it has no deadline and nothing waits on it.
NEEDS_ACTION = frozenset({Kind.SUBMITTED_FOR_REVIEW, Kind.RETURNED_FOR_CHANGES, Kind.REOPENED})


def goes_at_once(kind: Kind) -> bool:
    """True when this kind of notice skips the daily digest (see NEEDS_ACTION)."""
    return kind in NEEDS_ACTION


def notice_emails(kind: Kind, notice: Notice, *, recipients: Iterable[User]) -> list[Email]:
    """Hold the notice for digest readers unless it needs action; the one email for everyone else."""
    email = notice_split(notice, recipients=recipients, at_once=goes_at_once(kind))
    return [email] if email is not None else []


def assessment_submitted(
    assessment: Assessment, *, by: User, returned: Sequence[tuple[str, str]], site: str = ""
) -> None:
    """Ask the region's coordinators to review, and give the SPOC who submitted a receipt.

    `returned` is the (code, title) of each activity the coordinator had returned, when this is a
    resubmission after a return; the coordinators' message lists them.
    """
    force, round_name, version = assessment.force.name, assessment.round.name, assessment.version
    verb = "resubmitted" if returned else "submitted"
    review = service_url(reverse("admin:assessments_assessment_review", args=[assessment.pk]), site=site)
    lines = [f"{force} has {verb} its self-assessment for {round_name} (version {version})."]
    if returned:
        lines += ["", f"It had been returned for changes to {_count(len(returned))}:", *_listed(returned)]
    lines += ["", "Review it here:", review]
    for_review = Notice(
        subject=f"{force} has {verb} its {round_name} assessment (version {version})",
        body="\n".join(lines) + "\n",
        link=review,
    )
    task_list = _task_list(assessment, site=site)
    when = long_datetime(assessment.submitted_at or timezone.now())
    receipt = Notice(
        subject=f"Received: {force}'s {round_name} assessment (version {version})",
        body=(
            f"You {verb} {force}'s self-assessment for {round_name} (version {version}) on "
            f"{when}. The regional coordinator for {assessment.force.region.name} "
            "will review it; we will email you when they sign it off or return it.\n\n"
            f"See what you {verb}:\n{task_list}\n"
        ),
        link=task_list,
    )
    queue_with_change(
        notice_emails(Kind.SUBMITTED_FOR_REVIEW, for_review, recipients=_coordinators(assessment))
        + notice_emails(Kind.SUBMISSION_RECEIPT, receipt, recipients=[by])
    )


def assessment_returned(
    assessment: Assessment, *, activities: Sequence[tuple[str, str]], site: str = ""
) -> None:
    """Tell every SPOC of the force which activities were returned (the comments stay in the service)."""
    force, round_name = assessment.force.name, assessment.round.name
    task_list = _task_list(assessment, site=site)
    notice = Notice(
        subject=f"{force}'s {round_name} assessment has been returned for changes",
        body="\n".join(
            [
                f"The regional coordinator has returned {force}'s self-assessment for {round_name} "
                f"(version {assessment.version}) and asked for changes to {_count(len(activities))}:",
                *_listed(activities),
                "",
                "Their comments are shown against each activity in the service. Change those activities, "
                "then submit the assessment again.",
                "",
                "See it here:",
                task_list,
            ]
        )
        + "\n",
        link=task_list,
    )
    queue_with_change(
        notice_emails(Kind.RETURNED_FOR_CHANGES, notice, recipients=_force_people(assessment, [Role.SPOC]))
    )


def assessment_signed_off(assessment: Assessment, *, site: str = "") -> None:
    """Tell the force's SPOCs and chief officers, with a link to the signed-off report (PDF)."""
    force, round_name, version = assessment.force.name, assessment.round.name, assessment.version
    # The stable, permission-checked address of the signed-off version's PDF.
    report = service_url(
        reverse(
            "assessments:force_report_pdf",
            kwargs={"force_code": assessment.force.code, "round_id": assessment.round_id, "version": version},
        ),
        site=site,
    )
    notice = Notice(
        subject=f"{force}'s {round_name} assessment has been signed off",
        body=(
            f"The regional coordinator has signed off {force}'s self-assessment for {round_name} "
            f"(version {version}).\n\nThe signed-off report (PDF):\n{report}\n\n"
            f"See the assessment:\n{_task_list(assessment, site=site)}\n"
        ),
        link=report,
    )
    recipients = _force_people(assessment, [Role.SPOC, Role.CHIEF_OFFICER])
    queue_with_change(notice_emails(Kind.SIGNED_OFF, notice, recipients=recipients))


def assessment_reopened(assessment: Assessment, *, site: str = "") -> None:
    """Tell the force's SPOCs that a signed-off assessment is open again as a new version."""
    force, round_name = assessment.force.name, assessment.round.name
    task_list = _task_list(assessment, site=site)
    notice = Notice(
        subject=f"{force}'s {round_name} assessment has been reopened",
        body=(
            f"The national unit has reopened {force}'s self-assessment for {round_name} as version "
            f"{assessment.version}. The answers that were signed off are already filled in; change what "
            f"needs changing and submit it again.\n\nSee it here:\n{task_list}\n"
        ),
        link=task_list,
    )
    queue_with_change(notice_emails(Kind.REOPENED, notice, recipients=_force_people(assessment, [Role.SPOC])))


def practice_nominated(
    assessment: Assessment, *, code: str, title: str, practice_id: int, site: str = ""
) -> None:
    """Ask the force's SPOCs and chief officers whether the nominated practice may be shared nationally.

    Like every notice it names the activity but not the evidence or the coordinator's reason, which
    stay behind sign-in on the consent page."""
    force, round_name = assessment.force.name, assessment.round.name
    consent_page = service_url(
        reverse(
            "assessments:force_practice_item",
            kwargs={"force_code": assessment.force.code, "practice_id": practice_id},
        ),
        site=site,
    )
    notice = Notice(
        subject=f"{force}: notable practice nominated for {code} ({round_name})",
        body=(
            f"Your regional coordinator has nominated {force}'s evidence for {code} {title} in {round_name} "
            "as notable practice that other forces could learn from.\n\n"
            "Nothing is shared unless a SPOC or chief officer of the force agrees. You can choose to be "
            "named or anonymised, and edit the text that is shared; your signed-off assessment does not "
            f"change.\n\nSay whether you agree here:\n{consent_page}\n"
        ),
        link=consent_page,
    )
    recipients = _force_people(assessment, [Role.SPOC, Role.CHIEF_OFFICER])
    queue_with_change(notice_emails(Kind.PRACTICE_NOMINATED, notice, recipients=recipients))


def _task_list(assessment: Assessment, *, site: str) -> str:
    return service_url(reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk}), site=site)


def _count(activities: int) -> str:
    return "1 activity" if activities == 1 else f"{activities} activities"


def _listed(activities: Sequence[tuple[str, str]]) -> list[str]:
    return [f"- {code} {title}" for code, title in activities]


def _force_people(assessment: Assessment, roles: list[Role]) -> list[User]:
    """Active people holding one of these roles in the assessment's force."""
    return list(
        User.objects.filter(
            is_active=True, memberships__role__in=roles, memberships__force_id=assessment.force_id
        ).distinct()
    )


def _coordinators(assessment: Assessment) -> list[User]:
    """Active coordinators of the force's region."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.COORDINATOR,
            memberships__region_id=assessment.force.region_id,
        ).distinct()
    )
