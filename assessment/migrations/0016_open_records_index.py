"""A partial index on the open records: the queue's first groups in submission order, the
statistics' backlog by age and the overdue count read it instead of every record."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0015_record_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("new", "in_review", "awaiting_respondent", "pending_approval"))
                ),
                fields=["submitted_at", "outcome", "status"],
                name="record_open",
            ),
        ),
    ]
