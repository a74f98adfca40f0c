"""The admin's shared context: Django's, except that the sidebar's app list is built only when shown."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin_site import ServiceAdminSite
from accounts.roles import Role
from tests.factories import verified_staff_login


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NATIONAL, Role.ADMINISTRATOR])
def test_the_context_is_djangos_with_the_same_app_list(world, role):
    assert isinstance(admin_site, ServiceAdminSite)
    request = request_for(world.user(role))
    ours = admin_site.each_context(request)
    django_context = django_admin.AdminSite.each_context(admin_site, request)
    assert ours.keys() == django_context.keys()
    for key in ours.keys() - {"available_apps", "log_entries"}:
        assert ours[key] == django_context[key], key
    assert list(ours["available_apps"]) == django_context["available_apps"]
    assert list(ours["log_entries"]) == list(django_context["log_entries"])


def test_the_app_list_is_built_only_when_read(world, monkeypatch):
    built: list[object] = []

    def get_app_list(request, app_label=None):
        built.append(request)
        return []

    monkeypatch.setattr(admin_site, "get_app_list", get_app_list)
    context = admin_site.each_context(request_for(world.coordinator))
    assert built == []
    assert list(context["available_apps"]) == []
    assert len(built) == 1


def test_the_review_leaves_the_sidebar_out_and_reference_data_keeps_it(client, world, home_assessment):
    """The review, like the assessment list, is a focused page whose table needs the width (the
    breadcrumbs lead back); reference data keeps the admin's navigation, built from the lazy list."""
    verified_staff_login(client, world.coordinator)
    review = client.get(reverse("admin:assessments_assessment_review", args=[home_assessment.pk]))
    listing = client.get(reverse("admin:assessments_force_changelist"))
    assert review.status_code == listing.status_code == 200
    assert 'id="nav-sidebar"' not in review.content.decode()
    assert 'id="nav-sidebar"' in listing.content.decode()
