"""On PostgreSQL, refuse any UPDATE or DELETE of workflow events and of the field history of returns.

The application never changes these rows (AssessmentEvent.save and delete refuse; nothing updates
history); the trigger makes the database refuse too, whoever connects. TRUNCATE is not caught (it is
how test databases are emptied); a deliberate repair needs a superuser to
`ALTER TABLE ... DISABLE TRIGGER ...` first, which leaves its own trace. Other databases: no-op.
"""

from django.db import migrations

TABLES = ("assessments_assessmentevent", "assessments_historicalactivityreturn")

FUNCTION = """
CREATE OR REPLACE FUNCTION msoic_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'msoic: % on % refused: audit rows are append-only', TG_OP, TG_TABLE_NAME
        USING HINT = 'Workflow events and return history are never changed or deleted.';
END;
$$;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION msoic_refuse_audit_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS msoic_refuse_audit_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_reminder_log"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
