"""On PostgreSQL, refuse any UPDATE or DELETE of account events, as assessments 0006 does for workflow
events and return history (the same function, created here too so this app does not depend on it).
TRUNCATE is not caught (test databases are emptied that way). Other databases: no-op.
"""

from django.db import migrations

TABLE = "accounts_accountevent"

FUNCTION = """
CREATE OR REPLACE FUNCTION msoic_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'msoic: % on % refused: audit rows are append-only', TG_OP, TG_TABLE_NAME
        USING HINT = 'Workflow events and return history are never changed or deleted.';
END;
$$;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION msoic_refuse_audit_change()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_account_events"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
