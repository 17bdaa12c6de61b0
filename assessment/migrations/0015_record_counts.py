"""Records per state (status, automatic outcome, outcome ids, decided), kept by triggers
(models/counts.py explains).

SQLite: a row trigger per insert, status/outcome update and delete. PostgreSQL: statement
triggers with transition tables, so a COPY or an UPDATE of many rows appends one row per state
it touched, not one per record (a trigger with transition tables cannot name columns, so the
update trigger compares old and new rows itself). The table is filled from the records here;
reversing drops the triggers and the table.
"""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER record_counts_insert AFTER INSERT ON assessment_record BEGIN
        INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
        VALUES (NEW.status, NEW.outcome, NEW.outcome_ids, NEW.decided_at IS NOT NULL, 1);
    END""",
    """CREATE TRIGGER record_counts_update
    AFTER UPDATE OF status, outcome, outcome_ids, decided_at ON assessment_record
    WHEN OLD.status IS NOT NEW.status OR OLD.outcome IS NOT NEW.outcome
        OR OLD.outcome_ids IS NOT NEW.outcome_ids
        OR (OLD.decided_at IS NULL) IS NOT (NEW.decided_at IS NULL) BEGIN
        INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
        VALUES (OLD.status, OLD.outcome, OLD.outcome_ids, OLD.decided_at IS NOT NULL, -1);
        INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
        VALUES (NEW.status, NEW.outcome, NEW.outcome_ids, NEW.decided_at IS NOT NULL, 1);
    END""",
    """CREATE TRIGGER record_counts_delete AFTER DELETE ON assessment_record BEGIN
        INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
        VALUES (OLD.status, OLD.outcome, OLD.outcome_ids, OLD.decided_at IS NOT NULL, -1);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS record_counts_insert",
    "DROP TRIGGER IF EXISTS record_counts_update",
    "DROP TRIGGER IF EXISTS record_counts_delete",
]

POSTGRES = [
    """CREATE FUNCTION record_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
            SELECT status, outcome, outcome_ids, decided_at IS NOT NULL, COUNT(*) FROM new_rows
            GROUP BY 1, 2, 3, 4;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
            SELECT status, outcome, outcome_ids, decided_at IS NOT NULL, -COUNT(*) FROM old_rows
            GROUP BY 1, 2, 3, 4;
        ELSE
            INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
            SELECT status, outcome, outcome_ids, decided, SUM(n) FROM (
                SELECT o.status, o.outcome, o.outcome_ids, o.decided_at IS NOT NULL AS decided,
                    -1 AS n, c.status AS to_status, c.outcome AS to_outcome,
                    c.outcome_ids AS to_ids, c.decided_at IS NOT NULL AS to_decided
                FROM old_rows o JOIN new_rows c USING (id)
                UNION ALL
                SELECT c.status, c.outcome, c.outcome_ids, c.decided_at IS NOT NULL, 1,
                    o.status, o.outcome, o.outcome_ids, o.decided_at IS NOT NULL
                FROM old_rows o JOIN new_rows c USING (id)
            ) AS moved
            WHERE (status, outcome, outcome_ids, decided)
                IS DISTINCT FROM (to_status, to_outcome, to_ids, to_decided)
            GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER record_counts_insert AFTER INSERT ON assessment_record
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION record_counts_changed()""",
    """CREATE TRIGGER record_counts_update AFTER UPDATE ON assessment_record
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION record_counts_changed()""",
    """CREATE TRIGGER record_counts_delete AFTER DELETE ON assessment_record
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION record_counts_changed()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS record_counts_insert ON assessment_record",
    "DROP TRIGGER IF EXISTS record_counts_update ON assessment_record",
    "DROP TRIGGER IF EXISTS record_counts_delete ON assessment_record",
    "DROP FUNCTION IF EXISTS record_counts_changed()",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"record counts: no triggers written for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    # The records stored so far (the triggers count every change from now on).
    schema_editor.execute(
        "INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n) "
        "SELECT status, outcome, outcome_ids, decided_at IS NOT NULL, COUNT(*) "
        "FROM assessment_record GROUP BY 1, 2, 3, 4"
    )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0014_reports_event_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=30)),
                ("outcome", models.CharField(max_length=20)),
                ("outcome_ids", models.CharField(max_length=500)),
                ("decided", models.BooleanField()),
                ("n", models.IntegerField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
