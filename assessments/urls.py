"""Addresses for force, region and national pages."""

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("forces/<slug:force_code>/", views.force_home, name="force_home"),
    path("regions/<slug:region_slug>/", views.region_overview, name="region_overview"),
    path("national/", views.national_overview, name="national_overview"),
]
