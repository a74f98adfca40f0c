"""The force's pages: home, the task list, an activity's answer and its history, check your answers and
submission. Views parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.mail import site_of
from assessments import selectors, services, workflow
from assessments.actions import uk_today
from assessments.answers import SINGLE_VALUE_FIELDS, answer_of, date_from, evidence_references_from
from assessments.dates import long_datetime
from assessments.forms import (
    ActivityReturnForm,
    EvidenceReferenceFormSet,
    SubmitForm,
    add_evidence_of_change_errors,
)
from assessments.markup import task_list as task_list_markup
from assessments.models import ActivityReturn, Assessment
from assessments.permissions import (
    assessment_for_user_or_404,
    can_edit_assessment,
    can_edit_return,
    can_submit,
    force_for_user_or_404,
    is_spoc_for,
    reports_first_for,
)
from assessments.rules import NEEDS_EVIDENCE_OF_CHANGE, TARGET_DATE_PAST, target_date_is_past
from assessments.selectors import practice as practice_selectors
from assessments.status import EDITABLE_STATUSES, WorkflowStatus

EVIDENCE_PREFIX = "ref"


def start(request: HttpRequest) -> HttpResponse:
    """After sign-in: send a user with one place to work straight there; otherwise let them choose."""
    destinations = selectors.home_destinations(user=request.user)
    if len(destinations) == 1:
        return redirect(destinations[0].url)
    return render(request, "assessments/start.html", {"destinations": destinations})


def force_home(request: HttpRequest, force_code: str) -> HttpResponse:
    """A force's home page: this round's status, progress by area, feedback and the way in."""
    force = force_for_user_or_404(request.user, force_code)
    home = selectors.force_home(force=force)
    # Days left (or overdue) matter only while the return is with the force: a submitted or signed-off
    # assessment is not overdue, however long ago its due date was.
    assessment = home.assessment
    days_left = (
        (assessment.round.due_on - timezone.localdate()).days
        if assessment is not None and assessment.status in EDITABLE_STATUSES
        else None
    )
    context = {
        "force": force,
        "home": home,
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "reports_first": reports_first_for(request.user, force),
    }
    return render(request, "assessments/force_home.html", context)


def task_list(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The GOV.UK task list: one row per activity, grouped by area."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    _check, breaches = selectors.evidence_breaches(assessment=assessment, today=uk_today())
    sections = selectors.task_list(assessment=assessment, needs_evidence={breach.code for breach in breaches})
    context = {
        "assessment": assessment,
        "sections": task_list_markup.task_list_sections(sections, assessment_id=assessment.pk),
        "progress": selectors.progress_of(sections),
        "can_edit": can_edit_assessment(request.user, assessment),
        # The progress line says "You have completed" to the force's SPOC, "The force has" to others.
        "reader_is_spoc": is_spoc_for(request.user, assessment),
    }
    return render(request, "assessments/task_list.html", context)


def activity_return(request: HttpRequest, assessment_id: int, code: str) -> HttpResponse:
    """One activity: guidance and the form (or the answers, read-only, for those who cannot edit)."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    page = selectors.activity_page(assessment=assessment, code=code)
    editable = can_edit_return(request.user, page.return_state)
    conflict = None
    evidence = selectors.evidence_check(assessment=assessment, today=uk_today())
    reference_kwargs = {"today": uk_today(), "force_established_on": evidence.force_established_on}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "continue")
        form = ActivityReturnForm(request.POST, complete=action != "draft")
        references = EvidenceReferenceFormSet(
            request.POST, prefix=EVIDENCE_PREFIX, form_kwargs=reference_kwargs
        )
        if form.is_valid() and references.is_valid():
            answer = form.answer(references=references.references())  # type: ignore[attr-defined]
            lacking = evidence.problems(code, answer)
            # "Save as draft" keeps a rise without new evidence (the task list marks it), as does a
            # warn-only round; otherwise the save is refused, saying what is missing.
            if lacking and action != "draft" and not evidence.warn_only:
                add_evidence_of_change_errors(form, references, lacking)  # type: ignore[arg-type]
            else:
                try:
                    saved = services.activity_return_save(
                        activity_return_id=page.return_state.pk,
                        values=answer,
                        by=request.user,
                        expected_revision=form.cleaned_data["revision"],
                    )
                except services.StaleReturn as stale:
                    conflict = stale.current
                    form = _form_against_newer_version(request.POST, conflict, complete=action != "draft")
                else:
                    return _after_save(request, saved, code, page, action, needs_evidence=bool(lacking))
    else:
        form = ActivityReturnForm(initial=_initial(page.activity_return))
        references = EvidenceReferenceFormSet(
            initial=_reference_initial(page.activity_return),
            prefix=EVIDENCE_PREFIX,
            form_kwargs=reference_kwargs,
        )
    current = page.activity_return
    context = {
        "assessment": assessment,
        "page": page,
        "activity": current.activity,
        "form": form,
        "references": references,
        "editable": editable,
        "conflict": conflict,
        "task_status": selectors.task_status_of(current),
        # What the saved answer lacks for its status rise: the page marks it "Needs evidence of change".
        "evidence_problems": list(evidence.problems(code, answer_of(current)).values()),
        "evidence_warn_only": evidence.warn_only,
        "other_practice": practice_selectors.for_activity(
            activity_id=current.activity_id, excluding_force_id=assessment.force_id
        ),
    }
    return render(request, "assessments/activity_return.html", context)


def return_history(request: HttpRequest, assessment_id: int, code: str) -> HttpResponse:
    """Who changed what and when for one activity."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    page = selectors.activity_page(assessment=assessment, code=code)
    versions = selectors.return_history(activity_return=page.activity_return)
    return render(
        request,
        "assessments/return_history.html",
        {"assessment": assessment, "activity": page.activity_return.activity, "versions": versions},
    )


def check_answers(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Every answer by area with Change links, what is still missing, and the declaration to submit."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    return _render_check(request, assessment, SubmitForm())


@require_POST
def submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Send the assessment to the regional coordinator once everything is complete."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    if not can_submit(request.user, assessment):
        raise PermissionDenied
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _render_check(request, assessment, form)
    try:
        workflow.submit(assessment, by=request.user, site=site_of(request))
    except (workflow.IncompleteAssessment, workflow.EvidenceOfChangeMissing):
        return _render_check(request, assessment, form)
    except workflow.InvalidTransition as invalid:
        messages.error(request, str(invalid))
        return redirect("assessments:task_list", assessment_id=assessment.pk)
    return redirect("assessments:submitted", assessment_id=assessment.pk)


def submitted(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The confirmation panel after submitting."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    if assessment.status != WorkflowStatus.SUBMITTED:
        return redirect("assessments:task_list", assessment_id=assessment.pk)
    return render(request, "assessments/submitted.html", {"assessment": assessment})


def _render_check(request: HttpRequest, assessment: Assessment, form: SubmitForm) -> HttpResponse:
    """Every answer, and what is missing: both from one read of the returns; and every status rise that
    lacks evidence of change, which stops the submission unless the round only warns."""
    check, breaches = selectors.evidence_breaches(assessment=assessment, today=uk_today())
    sections = selectors.task_list(
        assessment=assessment, answers=True, needs_evidence={breach.code for breach in breaches}
    )
    incomplete = selectors.incomplete_rows(sections)
    allowed = can_submit(request.user, assessment)
    context = {
        "breaches": breaches,
        "evidence_warn_only": check.warn_only,
        "assessment": assessment,
        "sections": task_list_markup.answer_sections(
            sections, assessment_id=assessment.pk, can_change=allowed
        ),
        "incomplete": incomplete,
        "incomplete_links": task_list_markup.activity_links(incomplete, assessment_id=assessment.pk),
        "can_submit": allowed,
        "form": form,
    }
    return render(request, "assessments/check_answers.html", context)


def _after_save(
    request: HttpRequest,
    saved: ActivityReturn,
    code: str,
    page: selectors.ActivityPage,
    action: str,
    *,
    needs_evidence: bool = False,
) -> HttpResponse:
    """The message and the redirect after a save; `code` is the saved activity's (the page's own)."""
    saved_values = {"implementation_status": saved.implementation_status, "target_date": saved.target_date}
    if needs_evidence:
        messages.warning(
            request,
            f"{code} saved. {NEEDS_EVIDENCE_OF_CHANGE}: its status has gone up since the last sign-off "
            "without a reference dated this round and an updated evidence summary.",
        )
    elif target_date_is_past(saved_values, today=timezone.localdate()):
        messages.warning(request, f"{code}: {TARGET_DATE_PAST}")
    elif action == "draft" and not saved.is_complete:
        messages.info(request, f"{code} saved as a draft. It is not complete yet.")
    else:
        messages.success(request, f"{code} saved.")
    assessment_id = saved.assessment_id
    if action == "continue" and page.next_code:
        return redirect("assessments:activity", assessment_id=assessment_id, code=page.next_code)
    if action == "continue":
        return redirect("assessments:check_answers", assessment_id=assessment_id)
    return redirect(reverse("assessments:task_list", kwargs={"assessment_id": assessment_id}) + f"#{code}")


def _form_against_newer_version(
    data: QueryDict, newer: ActivityReturn, *, complete: bool
) -> ActivityReturnForm:
    """Keep what the user typed, but let their next save go over the newer version knowingly."""
    rebased = data.copy()
    rebased["revision"] = str(newer.revision)
    form = ActivityReturnForm(rebased, complete=complete)
    form.is_valid()
    when = long_datetime(newer.updated_at) if newer.updated_at else "a moment ago"
    who = newer.updated_by.get_full_name() if newer.updated_by else "someone else"
    form.add_error(
        None,
        f"This activity was changed by {who} on {when} since you opened it. Nothing has been overwritten. "
        "Compare your answer with theirs below, then save again to replace theirs with yours.",
    )
    return form


def _initial(activity_return: ActivityReturn) -> dict[str, Any]:
    """The form's starting values: the stored answer (its references have their own formset)."""
    initial: dict[str, Any] = {
        field: value for field, value in answer_of(activity_return).items() if field in SINGLE_VALUE_FIELDS
    }
    return {**initial, "revision": activity_return.revision}


def _reference_initial(activity_return: ActivityReturn) -> list[dict[str, Any]]:
    """The references formset's starting values: each stored reference, its date as a date."""
    return [
        {**reference, "applies_on": date_from(reference["applies_on"])}
        for reference in evidence_references_from(activity_return.evidence_references)
    ]
