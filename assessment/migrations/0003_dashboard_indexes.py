"""Indexes for the reviewers' dashboard, so its pages stay fast on 100,000 records.

A record row carries its payload (kilobytes of JSON). PostgreSQL moves large values out of the
row (TOAST), but SQLite stores them inline, and the case-state columns (status, decided_at...)
come after the payload, so any scan of the table reads every payload. These indexes let the
queue, its counts and the statistics read narrow indexes instead of the table:

- (outcome, status, submitted_at): counts per status under an outcome filter.
- (decided_at, submitted_at): decisions per week and the median time to decision.
- (outcome_ids): records per category, counted per distinct combination of outcome ids.
- SQLite only, record_queue_sqlite: every column the queue filters, searches and sorts on, so a
  search scans this index instead of the table. Not on PostgreSQL, where the table is already
  narrow and a B-tree entry is limited to ~2.7 kB (a long project description could exceed it).
- PostgreSQL only, when the pg_trgm extension is available: trigram indexes on exactly the
  expressions Django's `icontains`/`contains` lookups produce (UPPER(col::text) LIKE ...), so a
  search or a category filter is an index lookup instead of an upper-casing scan of every row.
  Without the extension (no privilege to create it) they are skipped: searches still work,
  only slower; `CREATE EXTENSION pg_trgm` and re-running this migration adds them.
"""

from django.db import DatabaseError, migrations, models, transaction

QUEUE_COLUMNS = (
    "status",
    "outcome",
    "submitted_at",
    "questionnaire_version",
    "assigned_to_id",
    "reference",
    "respondent_name",
    "respondent_email",
    "organisation",
    "project_name",
    "project_description",
    "outcome_ids",
)


def create_sqlite_queue_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    columns = ", ".join(f'"{column}"' for column in QUEUE_COLUMNS)
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "record_queue_sqlite" ON "assessment_record" ({columns})'
    )


def drop_sqlite_queue_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute('DROP INDEX IF EXISTS "record_queue_sqlite"')


SEARCH_COLUMNS = (
    "reference",
    "respondent_name",
    "respondent_email",
    "organisation",
    "project_name",
    "project_description",
)


def _pg_trgm_ready(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        row = cursor.fetchone()
    if row is None:
        return False
    if row[0] is not None:
        return True
    try:
        # A savepoint, so a refused CREATE EXTENSION does not abort the migration's transaction.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return False
    return True


def create_postgres_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _pg_trgm_ready(schema_editor):
        return
    for column in SEARCH_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "record_search_{column}" ON "assessment_record" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "record_search_outcome_ids" ON "assessment_record" '
        'USING gin (("outcome_ids"::text) gin_trgm_ops)'
    )


def drop_postgres_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in (*SEARCH_COLUMNS, "outcome_ids"):
        schema_editor.execute(f'DROP INDEX IF EXISTS "record_search_{column}"')


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_compliance_reviewers_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                fields=["outcome", "status", "submitted_at"], name="record_outcome_status"
            ),
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["decided_at", "submitted_at"], name="record_decided"),
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["outcome_ids"], name="record_outcome_ids"),
        ),
        migrations.RunPython(create_sqlite_queue_index, drop_sqlite_queue_index),
        migrations.RunPython(create_postgres_search_indexes, drop_postgres_search_indexes),
    ]
