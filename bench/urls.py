"""The service's addresses plus one trivial page: the baseline every page benchmark is a ratio to."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    # Signed in and through the whole middleware stack, like every page measured against it.
    path("bench/trivial/", TemplateView.as_view(template_name="bench/trivial.html"), name="bench_trivial"),
    path("", include("msoic.urls")),
]
