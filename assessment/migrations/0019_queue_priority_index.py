"""An index on the queue's default order (`models.records.queue_priority`, then submission time):
a search matching tens of thousands of records, whose counts are capped (selectors/queue.py),
reads its first page in that order from here instead of ranking every match."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0018_submission_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                models.Case(
                    models.When(
                        outcome="review",
                        status__in=("new", "in_review", "awaiting_respondent", "pending_approval"),
                        then=models.Value(0),
                    ),
                    models.When(
                        status__in=("new", "in_review", "awaiting_respondent", "pending_approval"),
                        then=models.Value(1),
                    ),
                    default=models.Value(2),
                ),
                models.F("submitted_at"),
                models.F("id"),
                name="record_priority_order",
            ),
        ),
    ]
