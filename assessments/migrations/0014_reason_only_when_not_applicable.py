"""A reason for not applying is kept only with the status Not applicable, now in the database too.

Before the rule was applied to every save (rules.as_kept), a spreadsheet upload could keep a reason
beside another status. Those reasons were never shown for such a status (the activity page reveals
the box under Not applicable alone), so they are cleared before the constraint is added. The field
history keeps what was saved at the time.
"""

from django.db import migrations, models


def clear_stray_reasons(apps, schema_editor):
    activity_return = apps.get_model("assessments", "ActivityReturn")
    activity_return.objects.exclude(implementation_status="not_applicable").exclude(
        not_applicable_reason=""
    ).update(not_applicable_reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0013_snapshot_area_tallies"),
    ]

    operations = [
        migrations.RunPython(clear_stray_reasons, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="activityreturn",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("implementation_status", "not_applicable"),
                    ("not_applicable_reason", ""),
                    _connector="OR",
                ),
                name="return_reason_only_when_not_applicable",
            ),
        ),
    ]
