"""Report data: plain, frozen values built from the database, one function per report.

Nothing here renders. The same values feed the "view report" pages and the PDFs, so every figure is
computed once. A signed-off force report is built only from its snapshot, the workflow events and
the history as it stood at sign-off, so it never changes after later edits to a new draft.

common.py holds the shared figures; force_values.py the force report's values, answers.py the live or
snapshot answers it shows and force.py its assembly; overview.py the regional and national reports.
This module names what callers use.
"""

from __future__ import annotations

from assessments.answers import EvidenceReference
from assessments.reports.data.common import (
    DUE_SOON_DAYS,
    NOT_ANSWERED_LABEL,
    TOP_OF_SCALE,
    StatusCount,
    counts_from_tally,
    share,
    status_counts,
)
from assessments.reports.data.force import force_report_data
from assessments.reports.data.force_values import (
    ActionDue,
    ActivityChange,
    ActivityRow,
    AreaSection,
    ChangeSummary,
    Comment,
    ForceReport,
    UndatedAction,
    report_file_name,
)
from assessments.reports.data.overview import (
    AreaChange,
    AreaDistribution,
    AreaHeading,
    ForceLine,
    NationalReport,
    PipelineStage,
    RegionalReport,
    RegionBlock,
    national_report_data,
    regional_report_data,
)

__all__ = [
    "ActionDue",
    "ActivityChange",
    "ActivityRow",
    "AreaChange",
    "AreaDistribution",
    "AreaHeading",
    "AreaSection",
    "ChangeSummary",
    "Comment",
    "DUE_SOON_DAYS",
    "EvidenceReference",
    "ForceLine",
    "ForceReport",
    "UndatedAction",
    "NOT_ANSWERED_LABEL",
    "NationalReport",
    "PipelineStage",
    "RegionBlock",
    "RegionalReport",
    "StatusCount",
    "TOP_OF_SCALE",
    "counts_from_tally",
    "force_report_data",
    "national_report_data",
    "regional_report_data",
    "report_file_name",
    "share",
    "status_counts",
]
