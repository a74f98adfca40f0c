"""Spreadsheets in and out: a force's return offline and back, round-wide exports, and their safety checks."""
