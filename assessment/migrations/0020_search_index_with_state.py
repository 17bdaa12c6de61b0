"""The search's trigram index also holds each record's automatic outcome and status (PostgreSQL).

A reviewer's search usually comes with an outcome or a status ("lovelace", needs review,
decided). With the folded text alone in the index, PostgreSQL found the 49,871 records of a
million that contain "lovelace", then intersected them with the 250,000 entries of the
(outcome, status) index: 30-60 ms before reading a row. With both in the same GIN index
(`btree_gin` lets a GIN index hold plain columns) one index scan finds the 12,345 that match
all three. The queue counts a search's matches up to a limit (selectors/queue.py); this makes
those samples 40 ms instead of 90 at a million (README, Benchmarks). A GIN index on several
columns serves a condition on any of them, so it replaces the text-only one.

Built CONCURRENTLY (so outside a transaction): about a minute at a million records, during
which submissions and reviewers' actions keep writing. SQLite has no such index: nothing to do.
"""

from django.db import migrations

NEW = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS record_search_state "
    "ON assessment_record USING gin (search_text gin_trgm_ops, outcome, status)"
)
OLD = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS record_search_trgm "
    "ON assessment_record USING gin (search_text gin_trgm_ops)"
)


def with_state(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Trusted extensions (PostgreSQL 13+): the database's owner may create them.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(NEW)
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS record_search_trgm")


def text_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD)
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS record_search_state")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("assessment", "0019_queue_priority_index")]

    operations = [migrations.RunPython(with_state, text_only)]
