"""App configuration for the action plan."""

from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    """Reference content: plans, process areas and activities."""

    name = "actionplan"
    verbose_name = "Action plan"
