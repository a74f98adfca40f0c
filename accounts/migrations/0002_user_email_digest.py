from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_users_and_memberships"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_digest",
            field=models.BooleanField(
                default=False,
                help_text="Notices that need your action (such as a return for changes) still come at once.",
                verbose_name="daily digest instead of single emails",
            ),
        ),
    ]
