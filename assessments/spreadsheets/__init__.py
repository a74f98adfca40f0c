"""Spreadsheets in and out: a force's return offline and back, and round-wide exports.

The file checks and formula escaping they rely on live in the top-level spreadsheet_safety package.
"""
