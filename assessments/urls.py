"""Addresses for force, assessment, region and national pages."""

from django.urls import path

from assessments import practice_views, views
from assessments.reports.urls import report_urlpatterns
from assessments.spreadsheets.urls import urlpatterns as spreadsheet_urlpatterns

app_name = "assessments"

urlpatterns = [
    path("forces/<slug:force_code>/", views.force_home, name="force_home"),
    path("forces/<slug:force_code>/actions/", views.force_actions, name="force_actions"),
    path("forces/<slug:force_code>/actions/<int:action_id>/close/", views.action_close, name="action_close"),
    path("assessments/<int:assessment_id>/", views.task_list, name="task_list"),
    path("assessments/<int:assessment_id>/activities/<str:code>/", views.activity_return, name="activity"),
    path(
        "assessments/<int:assessment_id>/activities/<str:code>/history/",
        views.return_history,
        name="return_history",
    ),
    path("assessments/<int:assessment_id>/check/", views.check_answers, name="check_answers"),
    path("assessments/<int:assessment_id>/submit/", views.submit, name="submit"),
    path("assessments/<int:assessment_id>/submitted/", views.submitted, name="submitted"),
    path("regions/<slug:region_slug>/", views.region_overview, name="region_overview"),
    path("regions/<slug:region_slug>/actions/", views.region_actions, name="region_actions"),
    path("national/", views.national_overview, name="national_overview"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("national/actions/", views.national_actions, name="national_actions"),
    path("national/benchmarks/", views.national_benchmarks, name="national_benchmarks"),
    path("national/rounds/<int:round_id>/evidence-rule/", views.evidence_rule, name="evidence_rule"),
    path("notable-practice/", practice_views.library, name="practice_library"),
    path("forces/<slug:force_code>/notable-practice/", practice_views.force_practice, name="force_practice"),
    path(
        "forces/<slug:force_code>/notable-practice/<int:practice_id>/",
        practice_views.force_practice_item,
        name="force_practice_item",
    ),
    path("national/notable-practice/", practice_views.national_practice, name="national_practice"),
    path(
        "national/notable-practice/<int:practice_id>/",
        practice_views.national_practice_step,
        name="national_practice_step",
    ),
]

urlpatterns += spreadsheet_urlpatterns
urlpatterns += report_urlpatterns
