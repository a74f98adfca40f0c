"""Background tasks for reports: run by `manage.py db_worker`, inline under the test settings."""

from __future__ import annotations

from django_tasks import task

from assessments.reports.packs import report_pack_build


@task()
def make_report_pack(*, pack_id: int) -> None:
    """Make every force's report for the pack's round and scope into one zip."""
    report_pack_build(pack_id=pack_id)
