"""An index on events by action and time, for the statistics counted from the trail (decisions,
proposals and send-backs per week). Numbered 0014 like its sibling: migration numbers are
reserved per branch."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0014_reports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["action", "created_at"], name="event_action_created"),
        ),
    ]
