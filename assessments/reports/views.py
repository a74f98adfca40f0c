"""Report pages and downloads. Every fetch is scoped through assessments.permissions: out of scope is 404."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.models import ReportPack
from assessments.permissions import can_see_national_overview, force_for_user_or_404, region_for_user_or_404
from assessments.reports import drafts, renders, selectors
from assessments.reports.data import (
    force_report_data,
    national_report_data,
    regional_report_data,
    report_file_name,
)
from assessments.reports.downloads import report_download_url, signed_report_response
from assessments.reports.packs import PackLimitReached, pack_file_name, report_pack_request
from assessments.reports.pdf import ReportRenderError
from assessments.reports.rendering import (
    force_report_context,
    force_report_html,
    national_report_context,
    national_report_pdf,
    regional_report_context,
    regional_report_pdf,
)
from assessments.reports.storage import stored_file_bytes
from assessments.reports.waiting import BadWaitToken, Wait, wait_read, wait_token
from assessments.status import WorkflowStatus

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "Sorry, the PDF could not be made. Nothing has been saved. The problem has been logged; "
    "try again later, or use the report on this page."
)


def _pdf_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def force_reports(request: HttpRequest, force_code: str) -> HttpResponse:
    """A force's Reports page: this round's report and earlier ones, each version a download."""
    force = force_for_user_or_404(request.user, force_code)
    rounds = selectors.force_reports(user=request.user, force=force)
    return render(request, "reports/force_reports.html", {"force": force, "rounds": rounds})


def force_report(request: HttpRequest, force_code: str, round_id: int, version: int) -> HttpResponse:
    """View a signed-off version of a force's report in the browser."""
    force = force_for_user_or_404(request.user, force_code)
    assessment = selectors.report_assessment_or_404(user=request.user, force=force, round_id=round_id)
    snapshot = selectors.signed_off_snapshot_or_404(assessment=assessment, version=version)
    report = force_report_data(assessment=assessment, snapshot=snapshot)
    download = report_download_url(
        request,
        force_code=force.code,
        round_id=round_id,
        version=version,
        file_name=report.file_name,
        stored=selectors.stored_report_file(assessment_id=assessment.pk, version=version),
    )
    return _render_force_report(request, report, download)


def force_report_draft(request: HttpRequest, force_code: str, round_id: int) -> HttpResponse:
    """View the current, not yet signed-off answers as a draft report."""
    force = force_for_user_or_404(request.user, force_code)
    assessment = selectors.report_assessment_or_404(user=request.user, force=force, round_id=round_id)
    if assessment.status == WorkflowStatus.SIGNED_OFF:
        return redirect(
            "assessments:force_report", force_code=force.code, round_id=round_id, version=assessment.version
        )
    report = force_report_data(assessment=assessment)
    download = reverse(
        "assessments:force_report_draft_pdf", kwargs={"force_code": force.code, "round_id": round_id}
    )
    return _render_force_report(request, report, download)


def _render_force_report(request: HttpRequest, report: Any, download: str) -> HttpResponse:
    context = {
        **force_report_context(report),
        "download_url": download,
        "reports_url": reverse("assessments:force_reports", kwargs={"force_code": report.force_code}),
    }
    return render(request, "reports/force_report.html", context)


def force_report_pdf_download(
    request: HttpRequest, force_code: str, round_id: int, version: int
) -> HttpResponseBase:
    """The stored PDF of a signed-off version; only reads, never renders or writes.

    The task worker renders the PDF when the version is signed off (assessments/reports/renders.py).
    Until it has, this shows "Your report is being prepared", which refreshes itself and, once the file
    is stored, gets the download instead; if the render failed, or two minutes have passed, a page that
    says so and stops refreshing (`refresh_stored_reports` retries failed renders every 10 minutes).
    """
    force = force_for_user_or_404(request.user, force_code)
    assessment = selectors.report_assessment_or_404(user=request.user, force=force, round_id=round_id)
    selectors.signed_off_snapshot_or_404(assessment=assessment, version=version)
    stored = selectors.stored_report_file(assessment_id=assessment.pk, version=version)
    if stored is None:
        back = reverse(
            "assessments:force_report",
            kwargs={"force_code": force.code, "round_id": round_id, "version": version},
        )
        subject = f"{assessment.pk}:v{version}"
        wait, token = _wait_or_404(request)
        if wait is not None and wait.subject != subject:
            raise Http404("Not a waiting address for this report.")
        page = {"assessment": assessment, "back_url": back, "signed_off": True}
        check_url = f"{request.path}?waiting={token or wait_token(subject)}"
        if renders.signed_off_render_failed(assessment_id=assessment.pk, version=version):
            return _report_not_ready(request, "reports/report_failed.html", page, check_url=check_url)
        if wait is not None and wait.too_long:
            return _report_not_ready(request, "reports/report_taking_longer.html", page, check_url=check_url)
        return _report_preparing(request, assessment=assessment, back_url=back, refresh_url=check_url)
    try:
        content = stored_file_bytes(stored)
    except ReportRenderError:
        logger.exception("Force report %s v%s could not be served", assessment.pk, version)
        messages.error(request, RENDER_FAILED)
        return redirect("assessments:force_report", force_code=force.code, round_id=round_id, version=version)
    name = report_file_name(
        force_code=force.code, round_name=assessment.round.name, version=version, draft=False
    )
    return _pdf_response(content, name)


# How often "Your report is being prepared" asks again; a render takes a few seconds on the worker.
PREPARING_REFRESH_SECONDS = 5


def _report_preparing(
    request: HttpRequest, *, assessment: Any, back_url: str, refresh_url: str
) -> HttpResponse:
    """The page shown while the worker makes a PDF: it reloads `refresh_url` (this address with its
    waiting token) until the file is ready, or until the view says it failed or has taken too long.

    By a `Refresh` header rather than script (none is needed) or a meta refresh (which axe refuses, as
    WCAG 2.2.1 asks of a page that changes by itself without warning): the page says it checks again
    and links the same check for anyone who prefers to ask themselves.
    """
    context = {
        "assessment": assessment,
        "back_url": back_url,
        "refresh_seconds": PREPARING_REFRESH_SECONDS,
        "check_url": refresh_url,
    }
    response = render(request, "reports/report_preparing.html", context)
    response["Refresh"] = f"{PREPARING_REFRESH_SECONDS}; url={refresh_url}"
    return response


def _wait_or_404(request: HttpRequest) -> tuple[Wait | None, str]:
    """The wait in ?waiting= (None on a first request) and its token; 404 for a token this service did not
    make: a forged or mangled address is refused, never trusted, and queues nothing."""
    token = request.GET.get("waiting")
    if token is None:
        return None, ""
    try:
        return wait_read(token), token
    except BadWaitToken:
        raise Http404("Not a waiting address this service made.") from None


def _report_not_ready(
    request: HttpRequest, template: str, context: dict[str, Any], *, check_url: str
) -> HttpResponse:
    """A page that says the PDF is not coming soon (it failed, or is taking too long): no `Refresh`, so
    it stops checking by itself, and a link to check again by hand."""
    response = render(request, template, {**context, "check_url": check_url})
    response["Cache-Control"] = "private, no-store"
    return response


def signed_report_file(request: HttpRequest, token: str, file_name: str) -> HttpResponseBase:
    """A signed download link: SignedReportDownloadMiddleware answers it first, and this the same way."""
    return signed_report_response(request)


def force_report_draft_pdf(request: HttpRequest, force_code: str, round_id: int) -> HttpResponseBase:
    """A draft PDF of the current answers: stored copy, rendered now, or "being prepared" (drafts.py)."""
    force = force_for_user_or_404(request.user, force_code)
    assessment = selectors.report_assessment_or_404(user=request.user, force=force, round_id=round_id)
    if assessment.status == WorkflowStatus.SIGNED_OFF:
        return redirect(
            "assessments:force_report_pdf",
            force_code=force.code,
            round_id=round_id,
            version=assessment.version,
        )
    report = force_report_data(assessment=assessment)
    html = force_report_html(report)
    key = drafts.draft_key(html)
    content = drafts.stored_draft(assessment_id=assessment.pk, key=key)
    if content is None and not drafts.host_is_busy():
        try:
            content = drafts.render_draft_now(report, html)
        except ReportRenderError:
            messages.error(request, RENDER_FAILED)
            return redirect("assessments:force_report_draft", force_code=force.code, round_id=round_id)
    if content is not None:
        return _pdf_response(content, report.file_name)
    here = reverse(
        "assessments:force_report_draft_pdf", kwargs={"force_code": force.code, "round_id": round_id}
    )
    wait, token = _wait_or_404(request)
    if wait is not None and wait.subject != key:
        return redirect(here)  # the answers changed while waiting: a new draft, asked for afresh
    back = reverse("assessments:force_report_draft", kwargs={"force_code": force.code, "round_id": round_id})
    page = {
        "assessment": assessment,
        "back_url": back,
        "signed_off": False,
        "key": key,
        "retry_url": reverse(
            "assessments:force_report_draft_pdf_retry",
            kwargs={"force_code": force.code, "round_id": round_id},
        ),
    }
    check_url = f"{here}?waiting={token or wait_token(key)}"
    if drafts.draft_failed(assessment_id=assessment.pk, key=key):
        return _report_not_ready(request, "reports/report_failed.html", page, check_url=check_url)
    if wait is None:
        drafts.queue_draft_render(assessment_id=assessment.pk, key=key)
    elif wait.too_long:
        return _report_not_ready(request, "reports/report_taking_longer.html", page, check_url=check_url)
    return _report_preparing(request, assessment=assessment, back_url=back, refresh_url=check_url)


@require_POST
def force_report_draft_pdf_retry(request: HttpRequest, force_code: str, round_id: int) -> HttpResponseBase:
    """ "Try again" after the worker failed to render a draft: queue one new render, then wait for it.

    Queues only while the failure is recorded for the draft as it is now (drafts.draft_retry removes the
    record as it queues), so a double click, a resubmitted form or a forged key queues nothing more.
    """
    force = force_for_user_or_404(request.user, force_code)
    assessment = selectors.report_assessment_or_404(user=request.user, force=force, round_id=round_id)
    here = reverse(
        "assessments:force_report_draft_pdf", kwargs={"force_code": force.code, "round_id": round_id}
    )
    if assessment.status == WorkflowStatus.SIGNED_OFF:
        return redirect(here)  # which sends it on to the signed-off PDF
    key = drafts.draft_key(force_report_html(force_report_data(assessment=assessment)))
    if request.POST.get("key") != key:
        return redirect(here)  # the answers changed since the failure: the current draft, as ever
    drafts.draft_retry(assessment_id=assessment.pk, key=key)
    return redirect(f"{here}?waiting={wait_token(key)}")


def regional_report(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The regional report for a round (?round=<id>, default the latest)."""
    region = region_for_user_or_404(request.user, region_slug)
    round_, rounds = selectors.report_round_or_404(request.GET.get("round"))
    report = regional_report_data(region=region, round_=round_)
    context = {
        **regional_report_context(report),
        "rounds": rounds,
        "download_url": reverse("assessments:regional_report_pdf", kwargs={"region_slug": region.slug})
        + f"?round={round_.pk}",
        "pack_url": reverse("assessments:regional_report_pack", kwargs={"region_slug": region.slug}),
        "region": region,
    }
    return render(request, "reports/regional_report.html", context)


def regional_report_pdf_download(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The regional report as a PDF, rendered on demand."""
    region = region_for_user_or_404(request.user, region_slug)
    round_, _rounds = selectors.report_round_or_404(request.GET.get("round"))
    report = regional_report_data(region=region, round_=round_)
    try:
        content = regional_report_pdf(report)
    except ReportRenderError:
        messages.error(request, RENDER_FAILED)
        return redirect(
            reverse("assessments:regional_report", kwargs={"region_slug": region.slug})
            + f"?round={round_.pk}"
        )
    return _pdf_response(content, report.file_name)


def national_report(request: HttpRequest) -> HttpResponse:
    """The national report for a round, for national staff and administrators."""
    if not can_see_national_overview(request.user):
        raise Http404
    round_, rounds = selectors.report_round_or_404(request.GET.get("round"))
    report = national_report_data(round_=round_)
    context = {
        **national_report_context(report),
        "rounds": rounds,
        "download_url": reverse("assessments:national_report_pdf") + f"?round={round_.pk}",
        "pack_url": reverse("assessments:national_report_pack"),
    }
    return render(request, "reports/national_report.html", context)


def national_report_pdf_download(request: HttpRequest) -> HttpResponse:
    """The national report as a PDF, rendered on demand."""
    if not can_see_national_overview(request.user):
        raise Http404
    round_, _rounds = selectors.report_round_or_404(request.GET.get("round"))
    report = national_report_data(round_=round_)
    try:
        content = national_report_pdf(report)
    except ReportRenderError:
        messages.error(request, RENDER_FAILED)
        return redirect(reverse("assessments:national_report") + f"?round={round_.pk}")
    return _pdf_response(content, report.file_name)


PACK_LIMIT = (
    "You are already making a report pack for this round. You can ask for another when this one is ready."
)


@require_POST
def regional_report_pack(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Start (or rejoin) the zip of every report in the region for a round."""
    region = region_for_user_or_404(request.user, region_slug)
    round_, _rounds = selectors.report_round_or_404(request.POST.get("round"))
    return _start_pack(request, round_=round_, region=region)


@require_POST
def national_report_pack(request: HttpRequest) -> HttpResponse:
    """Start (or rejoin) the zip of every force's report for a round."""
    if not can_see_national_overview(request.user):
        raise Http404
    round_, _rounds = selectors.report_round_or_404(request.POST.get("round"))
    return _start_pack(request, round_=round_, region=None)


def _start_pack(request: HttpRequest, *, round_: Any, region: Any) -> HttpResponse:
    """Start or rejoin the pack; while another of the user's packs for the round runs, show that one."""
    try:
        pack = report_pack_request(by=request.user, round_=round_, region=region)
    except PackLimitReached as limit:
        messages.error(request, PACK_LIMIT)
        pack = limit.pack
    return redirect("assessments:report_pack", pack_id=pack.pk)


def report_pack(request: HttpRequest, pack_id: int) -> HttpResponse:
    """A pack's progress, and its download once ready."""
    pack = selectors.report_pack_for_user_or_404(user=request.user, pack_id=pack_id)
    return render(request, "reports/report_pack.html", {"pack": pack, "file_name": pack_file_name(pack)})


def report_pack_download(request: HttpRequest, pack_id: int) -> HttpResponseBase:
    """The finished zip."""
    pack = selectors.report_pack_for_user_or_404(user=request.user, pack_id=pack_id)
    if pack.state != ReportPack.State.READY or not pack.file:
        raise Http404("This pack is not ready.")
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=pack_file_name(pack),
        content_type="application/zip",
    )
