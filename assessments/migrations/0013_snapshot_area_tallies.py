"""Each snapshot's implemented-or-embedded tallies per process area, beside its data, for the benchmarks.

The backfill repeats assessments.snapshots.snapshot_area_tallies rather than importing it, so this
migration keeps doing what it did when that code moves on. Each snapshot's activities are placed in
their areas of the plan its round used, as sign-off does.
"""

from django.db import migrations, models

TOP_OF_SCALE = {"implemented", "embedded"}


def tallies_of(data, area_of):
    tallies = {}
    returns = data.get("returns") if isinstance(data, dict) else None
    for row in returns if isinstance(returns, list) else ():
        area = area_of.get(str(row.get("activity_code"))) if isinstance(row, dict) else None
        if area is None:
            continue
        tally = tallies.setdefault(str(area), [0, 0])
        tally[1] += 1
        if row.get("implementation_status") in TOP_OF_SCALE:
            tally[0] += 1
    return tallies


def fill_tallies(apps, schema_editor):
    snapshot_model = apps.get_model("assessments", "AssessmentSnapshot")
    activity_model = apps.get_model("actionplan", "Activity")
    areas_of_plan = {}
    batch = []
    snapshots = snapshot_model.objects.select_related("assessment__round").only(
        "pk", "data", "assessment__round__plan_id"
    )
    for snapshot in snapshots.order_by("pk").iterator(chunk_size=500):
        plan_id = snapshot.assessment.round.plan_id
        if plan_id not in areas_of_plan:
            areas_of_plan[plan_id] = dict(
                activity_model.objects.filter(plan_id=plan_id).values_list("code", "area__number")
            )
        snapshot.area_tallies = tallies_of(snapshot.data, areas_of_plan[plan_id])
        batch.append(snapshot)
        if len(batch) == 500:
            snapshot_model.objects.bulk_update(batch, ["area_tallies"])
            batch = []
    if batch:
        snapshot_model.objects.bulk_update(batch, ["area_tallies"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0001_action_plan"),
        ("assessments", "0012_notable_practice"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentsnapshot",
            name="area_tallies",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop),
    ]
