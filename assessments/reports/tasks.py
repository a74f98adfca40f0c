"""Background tasks for reports: run by `manage.py db_worker`, inline under the test settings."""

from __future__ import annotations

from django_tasks import task

from assessments.reports.packs import report_pack_build, report_pack_part


@task()
def make_report_pack(*, pack_id: int) -> None:
    """Start a pack: queue one part per force (the last part to finish zips them)."""
    report_pack_build(pack_id=pack_id)


@task()
def make_report_pack_part(*, pack_id: int, assessment_id: int) -> None:
    """Make one force's report for a pack; the last part assembles the zip."""
    report_pack_part(pack_id=pack_id, assessment_id=assessment_id)
