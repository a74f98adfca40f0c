"""Forms for activity returns and submission: field checks here, the status rules from rules.py."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from assessments import rules
from assessments.answers import Answer, EvidenceReference
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
        self.helper = _error_summary_helper()

    def clean_evidence_summary(self) -> str:
        return _clean_text(self.cleaned_data.get("evidence_summary", ""))

    def clean_next_steps(self) -> str:
        return _clean_text(self.cleaned_data.get("next_steps", ""))

    def clean_not_applicable_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("not_applicable_reason", ""))

    def clean_action_owner(self) -> str:
        return _clean_text(self.cleaned_data.get("action_owner", ""))

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
        return _position(self.prefix)

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
        self.helper = _error_summary_helper()

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
        return _clean_text(self.cleaned_data.get("title", ""))

    def clean_location(self) -> str:
        return _clean_text(self.cleaned_data.get("location", ""))

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


def _error_summary_helper() -> FormHelper:
    """A crispy-forms helper with no layout, for the activity page's hand-written forms.

    The page writes their fields with the govuk_fields tags, so they need no crispy layout; building
    one for every form on every request cost a quarter of each form's set-up. The GOV.UK error
    summary template still reads `form.helper.form_show_errors`.
    """
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _clean_text(value: Any) -> str:
    """Trim and drop control characters that have no place in free text (keep new lines and tabs).

    Bidi controls and other invisible format characters go too (spreadsheet_safety.text states the rule).
    """
    text = without_invisible_formatting(str(value or ""))
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127)).strip()


def _position(prefix: str | None) -> str:
    """Formset prefixes count from 0 ("ref-0"); people count from 1."""
    index = (prefix or "").rsplit("-", 1)[-1]
    return str(int(index) + 1) if index.isdigit() else ""


class ReviewForm(forms.Form):
    """The coordinator's decision: comments on activities, marks for changes, an overall comment.

    Field names carry the activity code, so a tampered code simply does not match any field.
    """

    REVIEW_COMMENT_MAX = 2000

    decision = forms.ChoiceField(choices=[("return", "Return for changes"), ("sign_off", "Sign off")])
    overall_comment = forms.CharField(
        label="Overall comment",
        help_text="Required when returning: say what the force needs to do. Optional when signing off.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=REVIEW_COMMENT_MAX,
    )
    # How many workflow events the coordinator had seen; if more exist now, the page is stale.
    events_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = codes
        for code in codes:
            self.fields[f"changes_{code}"] = forms.BooleanField(label=f"{code} needs changes", required=False)
            self.fields[f"comment_{code}"] = forms.CharField(
                label=f"Comment on {code}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=self.REVIEW_COMMENT_MAX,
            )

    def clean_overall_comment(self) -> str:
        return _clean_text(self.cleaned_data.get("overall_comment", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        returning = cleaned.get("decision") == "return"
        for code in self.codes:
            marked = cleaned.get(f"changes_{code}")
            comment = _clean_text(cleaned.get(f"comment_{code}"))
            # Signing off with marks is refused by workflow.sign_off, naming them all; here only what
            # a return needs, and a comment that neither decision would keep.
            if marked and not comment and returning:
                self.add_error(f"comment_{code}", f"Say what needs to change in {code}")
            elif comment and not marked:
                self.add_error(
                    f"comment_{code}",
                    f"Tick “Needs changes” on {code} to send this comment, or clear the comment",
                )
        return cleaned

    def marked_codes(self) -> list[str]:
        """Every activity code the form marks as needing changes, including codes not in this assessment.

        A forged form may name another assessment's activity: it is passed on, so that the workflow
        refuses it with a message rather than the mark being silently dropped.
        """
        prefix = "changes_"
        return sorted(
            name[len(prefix) :] for name in self.data if name.startswith(prefix) and self.data[name]
        )

    def activity_comments(self) -> dict[str, str]:
        """Comments for the activities marked as needing changes (unknown codes included, as above)."""
        return {
            code: _clean_text(
                self.cleaned_data.get(f"comment_{code}")
                if code in self.codes
                else self.data.get(f"comment_{code}", "")
            )
            for code in self.marked_codes()
        }


class ReopenForm(forms.Form):
    """National staff reopen a signed-off assessment with a reason."""

    reason = forms.CharField(
        label="Why are you reopening this assessment?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give a reason for reopening the assessment"},
    )
    events_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("reason", ""))


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
        self.helper = _error_summary_helper()

    def clean_note(self) -> str:
        return _clean_text(self.cleaned_data.get("note", ""))

    def clean_next_steps(self) -> str:
        return _clean_text(self.cleaned_data.get("next_steps", ""))

    def clean_action_owner(self) -> str:
        return _clean_text(self.cleaned_data.get("action_owner", ""))

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
        return _clean_text(self.cleaned_data.get("reason", ""))


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
        return _clean_text(self.cleaned_data.get("shared_text", ""))


class NominationForm(forms.Form):
    """A coordinator nominates one activity's evidence as notable practice, with a short reason."""

    code = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why should other forces see this?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": "Enter why other forces should see this practice",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        return _clean_text(self.cleaned_data.get("reason", ""))
