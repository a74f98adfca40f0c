"""Spreadsheet addresses, added to the "assessments" namespace by assessments/urls.py."""

from django.urls import path

from assessments.spreadsheets import views

urlpatterns = [
    path("assessments/<int:assessment_id>/spreadsheet/", views.return_download, name="return_download"),
    path("assessments/<int:assessment_id>/spreadsheet/upload/", views.return_upload, name="return_upload"),
    path(
        "assessments/<int:assessment_id>/spreadsheet/preview/",
        views.return_upload_preview,
        name="return_upload_preview",
    ),
    path("exports/", views.round_exports, name="round_exports"),
    path(
        "exports/rounds/<int:round_id>/all-forces.<str:file_format>", views.round_export, name="round_export"
    ),
    path(
        "exports/rounds/<int:round_id>/regions/<slug:region_slug>.<str:file_format>",
        views.region_round_export,
        name="region_round_export",
    ),
]
