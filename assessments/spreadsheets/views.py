"""Spreadsheet pages: download a return, upload it back (preview, then confirm), and round-wide exports.

Scope comes from assessments.permissions: anything out of scope is 404. Downloading a return is open
to everyone who can see the assessment; uploading only to the force's SPOC while it can be edited.
The preview lives in the session between upload and confirmation, never in the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from assessments.models import Assessment, Round
from assessments.permissions import (
    access_for,
    assessment_for_user_or_404,
    can_edit_assessment,
    can_see_national_overview,
    is_spoc_for,
    region_for_user_or_404,
    visible_regions,
)
from assessments.selectors.rounds import round_choice
from assessments.spreadsheets import exports, offline, reading
from assessments.spreadsheets.forms import ConfirmUploadForm, ReturnUploadForm
from spreadsheet_safety import SpreadsheetRejected, read_upload

SESSION_PREFIX = "return_upload:"
NOT_EDITABLE = "This assessment cannot be changed now, so a spreadsheet cannot be uploaded to it."
OUT_OF_DATE = (
    "Some of these activities were changed by someone else after you uploaded the file. "
    "Nothing has been saved. Upload the file again to see its changes against the latest answers."
)


def _file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Returns are sensitive: keep them out of shared caches and the browser's back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


def _session_key(assessment: Assessment) -> str:
    return f"{SESSION_PREFIX}{assessment.pk}"


def _spoc_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    """The assessment, if the user may see it (else 404) and is its force's SPOC (else 403)."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    if not is_spoc_for(request.user, assessment):
        raise PermissionDenied
    return assessment


@require_GET
def return_download(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The force's current return as an xlsx workbook, for anyone who can see the assessment."""
    assessment = assessment_for_user_or_404(request.user, assessment_id)
    content = offline.return_workbook(assessment=assessment)
    filename = f"{assessment.force.code}-{slugify(assessment.round.name)}-return.xlsx"
    return _file_response(content, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def return_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Choose the completed spreadsheet; every check runs before the preview, and nothing is saved yet."""
    assessment = _spoc_assessment(request, assessment_id)
    editable = can_edit_assessment(request.user, assessment)
    form = ReturnUploadForm()
    problems: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ReturnUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                data = read_upload(form.cleaned_data["spreadsheet"])
                preview = reading.read_return_upload(assessment=assessment, data=data)
            except SpreadsheetRejected as rejected:
                problems = rejected.problems
                if len(problems) == 1:
                    form.add_error("spreadsheet", problems[0])
                else:
                    form.add_error(
                        "spreadsheet",
                        f"The selected file has {len(problems)} problems, listed below. "
                        "Nothing has been saved",
                    )
            else:
                request.session[_session_key(assessment)] = preview.to_session()
                return redirect("assessments:return_upload_preview", assessment_id=assessment.pk)
    context = {"assessment": assessment, "form": form, "problems": problems, "editable": editable}
    return render(request, "spreadsheets/return_upload.html", context)


@require_http_methods(["GET", "POST"])
def return_upload_preview(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Show exactly what the upload changes; on confirmation save it all in one transaction, or nothing."""
    assessment = _spoc_assessment(request, assessment_id)
    stored: dict[str, Any] | None = request.session.get(_session_key(assessment))
    if not stored or stored.get("assessment_id") != assessment.pk:
        messages.info(request, "Upload a completed spreadsheet to see what it would change.")
        return redirect("assessments:return_upload", assessment_id=assessment.pk)
    if not can_edit_assessment(request.user, assessment):
        request.session.pop(_session_key(assessment), None)
        messages.error(request, NOT_EDITABLE + " Nothing has been saved.")
        return redirect("assessments:task_list", assessment_id=assessment.pk)
    try:
        preview = offline.preview_from_session(assessment=assessment, stored=stored)
    except offline.UploadOutOfDate:
        preview = None
    if request.method == "POST":
        form = ConfirmUploadForm(request.POST)
        if not form.is_valid() or form.cleaned_data["token"] != stored.get("token"):
            messages.error(request, "That preview has been replaced by a newer upload. Check these changes.")
            return redirect("assessments:return_upload_preview", assessment_id=assessment.pk)
        try:
            saved = offline.apply_upload(assessment=assessment, stored=stored, by=request.user)
        except offline.UploadOutOfDate:
            request.session.pop(_session_key(assessment), None)
            messages.error(request, OUT_OF_DATE)
            return redirect("assessments:return_upload", assessment_id=assessment.pk)
        except offline.UploadNotAllowed:
            request.session.pop(_session_key(assessment), None)
            messages.error(request, NOT_EDITABLE + " Nothing has been saved.")
            return redirect("assessments:task_list", assessment_id=assessment.pk)
        request.session.pop(_session_key(assessment), None)
        noun = "activity" if saved == 1 else "activities"
        messages.success(request, f"{saved} {noun} updated from the spreadsheet.")
        return redirect("assessments:task_list", assessment_id=assessment.pk)
    context = {
        "assessment": assessment,
        "preview": preview,
        "form": ConfirmUploadForm(initial={"token": stored.get("token", "")}),
    }
    return render(request, "spreadsheets/return_preview.html", context)


@require_GET
def round_exports(request: HttpRequest) -> HttpResponse:
    """Links to every export the user may take: their regions' and, for national staff, everyone's."""
    access = access_for(request.user)
    if not (access.nationwide or access.coordinator_region_ids):
        raise Http404
    regions = list(visible_regions(request.user).order_by("name"))
    wanted = request.GET.get("region")
    if wanted:
        regions = [region for region in regions if region.slug == wanted]
    elif access.nationwide:
        regions = []
    context = {
        "rounds": round_choice().rounds,
        "regions": regions,
        "nationwide": access.nationwide and not wanted,
        "formats": exports.FORMATS,
    }
    return render(request, "spreadsheets/round_exports.html", context)


def _format_or_404(file_format: str) -> str:
    if file_format not in exports.FORMATS:
        raise Http404
    return file_format


@require_GET
def round_export(request: HttpRequest, round_id: int, file_format: str) -> HttpResponse:
    """Every force's returns in the round, for national staff and administrators."""
    if not can_see_national_overview(request.user):
        raise Http404
    file = exports.round_export(
        round=get_object_or_404(Round, pk=round_id), region=None, file_format=_format_or_404(file_format)
    )
    return _file_response(file.content, filename=file.filename, content_type=file.content_type)


@require_GET
def region_round_export(
    request: HttpRequest, round_id: int, region_slug: str, file_format: str
) -> HttpResponse:
    """One region's returns in the round, for its coordinator and national staff."""
    region = region_for_user_or_404(request.user, region_slug)
    file = exports.round_export(
        round=get_object_or_404(Round, pk=round_id), region=region, file_format=_format_or_404(file_format)
    )
    return _file_response(file.content, filename=file.filename, content_type=file.content_type)
