"""App configuration for assessments."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Regions, forces, rounds, assessments and their review."""

    name = "assessments"
    verbose_name = "Assessments"
