"""Download addresses of signed-off reports: a signed link once the PDF is stored, else the stable one.

For pages that have already checked the user's permission to see the report (reports/downloads.py
explains what a signed link may and may not do).
"""

from __future__ import annotations

from django import template
from django.template import Context

from assessments.models import Assessment
from assessments.reports.data import report_file_name
from assessments.reports.downloads import report_download_url
from assessments.reports.selectors import ReportVersion, stored_report_file

register = template.Library()


@register.simple_tag(takes_context=True)
def report_version_download_url(
    context: Context, force_code: str, round_id: int, version: ReportVersion
) -> str:
    """A signed-off version listed by selectors.force_reports, which already says whether it is stored."""
    return report_download_url(
        context.get("request"),
        force_code=force_code,
        round_id=round_id,
        version=version.version,
        file_name=version.file_name,
        stored=version.stored,
    )


@register.simple_tag(takes_context=True)
def signed_off_report_download_url(context: Context, assessment: Assessment) -> str:
    """The current signed-off version of an assessment; one query to see whether its PDF is stored."""
    force_code = assessment.force.code
    return report_download_url(
        context.get("request"),
        force_code=force_code,
        round_id=assessment.round_id,
        version=assessment.version,
        file_name=report_file_name(
            force_code=force_code, round_name=assessment.round.name, version=assessment.version, draft=False
        ),
        stored=stored_report_file(assessment_id=assessment.pk, version=assessment.version),
    )
