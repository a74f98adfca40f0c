"""The action plan's import and export forms in the admin: file checks before import-export parses a file.

The checks themselves are the shared ones in spreadsheet_safety, which assessments' return upload uses
too; these forms only turn a refusal into the admin's form error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from import_export.forms import ImportForm, SelectableFieldsExportForm

from spreadsheet_safety import (
    MAX_COLUMNS,
    MAX_ROWS,
    OLE2_MAGIC,
    ZIP_MAGIC,
    SpreadsheetRejected,
    check_archive,
    read_upload,
)


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
        if data.startswith(ZIP_MAGIC):
            # Before import-export's parser sees it: how far it unpacks, and the shape of every sheet.
            try:
                check_archive(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
            except SpreadsheetRejected as rejected:
                raise forms.ValidationError(rejected.problems[0]) from None
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
