"""Small reads compiled to SQL once per connection, then run again with new values.

Django builds a query's SQL afresh every time it runs one. For a page made of several small, fixed
reads (the coordinator's review reads an assessment's returns, events, marks and last sign-off) that
building took longer than the database took to answer: about a quarter of the page's time
(docs/performance.md). A PreparedRead builds its QuerySet once per database connection, with a
stand-in for each named value, keeps the SQL the ORM compiled, and from then on only runs it with the
real values. Rows still come back through the compiler's own converters, so they are exactly what
`values_list` on the same QuerySet gives (tests/ops/test_prepared_reads.py compares the two on SQLite
and PostgreSQL), and the query still passes through Django's cursor, so it is counted and logged like
any other.

Only whole-number values (primary keys, versions) can be named, because the ORM adapts other types
for the database while compiling; a QuerySet that needs a date or text value takes it from a
subquery or keeps it fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins for the named values while the QuerySet is compiled. They must lie inside every integer
# column's range (Django leaves out a lookup whose value lies outside it, such as `version >= -1`), so
# they sit just under the top of PostgreSQL's integer, far above any key or version the service writes;
# _compile fails loudly if the ORM left a stand-in out.
_STAND_IN_BASE = 2_147_483_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # For each parameter of the SQL, in order: the name of the value that fills it, or None and the
    # fixed value the QuerySet gave it.
    slots: tuple[tuple[str | None, Any], ...]
    compiler: Any  # the SQLCompiler that made the SQL: its converters turn database values into Python
    # (position, (converters, expression)) for each column that has converters, as the compiler's
    # get_converters gives them: they depend only on the columns and the connection, so they are
    # looked up once here rather than on every run (results_iter looks them up each time).
    converters: tuple[tuple[int, tuple[list[Any], Any]], ...]
    composite: bool  # a composite-key column: rows go through results_iter, which packs it


class PreparedRead:
    """A values_list read whose SQL is built once per connection; `rows(**values)` runs it.

    `build` returns the QuerySet, given a value for each of `names`; it must end in `values_list`
    (any slicing included), and must use each named value only as a lookup's right-hand side.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *names: str, using: str = DEFAULT_DB_ALIAS):
        self._build = build
        self._names = names
        self._using = using
        # Keyed by the connection object: Django keeps one per thread, and converters may consult it.
        self._compiled: WeakKeyDictionary[Any, _Compiled] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def rows(self, **values: int) -> list[tuple[Any, ...]]:
        """The rows, converted as `values_list` converts them, for these values of the names."""
        if set(values) != set(self._names):
            raise TypeError(f"Give exactly these values: {', '.join(self._names)}")
        connection = connections[self._using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection)
        params = [
            _whole_number(name, values[name]) if name is not None else fixed for name, fixed in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if compiled.composite:
            return [
                tuple(row) for row in compiled.compiler.results_iter(results=[fetched], tuple_expected=True)
            ]
        if not compiled.converters:
            return [tuple(row) for row in fetched]
        # SQLCompiler.apply_converters, with the converters found once.
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for position, (functions, expression) in compiled.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            rows.append(tuple(row))
        return rows

    def _compile(self, connection: Any) -> _Compiled:
        stand_ins = {name: _STAND_IN_BASE + index for index, name in enumerate(self._names)}
        queryset = self._build(**stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        named = {value: name for name, value in stand_ins.items()}
        slots = tuple(
            (named[param], None) if _is_int(param) and param in named else (None, param) for param in params
        )
        missing = set(self._names) - {name for name, _ in slots if name is not None}
        if missing:
            raise ValueError(f"The QuerySet does not use {', '.join(sorted(missing))} as a parameter")
        columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(
            sql=sql,
            slots=slots,
            compiler=compiler,
            converters=tuple(compiler.get_converters(columns).items()),
            composite=compiler.has_composite_fields(columns),
        )
        with self._lock:
            self._compiled[connection] = compiled
        return compiled


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_number(name: str, value: object) -> int:
    if not _is_int(value):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    return value  # type: ignore[return-value]
