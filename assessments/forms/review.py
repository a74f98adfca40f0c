"""The coordinator's and national staff's forms on the review page: the decision, reopening, and a
nomination of notable practice."""

from __future__ import annotations

from typing import Any

from django import forms

from assessments.forms.fields import (
    clean_text,
)


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
        return clean_text(self.cleaned_data.get("overall_comment", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        returning = cleaned.get("decision") == "return"
        for code in self.codes:
            marked = cleaned.get(f"changes_{code}")
            comment = clean_text(cleaned.get(f"comment_{code}"))
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
            code: clean_text(
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
        return clean_text(self.cleaned_data.get("reason", ""))


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
        return clean_text(self.cleaned_data.get("reason", ""))
