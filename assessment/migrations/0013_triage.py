"""Triage: the folded search text of every record, its trigram index on PostgreSQL, and saved
filters.

The backfill folds existing records with the same function submission uses
(assessment/search.py), so a record stored before this migration is found like a new one.
The index: `search_text` is already folded, so the queue searches it with a case-sensitive
`contains` (LIKE '%word%'), which a pg_trgm GIN index on the column serves; SQLite has no
such index and scans (fast enough at the sizes in the README's benchmarks).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BATCH = 500


def fill_search_text(apps, schema_editor):
    from assessment.search import record_search_text

    Record = apps.get_model("assessment", "Record")
    batch = []
    for record in Record.objects.only("pk", "payload").iterator(chunk_size=BATCH):
        record.search_text = record_search_text(record.payload or {})
        batch.append(record)
        if len(batch) == BATCH:
            Record.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Record.objects.bulk_update(batch, ["search_text"])


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS record_search_trgm "
        "ON assessment_record USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS record_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0012_integrity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="record",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.CreateModel(
            name="SavedFilter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                ("query", models.CharField(blank=True, max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_filters",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "name"), name="saved_filter_unique_name"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
