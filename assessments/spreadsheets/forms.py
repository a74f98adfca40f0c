"""Forms for uploading a completed return, confirming it, and checking files given to the admin import."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from import_export.forms import ImportForm, SelectableFieldsExportForm

from assessments.spreadsheets.safety import (
    MAX_UPLOAD_BYTES,
    OLE2_MAGIC,
    ZIP_MAGIC,
    SpreadsheetRejected,
    human_size,
    read_upload,
)


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


class PlanImportForm(ImportForm):  # type: ignore[misc]
    """The admin's import form, refusing files that are too big or are not what they claim to be."""

    def clean_import_file(self) -> Any:
        uploaded = self.cleaned_data["import_file"]
        try:
            data = read_upload(uploaded)
        except SpreadsheetRejected as rejected:
            raise forms.ValidationError(rejected.problems[0]) from None
        uploaded.seek(0)
        name = (uploaded.name or "").lower()
        if data.startswith(OLE2_MAGIC):
            raise forms.ValidationError(
                "The selected file is password-protected or in the old .xls format. "
                "Save it as .xlsx or .csv without a password"
            )
        if name.endswith(".xlsx") and not data.startswith(ZIP_MAGIC):
            raise forms.ValidationError("The selected file is not an Excel workbook (.xlsx)")
        if name.endswith(".csv") and (data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]):
            raise forms.ValidationError("The selected file is not a csv file")
        return uploaded


class PlanExportForm(SelectableFieldsExportForm):  # type: ignore[misc]
    """import-export's export form, plus the script that makes its "Select all" box work under our CSP.

    The package's template wires that box with an inline onchange attribute, which the Content Security
    Policy refuses (no unsafe-inline); static/js/export-select-all.js attaches the same handler instead.
    """

    @property
    def media(self) -> forms.Media:
        media: forms.Media = super().media
        return media + forms.Media(js=["js/export-select-all.js"])
