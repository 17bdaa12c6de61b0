"""Drafts updated in place (issue 15): every answer's UPDATE heap-only on PostgreSQL.

An UPDATE that changes no indexed column, and finds room on the row's page, is heap-only
(HOT): no index gets a new entry. `updated_at` was indexed, and every answer changes it, so
each answer wrote into all eight of the table's indexes and left a dead entry in each, which
the next read of the draft by its token then stepped over. Retention, the index's one reader,
now finds stale drafts through a partial index on `created_at` (services/retention.py), and
the table keeps 30% of each page free for a row's next version (fillfactor, PostgreSQL only;
pages written before it fill as they are rewritten).

The partial index is built inside the migration's transaction, not CONCURRENTLY: one scan of
the drafts' table, during which answers wait (the records' table, the large one, is not
touched). Dropping the index on `updated_at` is immediate.
"""

from django.db import migrations, models

FILLFACTOR = 70


def _alter_drafts_table(apps, schema_editor, change: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("assessment", "Draft")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} {change}")


def _set_fillfactor(apps, schema_editor) -> None:
    _alter_drafts_table(apps, schema_editor, f"SET (fillfactor = {FILLFACTOR})")


def _reset_fillfactor(apps, schema_editor) -> None:
    _alter_drafts_table(apps, schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0020_search_index_with_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="draft",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddIndex(
            model_name="draft",
            index=models.Index(
                condition=models.Q(("submitted_at__isnull", True)),
                fields=["created_at"],
                name="draft_unsubmitted_created",
            ),
        ),
        migrations.RunPython(_set_fillfactor, _reset_fillfactor, elidable=False),
    ]
