"""What every form here shares: the status choices, a date field that refuses absurd years, the
error-summary helper and the cleaning of free text."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django.core.exceptions import ValidationError

from assessments.status import IMPLEMENTATION_HINTS, ImplementationStatus, implementation_label
from spreadsheet_safety import without_invisible_formatting

STATUS_CHOICES = [
    Choice(value, implementation_label(value), hint=IMPLEMENTATION_HINTS[value])
    for value in ImplementationStatus.values
]


EARLIEST_YEAR = 2000


LATEST_YEAR = 2100


class RealDateField(DateInputField):  # type: ignore[misc]
    """A GOV.UK date input that explains impossible dates in plain words."""

    def __init__(self, *, label_text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label_text = label_text
        self.error_messages["invalid"] = f"{label_text} must be a real date"
        for subfield in self.fields:
            subfield.error_messages["invalid"] = f"{label_text} must be a real date"

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        """Turn day, month and year into a date, refusing impossible or far-off dates."""
        if not data_list or not all(data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            value = datetime.date(year, month, day)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(f"{self.label_text} must be a real date", code="invalid") from None
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                f"{self.label_text} must be between {EARLIEST_YEAR} and {LATEST_YEAR}", code="invalid"
            )
        return value


def error_summary_helper() -> FormHelper:
    """A crispy-forms helper with no layout, for the activity page's hand-written forms.

    The page writes their fields with the govuk_fields tags, so they need no crispy layout; building
    one for every form on every request cost a quarter of each form's set-up. The GOV.UK error
    summary template still reads `form.helper.form_show_errors`.
    """
    helper = FormHelper()
    helper.form_tag = False
    return helper


def clean_text(value: Any) -> str:
    """Trim and drop control characters that have no place in free text (keep new lines and tabs).

    Bidi controls and other invisible format characters go too (spreadsheet_safety.text states the rule).
    """
    text = without_invisible_formatting(str(value or ""))
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)).strip()


def position_of(prefix: str | None) -> str:
    """Formset prefixes count from 0 ("ref-0"); people count from 1."""
    index = (prefix or "").rsplit("-", 1)[-1]
    return str(int(index) + 1) if index.isdigit() else ""
