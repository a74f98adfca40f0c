from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_digest_items"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmailDelivery",
            fields=[],
            options={
                "verbose_name": "email",
                "verbose_name_plural": "emails",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("django_tasks_database.dbtaskresult",),
        ),
    ]
