"""The syntax-tree guard itself: each way of writing a state field is caught, reads are not.

The project-wide checks that use it sit beside each state machine's tests
(tests/assessments/test_workflow.py, tests/assessments/reports/test_pack_workflow.py).
"""

from __future__ import annotations

import textwrap

import pytest

from assessments.models import Assessment, NotablePractice, ReportPack
from msoic.settings.env import BASE_DIR
from tests.status_guard import GUARDED, GuardedField, project_files, project_writes, source_writes

# Each form of write, as a snippet over {model}, {field} and {table}, with the form the guard names.
WRITES = {
    "assign": ("obj.{field} = 'x'", "attribute assignment"),
    "augmented": ("obj.{field} += 'x'", "attribute assignment"),
    "annotated": ("obj.{field}: str = 'x'", "attribute assignment"),
    "unpacked": ("obj.{field}, other = 'x', 1", "attribute assignment"),
    "instance dict": ("obj.__dict__['{field}'] = 'x'", "attribute assignment"),
    "vars": ("vars(obj)['{field}'] = 'x'", "attribute assignment"),
    "setattr": ("setattr(obj, '{field}', 'x')", "setattr"),
    "dunder setattr": ("object.__setattr__(obj, '{field}', 'x')", "setattr"),
    "constructor": ("{model}(round=r, {field}='x')", "constructor"),
    "constructor via module": ("models.{model}({field}='x')", "constructor"),
    "constructor splat": ("{model}(**{{'{field}': 'x'}})", "constructor"),
    "update": ("{model}.objects.filter(pk=1).update({field}='x')", "queryset write"),
    "update on a queryset variable": ("rows.update({field}='x')", "queryset write"),
    "update with a dict": ("values = {{'{field}': 'x'}}\n{model}.objects.update(**values)", "queryset write"),
    "create": ("{model}.objects.create(round=r, {field}='x')", "queryset write"),
    "get_or_create": ("{model}.objects.get_or_create(pk=1, defaults={{'{field}': 'x'}})", "queryset write"),
    "update_or_create": ("{model}.objects.update_or_create(pk=1, {field}='x')", "queryset write"),
    "bulk_update": ("{model}.objects.bulk_update(objs, ['{field}'])", "field list"),
    "bulk_update fields=": ("{model}.objects.bulk_update(objs, fields=('version', '{field}'))", "field list"),
    "save update_fields": ("obj.save(update_fields=['{field}'])", "field list"),
    "upsert": (
        "{model}.objects.bulk_create(objs, update_conflicts=True, update_fields=['{field}'])",
        "field list",
    ),
    "raw UPDATE": ("cursor.execute('UPDATE {table} SET {field} = %s WHERE id = %s', [v, pk])", "raw SQL"),
    "raw UPDATE, quoted": ("""cursor.execute('UPDATE "{table}" SET "{field}"=%s')""", "raw SQL"),
    "raw UPDATE, table unknown": (
        "cursor.execute(f'UPDATE {{table}} SET version = 2, {field} = %s')",
        "raw SQL",
    ),
    "raw INSERT": ("sql = '''INSERT INTO {table} (round_id, {field}) VALUES (%s, %s)'''", "raw SQL"),
}

# Reads, filters, other fields, other models and other tables: none of these is a write.
HARMLESS = {
    "comparison": "if obj.{field} == 'x':\n    pass",
    "read into a name": "current = obj.{field}",
    "filter keyword": "{model}.objects.filter({field}='x').count()",
    "exclude keyword": "{model}.objects.exclude({field}__in=['x', 'y'])",
    "constructor without it": "{model}(round=r)",
    "another field": "obj.implementation_{field} = 'x'\nobj.save(update_fields=['version'])",
    "another model's update": "DBTaskResult.objects.filter(pk=1).update({field}='READY')",
    "another model's row": "row = DBTaskResult.objects.get(pk=1)\nrow.{field} = 'READY'",
    "another model's rows in a loop": "for row in DBTaskResult.objects.all():\n    row.{field} = 'READY'",
    "a response's status": "JsonResponse({{}}, status=503)\nHttpResponse(status=404)",
    "raw SELECT": "cursor.execute('SELECT COUNT(*) FROM {table} WHERE {field} = %s', ['x'])",
    "raw UPDATE of another table": "cursor.execute('UPDATE django_tasks_dbtaskresult SET {field} = %s')",
}


def snippet(template: str, guarded: GuardedField) -> str:
    return textwrap.dedent(template.format(model=guarded.model, field=guarded.field, table=guarded.table))


def params(cases: dict[str, object]) -> list[object]:
    return [
        pytest.param(guarded, case, id=f"{guarded.model}.{guarded.field}: {name}")
        for guarded in GUARDED
        for name, case in cases.items()
    ]


@pytest.mark.parametrize(("guarded", "case"), params(WRITES))
def test_each_form_of_write_is_caught_with_its_line(guarded, case):
    template, form = case
    source = "import something\n\n" + snippet(template, guarded)
    writes = source_writes(source, path="fabricated.py", guarded=[guarded])
    assert [(write.form, write.target) for write in writes] == [(form, guarded)]
    assert writes[0].line == source.count("\n") + 1  # the snippet's last line, where the write is
    assert str(writes[0]).startswith(f"fabricated.py:{writes[0].line}: {form} writes {guarded.model}.")


@pytest.mark.parametrize(("guarded", "case"), params(HARMLESS))
def test_reads_filters_and_other_models_are_not_writes(guarded, case):
    assert source_writes(snippet(case, guarded), guarded=[guarded]) == []


def test_a_write_inside_a_function_is_caught_whatever_outer_names_hold():
    source = textwrap.dedent(
        """
        row = DBTaskResult.objects.get(pk=1)

        def move(row):
            row.status = "signed_off"
        """
    )
    assert [write.line for write in source_writes(source)] == [5]


def test_the_guarded_tables_are_the_models_tables():
    assert [guarded.table for guarded in GUARDED] == [
        Assessment._meta.db_table,
        ReportPack._meta.db_table,
        NotablePractice._meta.db_table,
    ]


def test_every_project_package_is_scanned_and_no_test_or_migration():
    scanned = {path.relative_to(BASE_DIR).parts[0] for path in project_files(BASE_DIR)}
    # bench is guarded too: its benchmarks drive the real models and must reach states as the service does.
    assert scanned >= {"accounts", "actionplan", "assessments", "bench", "msoic", "ops", "manage.py"}
    assert "tests" not in scanned
    assert not [path for path in project_files(BASE_DIR) if "migrations" in path.parts]


def test_the_guard_sees_the_allowed_writers_own_writes():
    """Not blind: the transitions modules' own writes are found (and allowed)."""
    found = {(write.path, write.target.field) for write in project_writes(BASE_DIR)}
    assert {(guarded.writer, guarded.field) for guarded in GUARDED} <= found
