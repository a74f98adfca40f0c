"""A syntax-tree guard: only each state machine's own module writes its state field.

An assessment's `status` is written only by assessments/workflow.py and a report pack's `state` only
by assessments/reports/pack_workflow.py. A text search misses most ways to write a field, so this
reads every module's syntax tree and reports, with file and line, each of these forms:

- attribute assignment: `obj.status = …` (also augmented, annotated, in tuple unpacking, and
  `obj.__dict__["status"] = …`);
- setattr: `setattr(obj, "status", …)` or `obj.__setattr__("status", …)` with the name written out;
- constructor: `Assessment(status=…)`, also `Assessment(**{"status": …})`;
- queryset write: `.update(status=…)`, `.create(status=…)`, `.get_or_create(…)` and
  `.update_or_create(…)` with the field as a keyword or in `defaults`/`create_defaults`;
- field list: `bulk_update(objs, ["status"])`, `save(update_fields=["status"])`,
  `bulk_create(…, update_fields=["status"])`;
- raw SQL: a string (or the literal parts of an f-string) with `UPDATE <table> SET … status =` or
  `INSERT INTO <table> (… status …)`.

Python cannot say what type a receiver has, so the guard fails closed: a write is reported unless its
receiver visibly belongs to another model (`DBTaskResult.objects…update(status=…)`, or a name bound
to such an expression in the same function), or raw SQL names another table outright. What it cannot
see: a field name built at run time (`setattr(obj, name, …)`, `update(**values)` with a dict made
elsewhere) and SQL assembled by concatenation. Those stay a matter for review.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GuardedField:
    """A state field, the only module allowed to write it, and its table for raw SQL."""

    model: str
    field: str
    writer: str  # path relative to the project root, with forward slashes
    table: str


GUARDED = (
    GuardedField("Assessment", "status", "assessments/workflow.py", "assessments_assessment"),
    GuardedField("ReportPack", "state", "assessments/reports/pack_workflow.py", "assessments_reportpack"),
    GuardedField("NotablePractice", "state", "assessments/practice.py", "assessments_notablepractice"),
)

# Folders, at any depth, that are not project code to guard: the tests (which put rows in starting
# states on purpose), migrations, and whatever tools and dependencies keep beside the code.
SKIPPED_FOLDERS = frozenset({"tests", "migrations", "node_modules", "site-packages", "__pycache__"})

QUERYSET_WRITES = frozenset({"update", "create", "get_or_create", "update_or_create"})
DEFAULTS_KEYWORDS = frozenset({"defaults", "create_defaults"})
FIELD_LIST_KEYWORDS = {"bulk_update": "fields", "save": "update_fields", "bulk_create": "update_fields"}
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})


@dataclass(frozen=True)
class Write:
    """One place that writes a guarded field."""

    path: str
    line: int
    form: str
    target: GuardedField

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.form} writes {self.target.model}.{self.target.field}"


def project_files(root: Path) -> list[Path]:
    """Every non-test, non-migration module of the project: each top-level package and loose module.

    A top-level package is a folder with an __init__.py (accounts, actionplan, assessments, bench, msoic,
    ops today), so a new app is guarded without anyone adding it here. bench is guarded like the rest:
    its benchmarks drive the real models, and a state it wrote itself would measure pages in states the
    service cannot reach.
    """
    files = sorted(root.glob("*.py"))
    for package in sorted(p for p in root.iterdir() if (p / "__init__.py").is_file()):
        if package.name in SKIPPED_FOLDERS:
            continue
        files += sorted(
            path
            for path in package.rglob("*.py")
            if not SKIPPED_FOLDERS.intersection(path.relative_to(root).parts)
        )
    return files


def project_writes(root: Path, guarded: Iterable[GuardedField] = GUARDED) -> list[Write]:
    """Every write of a guarded field anywhere in the project, including the allowed writers'."""
    guarded = tuple(guarded)
    writes: list[Write] = []
    for path in project_files(root):
        relative = path.relative_to(root).as_posix()
        writes += source_writes(path.read_text(encoding="utf-8"), path=relative, guarded=guarded)
    return writes


def offending_writes(root: Path, guarded: Iterable[GuardedField] = GUARDED) -> list[Write]:
    """Writes of a guarded field outside the one module allowed to write it."""
    return [write for write in project_writes(root, guarded) if write.path != write.target.writer]


def source_writes(
    source: str, *, path: str = "<source>", guarded: Iterable[GuardedField] = GUARDED
) -> list[Write]:
    """Every write of a guarded field in one module's source, in line order."""
    tree = ast.parse(source, filename=path)
    finder = _Finder(path, tuple(guarded), _Bindings(tree))
    finder.visit(tree)
    return sorted(finder.writes, key=lambda write: (write.line, write.form, write.target.field))


class _Bindings:
    """What each name is bound to, per function (and at module level), to tell another model's rows."""

    def __init__(self, tree: ast.Module) -> None:
        self.scope_of: dict[ast.AST, ast.AST] = {}
        self.bound: dict[tuple[ast.AST, str], list[ast.expr]] = {}
        self._walk(tree, tree)

    def _walk(self, node: ast.AST, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            self.scope_of[child] = scope
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    self._bind(scope, target, child.value)
            elif isinstance(child, ast.AnnAssign | ast.NamedExpr) and child.value is not None:
                self._bind(scope, child.target, child.value)
            elif isinstance(child, ast.For | ast.AsyncFor):
                self._bind(scope, child.target, child.iter)  # iterating a queryset gives its model's rows
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = child
                arguments = child.args
                for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                    # A parameter could be anything, whatever an outer name of the same spelling holds.
                    self.bound[(child, argument.arg)] = [ast.Constant(value=None)]
            self._walk(child, inner)

    def _bind(self, scope: ast.AST, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.bound.setdefault((scope, target.id), []).append(value)

    def values(self, name: str, *, at: ast.AST) -> list[ast.expr]:
        """The expressions bound to `name` in the innermost scope around `at` that binds it."""
        scope = self.scope_of.get(at)
        while scope is not None:
            if (scope, name) in self.bound:
                return self.bound[(scope, name)]
            scope = self.scope_of.get(scope)
        return []

    def models(
        self, expression: ast.expr, *, at: ast.AST, seen: frozenset[str] = frozenset()
    ) -> set[str | None]:
        """The models whose rows `expression` may hold; None stands for "cannot tell"."""
        node: ast.expr = expression
        while True:
            if isinstance(node, ast.Attribute):
                if node.attr in MANAGERS and isinstance(node.value, ast.Name):
                    return {node.value.id}
                node = node.value
            elif isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id[:1].isupper():
                    return {node.func.id}  # a constructor
                node = node.func
            elif isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node, ast.Name):
                return self._name_models(node.id, at=at, seen=seen)
            else:
                return {None}

    def _name_models(self, name: str, *, at: ast.AST, seen: frozenset[str]) -> set[str | None]:
        values = self.values(name, at=at)
        if name in seen or not values:
            return {None}  # a global from elsewhere, a loop of names: anything
        found: set[str | None] = set()
        for value in values:
            found |= self.models(value, at=value, seen=seen | {name})
        return found


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str, guarded: tuple[GuardedField, ...], bindings: _Bindings) -> None:
        self.path = path
        self.guarded = guarded
        self.bindings = bindings
        self.writes: list[Write] = []

    def _report(self, node: ast.AST, form: str, target: GuardedField) -> None:
        self.writes.append(Write(self.path, getattr(node, "lineno", 0), form, target))

    def _may_be(self, receiver: ast.expr, target: GuardedField, *, at: ast.AST) -> bool:
        """False only when the receiver visibly holds another model's rows."""
        models = self.bindings.models(receiver, at=at)
        return None in models or target.model in models

    # --- assignment forms ---

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node)
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, statement: ast.stmt) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._assigned(element, statement)
        elif isinstance(target, ast.Starred):
            self._assigned(target.value, statement)
        elif isinstance(target, ast.Attribute):
            for guarded in self.guarded:
                if target.attr == guarded.field and self._may_be(target.value, guarded, at=statement):
                    self._report(statement, "attribute assignment", guarded)
        elif isinstance(target, ast.Subscript) and _is_instance_dict(target.value):
            for guarded in self.guarded:
                if _constant(target.slice) == guarded.field:
                    self._report(statement, "attribute assignment", guarded)

    # --- call forms ---

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        for guarded in self.guarded:
            if name in ("setattr", "__setattr__"):
                if any(_constant(argument) == guarded.field for argument in node.args):
                    self._report(node, "setattr", guarded)
            elif name == guarded.model:
                if guarded.field in self._keywords(node):
                    self._report(node, "constructor", guarded)
            elif isinstance(func, ast.Attribute) and name in QUERYSET_WRITES:
                written = self._keywords(node, defaults=True)
                if guarded.field in written and self._may_be(func.value, guarded, at=node):
                    self._report(node, "queryset write", guarded)
            if isinstance(func, ast.Attribute) and name in FIELD_LIST_KEYWORDS:
                listed = _field_list(node, name)
                if guarded.field in listed and self._may_be(func.value, guarded, at=node):
                    self._report(node, "field list", guarded)
        self.generic_visit(node)

    def _keywords(self, node: ast.Call, *, defaults: bool = False) -> set[object]:
        """Keyword names, with the literal keys of `**{…}` (or of a name bound to a dict literal in the
        same function) and, if asked, of defaults={…}."""
        names: set[object] = set()
        for keyword in node.keywords:
            if keyword.arg is None:
                names |= self._dict_keys(keyword.value, at=node)
            else:
                names.add(keyword.arg)
                if defaults and keyword.arg in DEFAULTS_KEYWORDS:
                    names |= self._dict_keys(keyword.value, at=node)
        return names

    def _dict_keys(self, node: ast.expr, *, at: ast.AST) -> set[object]:
        candidates = self.bindings.values(node.id, at=at) if isinstance(node, ast.Name) else [node]
        return {
            _constant(key)
            for candidate in candidates
            if isinstance(candidate, ast.Dict)
            for key in candidate.keys
            if key is not None
        }

    # --- raw SQL ---

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._sql(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        # The literal parts, with each {…} as a placeholder for a table or value we cannot read.
        text = "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
            for part in node.values
        )
        self._sql(node, text)

    def _sql(self, node: ast.AST, text: str) -> None:
        for guarded in self.guarded:
            if _sql_writes(text, guarded):
                self._report(node, "raw SQL", guarded)


def _constant(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _is_instance_dict(node: ast.expr) -> bool:
    """obj.__dict__ or vars(obj)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "__dict__"
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars"


def _field_list(node: ast.Call, name: str) -> set[object]:
    keyword = FIELD_LIST_KEYWORDS[name]
    values = [k.value for k in node.keywords if k.arg == keyword]
    if name == "bulk_update" and len(node.args) >= 2:
        values.append(node.args[1])
    listed: set[object] = set()
    for value in values:
        if isinstance(value, ast.List | ast.Tuple | ast.Set):
            listed |= {_constant(element) for element in value.elts}
    return listed


_UPDATE = re.compile(
    r"\bUPDATE\s+(?P<table>\S+)\s+SET\s+(?P<sets>.*?)(?:\bWHERE\b|\bRETURNING\b|;|$)", re.I | re.S
)
_INSERT = re.compile(r"\bINSERT\s+INTO\s+(?P<table>[^\s(]+)\s*\((?P<columns>[^)]*)\)", re.I | re.S)


def _sql_writes(text: str, guarded: GuardedField) -> bool:
    """UPDATE … SET field = or INSERT INTO … (field …) on the guarded table, or on a table we cannot read."""
    field = re.escape(guarded.field)
    for match in _UPDATE.finditer(text):
        assigned = re.search(rf"\b{field}\b[\"'`]?\s*=", match["sets"])
        if assigned and _table_may_be(match["table"], guarded):
            return True
    for match in _INSERT.finditer(text):
        if _table_may_be(match["table"], guarded) and re.search(rf"\b{field}\b", match["columns"]):
            return True
    return False


def _table_may_be(table: str, guarded: GuardedField) -> bool:
    name = table.strip("\"'`[]").rsplit(".", 1)[-1].strip("\"'`[]")
    if not re.fullmatch(r"\w+", name):
        return True  # a placeholder ({}, %s): it could be any table
    return name.lower() == guarded.table
