"""The remaining pages' forms: closing an action, the round's evidence-of-change rule, and a force's
consent to share notable practice."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from assessments import rules
from assessments.forms.fields import (
    RealDateField,
    clean_text,
    error_summary_helper,
)


class ActionCloseForm(forms.Form):
    """A SPOC closes an open action: done, or replaced by a new next step written in its place."""

    how = forms.ChoiceField(
        label="What has happened to this action?",
        choices=[
            Choice("done", "Done", hint="The next step has been carried out."),
            Choice(
                "replaced",
                "Replaced",
                hint="A different next step takes its place. It is written into this round's answer.",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is done or replaced"},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, what was done or why the plan changed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "The note must be 2000 characters or fewer"},
    )
    next_steps = forms.CharField(
        label="New next step",
        help_text="What the force will do instead.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=rules.NEXT_STEPS_MAX,
        error_messages={"max_length": f"The next step must be {rules.NEXT_STEPS_MAX} characters or fewer"},
    )
    action_owner = forms.CharField(
        label="New action owner",
        required=False,
        max_length=rules.OWNER_MAX,
        error_messages={"max_length": f"The action owner must be {rules.OWNER_MAX} characters or fewer"},
    )
    target_date = RealDateField(
        label="New target date",
        label_text="New target date",
        help_text="For example, 27 3 2027.",
        required=False,
    )

    # Limits the template shows in the character counts (the fields enforce them).
    note_max = 2000
    next_steps_max = rules.NEXT_STEPS_MAX
    owner_max = rules.OWNER_MAX

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = error_summary_helper()

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data.get("note", ""))

    def clean_next_steps(self) -> str:
        return clean_text(self.cleaned_data.get("next_steps", ""))

    def clean_action_owner(self) -> str:
        return clean_text(self.cleaned_data.get("action_owner", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("how") == "replaced" and not self.errors:
            if not cleaned.get("next_steps"):
                self.add_error("next_steps", "Enter the new next step that replaces this action")
            elif not cleaned.get("action_owner") and cleaned.get("target_date") is None:
                self.add_error("action_owner", "Enter who owns the new next step, or give a target date")
        return cleaned


class EvidenceRuleForm(forms.Form):
    """National staff choose whether a round refuses status rises without new evidence, or only warns."""

    mode = forms.ChoiceField(
        label="How should this round apply the evidence-of-change rule?",
        choices=[
            ("enforced", "Refuse a higher status without evidence from this round"),
            (
                "warn_only",
                "Warn only: forces can save and submit, and reviewers see the evidence did not change",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how this round should apply the rule"},
    )
    reason = forms.CharField(
        label="Why are you changing it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why you are changing how the rule applies"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("mode"), Field.textarea("reason"))

    def clean_reason(self) -> str:
        return clean_text(self.cleaned_data.get("reason", ""))


class ConsentForm(forms.Form):
    """The force agrees to share nominated practice: named or anonymised, and the words to share."""

    attribution = forms.ChoiceField(
        label="How should other forces see who this came from?",
        choices=[
            ("named", "Name the force"),
            ("anonymised", "Anonymise it: show only the region"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to name the force or share it anonymously"},
    )
    shared_text = forms.CharField(
        label="What other forces will read",
        help_text=(
            "Edit it as you wish: this changes only what is shared, never your signed-off assessment. "
            "Do not include details of victims, suspects or operations."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=2000,
        error_messages={
            "required": "Enter the text to share with other forces",
            "max_length": "The shared text must be 2000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("attribution"), Field.textarea("shared_text"))

    def clean_shared_text(self) -> str:
        return clean_text(self.cleaned_data.get("shared_text", ""))
