"""Template filters for notable practice: who a published practice is shown as coming from."""

from __future__ import annotations

from django import template

from assessments.selectors.practice import shown_force

register = template.Library()
register.filter(shown_force)
