"""Addresses for the action plan pages."""

from django.urls import path

from actionplan import views

app_name = "actionplan"

urlpatterns = [path("", views.plan, name="plan")]
