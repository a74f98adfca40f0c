"""The xlsx format the plan import reads through: the archive checks run before openpyxl parses the file.

The import form checks the upload too (actionplan.forms), but django-import-export reads the file again
from its own temporary storage when the import is confirmed; checking here as well means no path into
the library's parser skips the checks.
"""

from __future__ import annotations

from typing import Any

from import_export.formats.base_formats import XLSX

from spreadsheet_safety import MAX_COLUMNS, MAX_ROWS, check_archive


class CheckedXLSX(XLSX):  # type: ignore[misc]
    """import-export's xlsx format, refusing a file that unpacks too far or is the wrong shape."""

    def create_dataset(self, in_stream: Any) -> Any:
        """Check the archive, then let the library read it in openpyxl's read-only mode as it does."""
        data = in_stream if isinstance(in_stream, bytes) else bytes(in_stream)
        check_archive(
            data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS
        )  # SpreadsheetRejected: the admin says why
        return super().create_dataset(data)
