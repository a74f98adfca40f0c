"""The action register: a force's open and closed actions, closing one, and the overdue roll-ups for a
region and the nation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors, services
from assessments.actions import TIMING_LABELS, ActionValues, uk_today
from assessments.forms import (
    ActionCloseForm,
)
from assessments.permissions import (
    can_see_national_overview,
    force_for_user_or_404,
    is_spoc_of_force,
    region_for_user_or_404,
    visible_forces,
)


def force_actions(request: HttpRequest, force_code: str) -> HttpResponse:
    """The force's action register: its open actions, filtered by owner, due date or process area."""
    force = force_for_user_or_404(request.user, force_code)
    filters = selectors.ActionFilters(
        owner=request.GET.get("owner", "").strip(),
        due=request.GET.get("due", "") if request.GET.get("due") in selectors.DUE_FILTERS else "",
        area=request.GET.get("area", "").strip(),
        closed=request.GET.get("show") == "closed",
    )
    register = selectors.force_action_register(force=force, filters=filters, today=uk_today())
    can_close = is_spoc_of_force(request.user, force)
    return render(
        request,
        "assessments/force_actions.html",
        {"force": force, "register": register, "due_choices": _due_choices(), "can_close": can_close},
    )


def action_close(request: HttpRequest, force_code: str, action_id: int) -> HttpResponse:
    """The force's SPOC marks one open action done, or replaces it with a new next step."""
    force = force_for_user_or_404(request.user, force_code)
    if not is_spoc_of_force(request.user, force):
        raise PermissionDenied
    row = selectors.open_action_of_force(force=force, action_id=action_id, today=uk_today())
    if row is None:
        raise Http404
    form = ActionCloseForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        replacement = (
            ActionValues(
                next_steps=data["next_steps"],
                action_owner=data["action_owner"],
                target_date=data["target_date"],
            )
            if data["how"] == "replaced"
            else None
        )
        try:
            services.action_close(
                action_id=action_id,
                how=data["how"],
                by=request.user,
                note=data["note"],
                replacement=replacement,
            )
        except services.ActionNotOpen:
            messages.info(request, f"The action on {row.code} had already closed.")
            return redirect("assessments:force_actions", force_code=force.code)
        except (services.CannotReplaceNow, services.ReplacementNotAnAction) as refused:
            error = str(refused)
        except services.StaleReturn:
            error = f"{row.code} was changed by someone else just now. Nothing was saved: try again."
        else:
            done = "marked done" if data["how"] == "done" else "replaced"
            messages.success(request, f"The action on {row.code} is {done}. It is no longer on the register.")
            return redirect("assessments:force_actions", force_code=force.code)
    return render(
        request,
        "assessments/action_close.html",
        {"force": force, "row": row, "form": form, "error": error},
    )


def region_actions(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Overdue actions in a region, by force and process area, for its coordinators and national staff."""
    region = region_for_user_or_404(request.user, region_slug)
    roll_up = selectors.overdue_roll_up(
        forces=visible_forces(request.user).filter(region=region), today=uk_today()
    )
    return render(request, "assessments/overdue_actions.html", _roll_up_context(region, roll_up))


def national_actions(request: HttpRequest) -> HttpResponse:
    """Overdue actions in every force, by force and process area, for national staff."""
    if not can_see_national_overview(request.user):
        raise Http404
    roll_up = selectors.overdue_roll_up(forces=visible_forces(request.user), today=uk_today())
    return render(request, "assessments/overdue_actions.html", _roll_up_context(None, roll_up))


def _roll_up_context(region: Any, roll_up: selectors.OverdueRollUp) -> dict[str, Any]:
    """The roll-up, and each force's register address as the text either side of its code: reversed
    once here rather than once per force by {% url %} in the template."""
    placeholder = "__force__"
    url = reverse("assessments:force_actions", kwargs={"force_code": placeholder})
    before, _, after = url.partition(placeholder)
    return {"region": region, "roll_up": roll_up, "register_url": (before, after)}


def _due_choices() -> list[tuple[str, str]]:
    return [(str(timing), TIMING_LABELS[timing]) for timing in selectors.DUE_FILTERS]
