"""Markup written in Python for speed: the one place the service builds HTML outside templates.

The pages that repeat a fragment many times (the task list's 50 rows, the activity form's fields, the
admin's assessment list, review rows, sidebar and filters, the heat map's cells) render it here rather
than through the template language, which cost most of their time (docs/performance.md). Each module
reproduces markup that something else writes, and a test under tests/assessments/markup/ renders both
and compares them (tests/assessments/markup/html_oracle.py), so a change on either side fails a test:

- govuk_fields: crispy-forms-gds, with the project's old layout (test_govuk_oracle.py, which lists the
  few differences kept on purpose);
- assessment_list, admin_fragments: Django's own admin templates (test_admin_oracle.py,
  test_assessment_list.py, test_admin_fragments.py);
- admin_tables: the review page's template before the switch (test_admin_tables.py);
- task_list, heat_map: GOV.UK components no library in the project renders, so the project's own
  templates before the switch, recovered from git (test_govuk_rows_oracle.py).

Reads (selectors, permissions, report data) never import this package; views and template tags do.
"""
