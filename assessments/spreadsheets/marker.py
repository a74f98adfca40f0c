"""The signed marker in every offline return: which force, round, assessment and version the file is for.

Every force answers the same activities, so a file from another force or round reads as a perfectly
good return: Kent's file uploaded to Surrey would preview Kent's answers as 48 changes to Surrey's. The
marker lets the upload refuse it with a message that says whose file it is.

It is a django.core.signing token (the service's SECRET_KEY, a salt of its own) stored as a custom
document property of the workbook (File > Properties > Custom in Excel), which Excel, LibreOffice and
openpyxl keep through ordinary editing and saving. Its place is outside the sheets so the workbook's
sheets stay the two people see. It cannot be changed without the signature failing. The force and round
names travel inside it so the refusal can name them without a query.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.packaging.custom import StringProperty  # type: ignore[import-untyped]

from assessments.models import Assessment

MARKER_PROPERTY = "Service marker"
_SALT = "assessments.spreadsheets.return-marker"


def add_marker(book: Workbook, assessment: Assessment) -> None:
    """Put the signed marker saying whose file this is into the workbook, as a custom document property."""
    book.custom_doc_props.append(StringProperty(name=MARKER_PROPERTY, value=marker_for(assessment)))


def marker_for(assessment: Assessment) -> str:
    """The signed marker for the assessment as it is now (its current version)."""
    return signing.dumps(
        {
            "force": assessment.force.code,
            "force_name": assessment.force.name,
            "round": assessment.round_id,
            "round_name": assessment.round.name,
            "assessment": assessment.pk,
            "version": assessment.version,
        },
        salt=_SALT,
    )


def marker_problem(*, assessment: Assessment, value: Any) -> str | None:
    """Why a file carrying `value` as its marker may not be uploaded to `assessment`, or None if it may.

    A missing marker (None or blank) is a problem too; the reader reports it only after the file's own
    checks, so that a file of ours that a spreadsheet program stripped still gets its row-by-row
    problems listed first.
    """
    force, round_name = assessment.force.name, assessment.round.name
    if value is None or not str(value).strip():
        return (
            f"This spreadsheet was not downloaded from this service for {force}, {round_name}. "
            f"Download the spreadsheet for {force} and copy your answers into it."
        )
    try:
        marker = signing.loads(str(value).strip(), salt=_SALT)
        file_assessment, file_version = int(marker["assessment"]), int(marker["version"])
        file_force, file_round = str(marker["force_name"]), str(marker["round_name"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return (
            "This spreadsheet has been changed in a way that means it cannot be used. "
            f"Download the spreadsheet for {force} again and copy your answers into it."
        )
    if file_assessment != assessment.pk:
        wanted = force if file_force != force else f"{force}, {round_name}"
        return (
            f"This spreadsheet is for {file_force}, {file_round}. "
            f"Download the spreadsheet for {wanted} and copy your answers into it."
        )
    if file_version != assessment.version:
        return (
            f"This spreadsheet is from version {file_version} of this assessment, which has been "
            f"reopened since as version {assessment.version}. "
            "Download the spreadsheet again and copy your answers into it."
        )
    return None
