"""Top-level address map: each app's pages under its own namespace, plus the branded admin."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from assessments.practice_views import action_plan
from assessments.views import start

urlpatterns = [
    path("", start, name="home"),
    path("account/", include("accounts.urls")),
    # The plan with each activity's count of published notable practice, which actionplan cannot read.
    path("action-plan/", action_plan),
    path("action-plan/", include("actionplan.urls")),
    path("", include("assessments.urls")),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="pages/accessibility.html")),
        name="accessibility",
    ),
    path(
        "privacy/",
        login_not_required(TemplateView.as_view(template_name="pages/privacy.html")),
        name="privacy",
    ),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
]
