"""Markup written in Python for speed: the one place the service builds HTML outside templates.

The pages that repeat a fragment many times (the task list's 50 rows, the activity form's fields, the
admin's assessment list, review rows, sidebar and filters, the heat map's cells) render it here rather
than through the template language, which cost most of their time (docs/performance.md). Each module
reproduces a library's markup: GOV.UK Frontend as crispy-forms-gds writes it, or Django's admin
templates. Tests under tests/assessments/markup/ render both and compare, so an upgrade that changes
the library's markup fails a test. Reads (selectors, permissions, report data) never import this
package; views and template tags do.
"""
