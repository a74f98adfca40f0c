"""Forms for uploading a completed return and confirming it."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from spreadsheet_safety import MAX_UPLOAD_BYTES, human_size


class ReturnUploadForm(forms.Form):
    """The SPOC's completed spreadsheet; the file checks run when the view reads it."""

    spreadsheet = forms.FileField(
        label="Upload a file",
        help_text="The spreadsheet you downloaded from this service, filled in and saved as .xlsx. "
        f"It must be smaller than {human_size(MAX_UPLOAD_BYTES)}.",
        error_messages={
            "required": "Select the completed spreadsheet",
            "empty": "The selected file is empty",
            "invalid": "Select the completed spreadsheet",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has its own token
        self.helper.layout = Layout(Field("spreadsheet"))


class ConfirmUploadForm(forms.Form):
    """Ties the confirmation to the preview the user saw."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
