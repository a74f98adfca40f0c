"""Pages for notable practice: the library, a force's nominations and consent, national publication,
and the action plan with a count of published practice per activity. Views parse, call one selector
or one step of assessments/practice.py, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from actionplan.selectors import current_plan_tree
from assessments import practice
from assessments.forms import ConsentForm
from assessments.models import NotablePractice
from assessments.permissions import access_for, force_for_user_or_404
from assessments.selectors import practice as practice_selectors


def library(request: HttpRequest) -> HttpResponse:
    """Every published practice, filtered by process area and activity, and searched by words."""
    found = practice_selectors.library(
        area=request.GET.get("area", "").strip(),
        activity=request.GET.get("activity", "").strip()[:20],
        text=request.GET.get("q", "")[:200],
    )
    return render(request, "assessments/practice_library.html", {"library": found})


def action_plan(request: HttpRequest) -> HttpResponse:
    """The national action plan, with how many published practices each activity has."""
    context = {"plan": current_plan_tree(), "practice_counts": practice_selectors.counts_by_activity()}
    return render(request, "actionplan/plan.html", context)


def force_practice(request: HttpRequest, force_code: str) -> HttpResponse:
    """The force's nominated practice: what waits for its consent, and what is shared."""
    force = force_for_user_or_404(request.user, force_code)
    context = {
        "force": force,
        "nominations": practice_selectors.force_nominations(force=force),
        "speaks_for_force": _speaks_for(request, force.pk),
    }
    return render(request, "assessments/force_practice.html", context)


def force_practice_item(request: HttpRequest, force_code: str, practice_id: int) -> HttpResponse:
    """One nomination: the SPOC or chief officer consents (named or anonymised, their text), declines
    or withdraws. Another force's nomination is a 404; nothing is written unless the step is allowed."""
    force = force_for_user_or_404(request.user, force_code)
    item = get_object_or_404(
        NotablePractice.objects.select_related("assessment__round", "activity", "nominated_by"),
        pk=practice_id,
        assessment__force_id=force.pk,
    )
    form = ConsentForm(initial={"shared_text": item.shared_text, "attribution": item.attribution or None})
    if request.method == "POST":
        if not _speaks_for(request, force.pk):
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "consent":
                form = ConsentForm(request.POST)
                if form.is_valid():
                    practice.consent(
                        item,
                        by=request.user,
                        attribution=form.cleaned_data["attribution"],
                        shared_text=form.cleaned_data["shared_text"],
                    )
                    messages.success(
                        request, f"You agreed to share {item.activity.code}. National staff will publish it."
                    )
                    return redirect("assessments:force_practice", force_code=force.code)
            elif action == "decline":
                practice.decline(item, by=request.user)
                messages.success(request, f"You declined to share {item.activity.code}.")
                return redirect("assessments:force_practice", force_code=force.code)
            elif action == "withdraw":
                practice.withdraw(item, by=request.user)
                messages.success(request, f"{item.activity.code} has been withdrawn. Nobody can see it now.")
                return redirect("assessments:force_practice", force_code=force.code)
            else:
                raise Http404
        except practice.PracticeRefused as refused:
            form.add_error(None, str(refused))
    context = {
        "force": force,
        "item": item,
        "form": form,
        "speaks_for_force": _speaks_for(request, force.pk),
        "events": list(item.events.order_by("created_at", "pk")),
    }
    return render(request, "assessments/force_practice_item.html", context)


def national_practice(request: HttpRequest) -> HttpResponse:
    """National staff publish consented practice and withdraw published practice."""
    if not access_for(request.user).nationwide:
        raise Http404
    waiting, shown = practice_selectors.national_queue()
    return render(request, "assessments/national_practice.html", {"waiting": waiting, "shown": shown})


@require_POST
def national_practice_step(request: HttpRequest, practice_id: int) -> HttpResponse:
    """Publish or withdraw one practice; a coordinator or force user gets a 404, an unknown id too."""
    if not access_for(request.user).nationwide:
        raise Http404
    item = get_object_or_404(NotablePractice.objects.select_related("activity"), pk=practice_id)
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            practice.publish(item, by=request.user)
            messages.success(request, f"{item.activity.code} is published. Every user can see it now.")
        elif action == "withdraw":
            practice.withdraw(item, by=request.user)
            messages.success(request, f"{item.activity.code} has been withdrawn. Nobody can see it now.")
        else:
            raise Http404
    except practice.PracticeRefused as refused:
        messages.error(request, str(refused))
    return redirect("assessments:national_practice")


def _speaks_for(request: HttpRequest, force_id: int) -> bool:
    access = access_for(request.user)
    return force_id in access.spoc_force_ids or force_id in access.chief_officer_force_ids
