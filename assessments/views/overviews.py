"""The regional and national pages: the overviews, the round's evidence rule, the named benchmarks and
the pipeline."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessments import overviews, selectors, workflow
from assessments.forms import (
    EvidenceRuleForm,
)
from assessments.models import Round
from assessments.permissions import (
    can_reopen,
    can_see_national_overview,
    can_see_pipeline,
    region_for_user_or_404,
    reviewable_region_ids,
    visible_regions,
)
from assessments.selectors.pipeline import pipeline as pipeline_selector


def _position(request: HttpRequest) -> str:
    """Which position the overview's heat map shows (the `figures` parameter).

    Chief officers and the national unit act on these figures, so the default (and the answer to an
    unknown choice) is each force's latest signed-off position; the live draft position is asked for.
    """
    asked = request.GET.get("figures", "")
    return asked if asked in overviews.POSITIONS else overviews.SIGNED_OFF


def region_overview(request: HttpRequest, region_slug: str) -> HttpResponse:
    """A region's forces in a round: workflow status, completeness, days to due and the heat map."""
    region = region_for_user_or_404(request.user, region_slug)
    overview = overviews.region_overview(
        region=region, round_id=request.GET.get("round"), position=_position(request)
    )
    context = {
        "region": region,
        "overview": overview,
        "due_text": overviews.due_text(overview.days_to_due),
        "review_region_ids": reviewable_region_ids(request.user),
    }
    return render(request, "assessments/region_overview.html", context)


def national_overview(request: HttpRequest) -> HttpResponse:
    """Every region's pipeline and every force's heat map, for national staff and administrators."""
    if not can_see_national_overview(request.user):
        raise Http404
    overview, regions = overviews.national_overview(
        round_id=request.GET.get("round"), position=_position(request)
    )
    context = {
        "overview": overview,
        "regions": regions,
        "due_text": overviews.due_text(overview.days_to_due),
        "review_region_ids": reviewable_region_ids(request.user),
    }
    return render(request, "assessments/national_overview.html", context)


def evidence_rule(request: HttpRequest, round_id: int) -> HttpResponse:
    """National staff switch a round's evidence-of-change rule between enforced and warn only."""
    if not can_reopen(request.user):
        raise Http404
    round_ = get_object_or_404(Round, pk=round_id)
    current = "warn_only" if round_.evidence_rule_warn_only else "enforced"
    if request.method == "POST":
        form = EvidenceRuleForm(request.POST)
        if form.is_valid():
            warn_only = form.cleaned_data["mode"] == "warn_only"
            workflow.evidence_rule_set(
                round_, by=request.user, warn_only=warn_only, reason=form.cleaned_data["reason"]
            )
            state = "warn only" if warn_only else "enforced"
            messages.success(request, f"The evidence-of-change rule in {round_.name} is now {state}.")
            return redirect("assessments:evidence_rule", round_id=round_.pk)
    else:
        form = EvidenceRuleForm(initial={"mode": current})
    context = {"round": round_, "form": form, "events": list(round_.events.order_by("created_at", "pk"))}
    return render(request, "assessments/evidence_rule.html", context)


def national_benchmarks(request: HttpRequest) -> HttpResponse:
    """Every force's latest signed-off shares against the national and regional spread, named."""
    if not can_see_national_overview(request.user):
        raise Http404
    benchmark = selectors.national_benchmark()
    return render(request, "assessments/national_benchmarks.html", {"benchmark": benchmark})


def pipeline(request: HttpRequest) -> HttpResponse:
    """Pipeline and turnaround: how long decisions take and what waits longest, per region and force."""
    if not can_see_pipeline(request.user):
        raise Http404
    context = {
        "pipeline": pipeline_selector(regions=visible_regions(request.user), now=timezone.now()),
        "review_region_ids": reviewable_region_ids(request.user),
    }
    return render(request, "assessments/pipeline.html", context)
