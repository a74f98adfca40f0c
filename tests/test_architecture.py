"""The import-linter contracts in pyproject.toml hold on the code, and each one can fail.

The first test runs `lint-imports` on the repository as `make lint` does. The others copy the packages the
contracts cover into a temporary folder, plant one forbidden import per contract there, and run the same
command on the copy: each contract must come out broken and name the planted import, so a contract that
had quietly stopped matching anything (a renamed module, a typo in a layer) would fail here. No database,
no network; the copy is a few hundred kilobytes of Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACT_NAMES = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}

# contract id -> (file in the copy, line appended to it, the import the report must name).
# Each planted import breaks its own contract; some break another as well (an app importing upwards also
# breaks the app layers), which is why each test reads only its own contract's part of the report.
PLANTED: dict[str, tuple[str, str, str]] = {
    "apps-point-down": (
        "ops/planted_probe.py",
        "import accounts.roles",
        "ops.planted_probe -> accounts.roles",
    ),
    "accounts-actionplan-without-assessments": (
        "actionplan/planted_probe.py",
        "import assessments.status",
        "actionplan.planted_probe -> assessments.status",
    ),
    "settings-through-django-conf": (
        "assessments/planted_probe.py",
        "import msoic.settings.env",
        "assessments.planted_probe -> msoic.settings.env",
    ),
    "reads-without-writes-or-markup": (
        "assessments/selectors/planted_probe.py",
        "import assessments.workflow",
        "assessments.selectors.planted_probe -> assessments.workflow",
    ),
    "models-know-no-pages": (
        "actionplan/models.py",
        "import actionplan.views",
        "actionplan.models -> actionplan.views",
    ),
    "assessments-layers": (
        "assessments/markup/planted_probe.py",
        "import assessments.views",
        "assessments.markup.planted_probe -> assessments.views",
    ),
}


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the lint-imports command in `folder`, without a cache, wide enough that no line wraps."""
    command = [
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
        "--no-cache",
    ]
    environment = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        command, cwd=folder, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def broken_sections(output: str) -> dict[str, str]:
    """The "Broken contracts" part of a report, split into each contract's name and its text."""
    _, _, broken = output.partition("Broken contracts\n----------------\n")
    headings = list(re.finditer(r"^(\S.*)\n-+\n", broken, flags=re.MULTILINE))
    return {
        heading.group(1).strip(): broken[heading.end() : following.start() if following else len(broken)]
        for heading, following in zip(headings, [*headings[1:], None], strict=True)
    }


def test_the_code_keeps_every_contract():
    result = lint_imports(REPOSITORY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACT_NAMES)} kept, 0 broken." in result.stdout


def test_every_contract_has_a_planted_import():
    assert set(PLANTED) == set(CONTRACT_NAMES)


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory) -> dict[str, str]:
    """Lint a copy of the code with every planted import in place; the report, by contract name."""
    copy = tmp_path_factory.mktemp("layers")
    shutil.copy(REPOSITORY / "pyproject.toml", copy / "pyproject.toml")
    for package in CONFIG["root_packages"]:
        shutil.copytree(REPOSITORY / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, line, _named in PLANTED.values():
        with (copy / relative).open("a", encoding="utf-8") as module:
            module.write(f"\n{line}\n")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    return broken_sections(result.stdout)


@pytest.mark.parametrize("contract_id", list(PLANTED))
def test_a_planted_import_breaks_its_contract_and_is_named(broken_report, contract_id):
    _relative, _line, named = PLANTED[contract_id]
    section = broken_report.get(CONTRACT_NAMES[contract_id])
    assert section is not None, f"not broken: {CONTRACT_NAMES[contract_id]}; broken: {list(broken_report)}"
    assert named in section
