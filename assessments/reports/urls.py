"""Report addresses. Added to the "assessments" namespace by assessments/urls.py."""

from django.urls import path

from assessments.reports import views
from assessments.reports.downloads import SIGNED_REPORT_ROUTE, URL_NAME

FORCE_REPORT = "forces/<slug:force_code>/reports/<int:round_id>"

report_urlpatterns = [
    path("forces/<slug:force_code>/reports/", views.force_reports, name="force_reports"),
    path(f"{FORCE_REPORT}/draft/", views.force_report_draft, name="force_report_draft"),
    path(f"{FORCE_REPORT}/draft.pdf", views.force_report_draft_pdf, name="force_report_draft_pdf"),
    path(
        f"{FORCE_REPORT}/draft.pdf/try-again",
        views.force_report_draft_pdf_retry,
        name="force_report_draft_pdf_retry",
    ),
    path(f"{FORCE_REPORT}/v<int:version>/", views.force_report, name="force_report"),
    path(f"{FORCE_REPORT}/v<int:version>.pdf", views.force_report_pdf_download, name="force_report_pdf"),
    # Answered by SignedReportDownloadMiddleware before URL resolution; named so pages can link it.
    path(f"{SIGNED_REPORT_ROUTE}<str:token>/<str:file_name>", views.signed_report_file, name=URL_NAME),
    path("regions/<slug:region_slug>/report/", views.regional_report, name="regional_report"),
    path(
        "regions/<slug:region_slug>/report.pdf",
        views.regional_report_pdf_download,
        name="regional_report_pdf",
    ),
    path("regions/<slug:region_slug>/report/pack/", views.regional_report_pack, name="regional_report_pack"),
    path("national/report/", views.national_report, name="national_report"),
    path("national/report.pdf", views.national_report_pdf_download, name="national_report_pdf"),
    path("national/report/pack/", views.national_report_pack, name="national_report_pack"),
    path("report-packs/<int:pack_id>/", views.report_pack, name="report_pack"),
    path("report-packs/<int:pack_id>/download/", views.report_pack_download, name="report_pack_download"),
]
