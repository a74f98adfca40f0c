"""The SPOC's forms: an activity's answer with its evidence references, and the submission's declaration."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from assessments import rules
from assessments.answers import Answer, EvidenceReference
from assessments.forms.fields import (
    STATUS_CHOICES,
    RealDateField,
    clean_text,
    error_summary_helper,
    position_of,
)
from assessments.status import ImplementationStatus


class ActivityReturnForm(forms.Form):
    """The SPOC's answer for one activity. Only these fields can be set; anything else posted is ignored."""

    implementation_status = forms.ChoiceField(
        label="How far has the force implemented this activity?",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    not_applicable_reason = forms.CharField(
        label="Why does this activity not apply to the force?",
        # A character-counted field carries a hint: the GOV.UK character count's markup (written by
        # assessments/markup/govuk_fields.py, as crispy-forms-gds writes it) points aria-describedby at it.
        help_text="For example, the force has no seaports or airports in its area.",
        widget=forms.Textarea,
        required=False,
        max_length=rules.REASON_MAX,
        error_messages={"max_length": f"The reason must be {rules.REASON_MAX} characters or fewer"},
    )
    evidence_summary = forms.CharField(
        label="Evidence summary",
        help_text=(
            "What shows the force does this? Do not include details of victims, suspects or operations."
        ),
        widget=forms.Textarea,
        required=False,
        max_length=rules.EVIDENCE_SUMMARY_MAX,
        error_messages={
            "max_length": f"The evidence summary must be {rules.EVIDENCE_SUMMARY_MAX} characters or fewer"
        },
    )
    next_steps = forms.CharField(
        label="Next steps",
        help_text="What the force will do next to implement or embed this activity.",
        widget=forms.Textarea,
        required=False,
        max_length=rules.NEXT_STEPS_MAX,
        error_messages={"max_length": f"The next steps must be {rules.NEXT_STEPS_MAX} characters or fewer"},
    )
    action_owner = forms.CharField(
        label="Action owner",
        help_text="The name or role of the person responsible, for example “Head of public protection”.",
        required=False,
        max_length=rules.OWNER_MAX,
        error_messages={"max_length": f"The action owner must be {rules.OWNER_MAX} characters or fewer"},
    )
    target_date = RealDateField(
        label="Target date",
        label_text="Target date",
        help_text="When the next steps should be done. For example, 27 3 2027.",
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    # The status whose radio reveals the reason (the template's conditional reveal).
    reason_status = ImplementationStatus.NOT_APPLICABLE
    # Limits the template shows in the character counts (the fields enforce them).
    reason_max = rules.REASON_MAX
    evidence_max = rules.EVIDENCE_SUMMARY_MAX
    next_steps_max = rules.NEXT_STEPS_MAX
    owner_max = rules.OWNER_MAX

    def __init__(self, *args: Any, complete: bool = True, **kwargs: Any) -> None:
        """`complete=False` checks only formats, for "save as draft"; otherwise the status rules apply."""
        super().__init__(*args, **kwargs)
        self.require_complete = complete
        self.helper = error_summary_helper()

    def clean_evidence_summary(self) -> str:
        return clean_text(self.cleaned_data.get("evidence_summary", ""))

    def clean_next_steps(self) -> str:
        return clean_text(self.cleaned_data.get("next_steps", ""))

    def clean_not_applicable_reason(self) -> str:
        return clean_text(self.cleaned_data.get("not_applicable_reason", ""))

    def clean_action_owner(self) -> str:
        return clean_text(self.cleaned_data.get("action_owner", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "implementation_status" in cleaned and not rules.keeps_reason(cleaned["implementation_status"]):
            # A status other than Not applicable hides the reason (the page's conditional reveal), so
            # what is in the box is neither checked nor saved: no error can point at a hidden field.
            # (A status that is itself wrong leaves the reason as typed, with its own checks.)
            cleaned["not_applicable_reason"] = ""
            self.errors.pop("not_applicable_reason", None)
        if self.require_complete and not self.errors:
            for field, message in rules.return_problems(cleaned).items():
                self.add_error(field, message)
        return cleaned

    def answer(self, *, references: list[EvidenceReference]) -> Answer:
        """The valid form as the answer to save, with the references from their own formset."""
        data = self.cleaned_data
        return Answer(
            implementation_status=data["implementation_status"],
            not_applicable_reason=data["not_applicable_reason"],
            evidence_summary=data["evidence_summary"],
            evidence_references=references,
            next_steps=data["next_steps"],
            action_owner=data["action_owner"],
            target_date=data["target_date"],
        )


class EvidenceReferenceForm(forms.Form):
    """One document, location or link the force relies on, and the date it applies to."""

    title = forms.CharField(
        label="Document or source",
        max_length=rules.REFERENCE_TITLE_MAX,
        required=False,
        error_messages={"max_length": f"The name must be {rules.REFERENCE_TITLE_MAX} characters or fewer"},
    )
    location = forms.CharField(
        label="Where it is held",
        help_text="A folder, system or link inside the force.",
        max_length=rules.REFERENCE_LOCATION_MAX,
        required=False,
        error_messages={
            "max_length": f"The location must be {rules.REFERENCE_LOCATION_MAX} characters or fewer"
        },
    )
    applies_on = RealDateField(
        label="Date it applies to",
        label_text="Date it applies to",
        required=False,
        help_text="For example, 31 3 2026.",
    )
    remove = forms.BooleanField(label="Remove this reference", required=False)

    title_max = rules.REFERENCE_TITLE_MAX
    location_max = rules.REFERENCE_LOCATION_MAX

    @property
    def position(self) -> str:
        """This reference's number as people count (formset prefixes count from 0)."""
        return position_of(self.prefix)

    def __init__(
        self,
        *args: Any,
        today: datetime.date | None = None,
        force_established_on: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        """`today` (UK date) refuses a date in the future; `force_established_on` one before the force."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.force_established_on = force_established_on
        self.helper = error_summary_helper()

    def clean_applies_on(self) -> datetime.date | None:
        applies_on: datetime.date | None = self.cleaned_data.get("applies_on")
        if applies_on is not None and self.today is not None:
            problem = rules.reference_date_problem(
                applies_on, today=self.today, force_established_on=self.force_established_on
            )
            if problem:
                raise ValidationError(f"Date it applies to {problem}", code="invalid")
        return applies_on

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data.get("title", ""))

    def clean_location(self) -> str:
        return clean_text(self.cleaned_data.get("location", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove") or self.errors:
            return cleaned
        filled = [bool(cleaned.get("title")), bool(cleaned.get("location")), bool(cleaned.get("applies_on"))]
        if any(filled) and not filled[0]:
            self.add_error("title", "Enter the name of the document or source")
        if any(filled) and not filled[2]:
            self.add_error("applies_on", "Enter the date this evidence applies to")
        return cleaned


class BaseEvidenceReferenceFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Evidence references as a list of plain dictionaries for storage."""

    def references(self) -> list[EvidenceReference]:
        """The kept references, in order, ready for the answer (and the JSON field)."""
        kept: list[EvidenceReference] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("remove") or not data.get("title"):
                continue
            kept.append(
                EvidenceReference(
                    title=data["title"],
                    location=data.get("location", ""),
                    applies_on=data["applies_on"].isoformat() if data.get("applies_on") else "",
                )
            )
        return kept


EvidenceReferenceFormSet = forms.formset_factory(
    EvidenceReferenceForm,
    formset=BaseEvidenceReferenceFormSet,
    extra=1,
    max_num=rules.MAX_EVIDENCE_REFERENCES,
    validate_max=True,
    absolute_max=rules.MAX_EVIDENCE_REFERENCES + 1,
)


def add_evidence_of_change_errors(
    form: ActivityReturnForm,
    references: BaseEvidenceReferenceFormSet,
    problems: dict[str, str],
) -> None:
    """Show what a status rise lacks (rules.evidence_of_change_problems) where it is missing.

    The summary's message sits on its field; the missing reference on the references as a whole (the
    error summary links it to the first reference), since no one reference is wrong.
    """
    if "evidence_summary" in problems:
        form.add_error("evidence_summary", problems["evidence_summary"])
    if "evidence_references" in problems:
        references._non_form_errors = references.error_class(  # type: ignore[attr-defined]
            [*references.non_form_errors(), problems["evidence_references"]], error_class="nonform"
        )


class SubmitForm(forms.Form):
    """The declaration a SPOC makes when submitting."""

    declaration = forms.BooleanField(
        label=rules.SUBMISSION_DECLARATION,
        error_messages={"required": "Confirm the declaration to submit the assessment"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.checkbox("declaration"))
