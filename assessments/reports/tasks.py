"""The report tasks' old address, kept so that task rows stored under it still run.

The tasks live in assessments/reports/packs.py, beside the work they do (before, this module and packs
imported each other). django-tasks stores each queued task by its function's dotted path and the
worker finds it again with import_string, so rows written before the move name
assessments.reports.tasks.make_report_pack or make_report_pack_part; `retry_failed_tasks` re-queues
failed rows under the path they were stored with. Both resolve here to the same Task objects. New
rows name assessments.reports.packs. Import the tasks from packs; delete this module once no stored
row names it.
"""

from __future__ import annotations

from assessments.reports.packs import make_report_pack, make_report_pack_part

__all__ = ["make_report_pack", "make_report_pack_part"]
