"""One date style: every date a person reads is written by assessments/dates.py, and nothing else.

Pages, emails, PDFs and spreadsheet previews write dates as "17 March 2026" (`long_date`), "17 Mar 2026"
in tight tables (`short_date`), and moments with their time of day (`long_datetime`,
`short_datetime`), in UK time. This scan fails when a template or a module formats a date another
way, so a new page cannot slip back to "2026-03-17", "14/01/2026" or Django's "17 Mar 2026, 2:05 p.m.":

- in templates: the `date`, `time`, `naturalday`, `naturaltime`, `timesince` and `timeuntil` filters
  and the `{% now %}` tag, except inside a `<time datetime="...">` attribute, which is for machines;
- in Python (the syntax tree of every project module, as tests/status_guard.py finds them): `strftime`,
  `isoformat`, Django's `date_format`/`time_format`, month names from `django.utils.dates`, and a `%`
  format in an f-string (`f"{day:%d %B}"`).

Machine-readable dates stay ISO or real date cells: JSON stored or sent between processes, CSV cells,
logs. Each such use is in ALLOWED with the reason it is not for people to read, and an entry that no
longer matches anything fails too, so the list stays true.

What it cannot see: a date turned into text with no format at all (`str(day)`, `f"{day}"`), which gives
ISO; Python cannot say which names hold dates. That stays a matter for review.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from msoic.settings.env import BASE_DIR
from tests.status_guard import project_files

THE_ONE_MODULE = "assessments/dates.py"

# (file, what it uses): why that date is for machines, not people.
ISO = "isoformat"
ALLOWED: dict[tuple[str, str], str] = {
    ("assessments/answers.py", ISO): "a snapshot's answer JSON stores the target date as ISO text",
    ("assessments/snapshots.py", ISO): "the signed-off snapshot's JSON, hashed, stores ISO text",
    ("assessments/forms/activity.py", ISO): "an evidence reference's date is stored in JSON as ISO text",
    ("assessments/generator/answers.py", ISO): "generated references are stored as the form's are",
    (
        "assessments/spreadsheets/evidence_references.py",
        ISO,
    ): "an uploaded reference's date is stored as ISO text",
    ("assessments/spreadsheets/offline.py", ISO): "an upload's preview keeps its values in the session",
    ("assessments/spreadsheets/exports.py", ISO): "a CSV export's date cell, ISO so any tool sorts it",
    ("assessments/spreadsheets/exports.py", "strftime"): "a CSV export's date-and-time cell, sortable",
    ("accounts/tasks.py", ISO): "a task's result JSON, read by the task admin and the worker",
    ("ops/logging.py", ISO): "the JSON log line's timestamp, for log tools",
    ("bench/load/run.py", "f-string date format"): "a load run's throwaway database name",
    ("bench/load/run.py", "strftime"): "a load run's results folder name",
    ("ops/management/commands/retry_failed_tasks.py", "f-string date format"): (
        "an operator's console listing beside the logs' ISO times (ops sits below assessments)"
    ),
}

DATE_FILTERS = ("date", "time", "naturalday", "naturaltime", "timesince", "timeuntil")
TEMPLATE_FILTER = re.compile(r"\|\s*(?P<name>" + "|".join(DATE_FILTERS) + r")\b(?!_)")
NOW_TAG = re.compile(r"\{%\s*now\b")
# A <time datetime="..."> attribute's value is for machines: ISO is right there.
DATETIME_ATTRIBUTE = re.compile(r'\bdatetime="\{\{.*?\}\}"')
FORMATTING_CALLS = frozenset({"strftime", "isoformat", "date_format", "time_format"})
# A strftime directive in an f-string's format spec ("%d", "%-d", "%B"); a percentage ("{share:.1%}") is not.
DATE_DIRECTIVE = re.compile(r"%-?[A-Za-z]")


def template_findings(text: str) -> list[tuple[int, str]]:
    """(line, what) for each person-facing date a template formats itself."""
    findings = []
    for number, line in enumerate(text.splitlines(), 1):
        line = DATETIME_ATTRIBUTE.sub("", line)
        findings += [(number, f"|{match['name']} filter") for match in TEMPLATE_FILTER.finditer(line)]
        findings += [(number, "{% now %} tag") for _ in NOW_TAG.finditer(line)]
    return findings


def python_findings(source: str) -> list[tuple[int, str]]:
    """(line, what) for each date a module formats itself (module docstring)."""
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in FORMATTING_CALLS:
                findings.append((node.lineno, name))
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils.dates":
            findings.append((node.lineno, "django.utils.dates"))
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils.formats":
            findings += [(node.lineno, alias.name) for alias in node.names if alias.name in FORMATTING_CALLS]
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value
                for part in ast.walk(node.format_spec)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if DATE_DIRECTIVE.search(spec):
                findings.append((node.lineno, "f-string date format"))
    return findings


def template_files(root: Path) -> list[Path]:
    """The project's templates and any app's own (emails and text templates included)."""
    return sorted(
        path
        for pattern in ("templates/**/*", "*/templates/**/*")
        for path in root.glob(pattern)
        if path.is_file()
        and path.suffix in (".html", ".txt")
        and not {"node_modules", "site-packages"}.intersection(path.parts)
    )


def project_date_formatting(root: Path) -> dict[tuple[str, str], list[int]]:
    """Every place the project formats a date itself, by (file, what), with the lines."""
    found: dict[tuple[str, str], list[int]] = {}
    for path in project_files(root):
        relative = path.relative_to(root).as_posix()
        if relative == THE_ONE_MODULE:
            continue
        for line, what in python_findings(path.read_text(encoding="utf-8")):
            found.setdefault((relative, what), []).append(line)
    for path in template_files(root):
        relative = path.relative_to(root).as_posix()
        for line, what in template_findings(path.read_text(encoding="utf-8")):
            found.setdefault((relative, what), []).append(line)
    return found


def test_every_date_for_people_goes_through_dates_py():
    found = project_date_formatting(BASE_DIR)
    strays = [
        f"{path}:{lines[0]} formats a date with {what}; use assessments/dates.py (or its template filters)"
        for (path, what), lines in sorted(found.items())
        if (path, what) not in ALLOWED
    ]
    assert strays == []


def test_each_allowed_machine_date_is_still_there():
    """An entry that no longer matches is struck off, so the allow-list says only what is true."""
    found = project_date_formatting(BASE_DIR)
    assert sorted(set(ALLOWED) - set(found)) == []


def test_the_scan_looks_at_the_code_that_shows_dates():
    """The scan reaches the modules and templates that write dates for people (not an empty walk)."""
    python = {path.relative_to(BASE_DIR).as_posix() for path in project_files(BASE_DIR)}
    templates = {path.relative_to(BASE_DIR).as_posix() for path in template_files(BASE_DIR)}
    assert {"assessments/notifications.py", "assessments/markup/task_list.py", THE_ONE_MODULE} <= python
    assert {"templates/reports/_print_base.html", "templates/assessments/activity_return.html"} <= templates


# --- the scan can fail: each form it looks for, planted --------------------------------------------


@pytest.mark.parametrize(
    ("template", "what"),
    [
        ('{{ when|date:"j F Y" }}', "|date filter"),
        ("{{ when|date }}", "|date filter"),
        ("{{ when | date:'d/m/Y' }}", "|date filter"),
        ('{{ when|time:"H:i" }}', "|time filter"),
        ("{{ when|naturalday }}", "|naturalday filter"),
        ("{{ when|naturaltime }}", "|naturaltime filter"),
        ("{{ when|timesince }}", "|timesince filter"),
        ("{{ when|timeuntil }}", "|timeuntil filter"),
        ('{% now "Y" %}', "{% now %} tag"),
        ('<time datetime="{{ when|date:"c" }}">{{ when|date:"j F Y" }}</time>', "|date filter"),
    ],
)
def test_a_template_formatting_a_date_itself_is_found(template, what):
    assert template_findings(template) == [(1, what)]


@pytest.mark.parametrize(
    "template",
    [
        '<time datetime="{{ when|date:"c" }}">{{ when|long_date }}</time>',
        "{{ when|long_date }} {{ when|short_date }} {{ when|long_datetime }} {{ when|short_datetime }}",
        "{{ update|date_range }} {{ validate }}",
    ],
)
def test_the_one_style_and_machine_attributes_are_not_found(template):
    assert template_findings(template) == []


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("day.strftime('%d/%m/%Y')", "strftime"),
        ("moment.isoformat()", "isoformat"),
        ("date_format(day, 'j F Y')", "date_format"),
        ("formats.date_format(day)", "date_format"),
        ("from django.utils.formats import date_format", "date_format"),
        ("from django.utils.dates import MONTHS_3", "django.utils.dates"),
        ("text = f'due {day:%-d %B %Y}'", "f-string date format"),
        ("text = f'at {moment:%H:%M} on {other}'", "f-string date format"),
    ],
)
def test_a_module_formatting_a_date_itself_is_found(source, what):
    assert what in [found for _line, found in python_findings(source)]


@pytest.mark.parametrize(
    "source",
    [
        "long_date(day)",
        "datetime.date.fromisoformat(text)",
        "text = f'{share:.1f}% of {total:,}'",
        "text = f'{count:>3} rows, {share:.1%} done'",
    ],
)
def test_the_one_style_parsing_and_number_formats_are_not_found(source):
    assert python_findings(source) == []
