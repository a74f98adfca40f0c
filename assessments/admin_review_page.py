"""The coordinator's review page in the admin: compare with the last sign-off, then decide.

AssessmentAdmin (admin_review.py) wires this page into the admin at <id>/review/; this module reads the
page (selectors.review), parses the coordinator's form and shows the result. Every decision goes through
workflow.py and every mark through services.py, so nothing here changes an assessment by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from accounts.mail import site_of
from assessments import practice, services, workflow
from assessments.forms import NominationForm, ReopenForm, ReviewForm
from assessments.markup import admin_tables
from assessments.markup.admin_fragments import nomination_options_html
from assessments.models import Assessment
from assessments.permissions import can_reopen, can_review, decision_conflict, visible_assessments
from assessments.selectors.review import GROUPS, default_group, review_page
from assessments.status import WorkflowStatus

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

STALE_PAGE = (
    "The assessment has changed since you opened this page. Check the latest version below and decide again."
)
MARK_ACTIVITIES = (
    "Mark at least one activity as needing changes, with a comment, before returning the assessment"
)
GIVE_REASON = "Give the overall reason for returning the assessment"


def review_view(model_admin: ModelAdmin[Assessment], request: HttpRequest, object_id: int) -> HttpResponse:
    """Compare with the last sign-off, then return for changes, sign off or (national) reopen."""
    # The page reads the force and its region and the round; who submitted and who signed off it reads
    # from the events, by their names as recorded, as the history table below does.
    related = ("force__region", "round")
    assessment = get_object_or_404(
        visible_assessments(request.user).select_related(None).select_related(*related), pk=object_id
    )
    may_review = can_review(request.user, assessment)
    page = review_page(assessment=assessment, reviewer=request.user if may_review else None)
    seen = len(page.events)
    initial = {"events_seen": seen}
    # Unbound, the form shows only events_seen and the overall comment (admin_tables renders each
    # activity's inputs), so its per-activity fields are made only to read a decision.
    review_form = ReviewForm(codes=[], initial=initial)
    reopen_form = ReopenForm(initial=initial)
    refused_marks: list[str] = []
    typed: Any = None  # what the coordinator typed, when the page comes back after a POST
    codes = [row.activity_return.code for row in page.rows]
    nomination_form = NominationForm(prefix="nominate")
    if request.method == "POST" and "nominate-code" in request.POST:
        nomination_form = NominationForm(request.POST, prefix="nominate")
        if _nominate(request, assessment, nomination_form):
            return redirect("admin:assessments_assessment_review", object_id=assessment.pk)
    elif request.method == "POST" and "looked_at" in request.POST:
        # A mark as the coordinator goes: the page comes back with everything typed on it kept,
        # and with the events the page had shown, so a later decision still detects a stale page.
        kept_initial = {
            "events_seen": request.POST.get("events_seen", seen),
            "overall_comment": request.POST.get("overall_comment", ""),
        }
        review_form = ReviewForm(codes=[], initial=kept_initial)
        typed = request.POST
        _mark(request, assessment)
        page = review_page(assessment=assessment, reviewer=request.user)
    elif request.method == "POST" and "decision" in request.POST:
        review_form = ReviewForm(request.POST, codes=codes)
        if _decide(request, assessment, review_form, refused_marks=refused_marks):
            return redirect("admin:assessments_assessment_changelist")
    elif request.method == "POST" and "reason" in request.POST:
        reopen_form = ReopenForm(request.POST)
        if _reopen(request, assessment, reopen_form, seen=seen):
            return redirect("admin:assessments_assessment_review", object_id=assessment.pk)
    # Separation of duties: say why the buttons are absent rather than leave the reviewer guessing.
    # Asked whatever the status, so the page costs the same queries at every stage.
    conflict = decision_conflict(request.user, assessment, events=page.events) if may_review else None
    can_decide = may_review and conflict is None and assessment.status == WorkflowStatus.SUBMITTED
    # A refused sign-off shows every row, so the error summary's links reach each marked activity.
    group = None if refused_marks else default_group(page, request.GET.get("show"))
    shown = page.shown(group)
    rows_html = admin_tables.review_rows_html(
        shown,
        data=(typed if typed is not None else review_form.data) if can_decide else None,
        errors=review_form.errors if can_decide else None,
        looked_at=can_decide,
    )
    # Marks and comments typed on rows another filter hides are kept in the form as hidden fields.
    shown_codes = {row.activity_return.code for row in shown}
    kept = (
        [
            (name, value)
            for name, value in (typed if typed is not None else review_form.data).items()
            if name.partition("_")[0] in ("changes", "comment")
            and name.partition("_")[2] not in shown_codes
            and value
        ]
        if can_decide
        else []
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "is_nav_sidebar_enabled": False,
        "title": f"Review: {assessment.force.name}, {assessment.round.name}",
        "opts": model_admin.model._meta,
        "page": page,
        "group": group,
        "group_label": GROUPS.get(group or ""),
        "summary_html": admin_tables.group_summary(page.group_counts, group=group, total=len(page.rows)),
        "history_html": admin_tables.history_rows(page.events),
        "shown_count": len(shown),
        "rows_html": rows_html,
        "kept": kept,
        "assessment": assessment,
        "review_form": review_form,
        "reopen_form": reopen_form,
        "refused_marks": refused_marks,
        "can_decide": can_decide,
        "may_review": may_review,
        "decision_conflict": conflict,
        "can_reopen": can_reopen(request.user) and assessment.status == WorkflowStatus.SIGNED_OFF,
        "nomination_form": nomination_form,
        "can_nominate": may_review and assessment.status in practice.NOMINATABLE_STATUSES,
        "nomination_options": nomination_options_html(
            (
                (row.activity_return.code, row.activity_return.title)
                for row in page.rows
                if row.activity_return.evidence_summary
            ),
            selected=nomination_form["code"].value(),
        ),
    }
    return TemplateResponse(request, "admin/assessments/assessment/review.html", context)


def _mark(request: HttpRequest, assessment: Assessment) -> None:
    code, _, state = str(request.POST.get("looked_at", "")).partition(":")
    try:
        services.review_mark_set(
            assessment=assessment, code=code, by=request.user, looked_at=state != "clear"
        )
    except services.UnknownActivity as unknown:
        messages.error(request, str(unknown))


def _decide(
    request: HttpRequest, assessment: Assessment, form: ReviewForm, *, refused_marks: list[str]
) -> bool:
    if not can_review(request.user, assessment):
        raise PermissionDenied
    if not form.is_valid():
        return False
    seen = form.cleaned_data["events_seen"]
    try:
        if form.cleaned_data["decision"] == "sign_off":
            workflow.sign_off(
                assessment,
                by=request.user,
                comment=form.cleaned_data["overall_comment"],
                site=site_of(request),
                marked=form.marked_codes(),
                events_seen=seen,
            )
            messages.success(request, f"{assessment.force.name} signed off for {assessment.round.name}.")
        else:
            workflow.return_for_changes(
                assessment,
                by=request.user,
                reason=form.cleaned_data["overall_comment"],
                activity_comments=form.activity_comments(),
                site=site_of(request),
                events_seen=seen,
            )
            messages.success(
                request, f"{assessment.force.name} returned for changes. We have emailed the SPOCs."
            )
    except workflow.SignOffWithMarks as refused:
        refused_marks.extend(refused.codes)
        form.add_error(None, str(refused))
    except workflow.ReturnNeedsReason:
        form.add_error("overall_comment", GIVE_REASON)
    except workflow.ReturnNeedsActivities as problem:
        form.add_error(None, str(problem) if problem.unknown else MARK_ACTIVITIES)
    except (workflow.InvalidTransition, workflow.StalePage) as invalid:
        form.add_error(None, str(invalid))
    else:
        return True
    return False


def _nominate(request: HttpRequest, assessment: Assessment, form: NominationForm) -> bool:
    """A coordinator of the region nominates one activity's evidence as notable practice."""
    if not can_review(request.user, assessment):
        raise PermissionDenied
    if not form.is_valid():
        return False
    code = form.cleaned_data["code"]
    try:
        practice.nominate(
            assessment, code=code, by=request.user, reason=form.cleaned_data["reason"], site=site_of(request)
        )
    except practice.PracticeRefused as refused:
        form.add_error(None, str(refused))
        return False
    messages.success(
        request, f"{code} nominated as notable practice. We have asked {assessment.force.name} to consent."
    )
    return True


def _reopen(request: HttpRequest, assessment: Assessment, form: ReopenForm, *, seen: int) -> bool:
    if not can_reopen(request.user):
        raise PermissionDenied
    if not form.is_valid():
        return False
    if form.cleaned_data["events_seen"] != seen:
        form.add_error(None, STALE_PAGE)
        return False
    try:
        workflow.reopen(
            assessment, by=request.user, reason=form.cleaned_data["reason"], site=site_of(request)
        )
    except (workflow.InvalidTransition, workflow.ReopenNeedsReason) as problem:
        form.add_error(None, str(problem) or "Give a reason for reopening the assessment")
        return False
    messages.success(request, f"Reopened as version {assessment.version + 1} in draft.")
    return True
