"""The one error every spreadsheet check raises, in a module of its own so the checks can share it."""

from __future__ import annotations


class SpreadsheetRejected(Exception):
    """The uploaded file cannot be used; `problems` says why, by row where it can. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
