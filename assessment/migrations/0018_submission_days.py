"""Records submitted per UTC day, kept by triggers (models/counts.py SubmissionDay): +1 for a
record inserted, -1 for one deleted, and a move when `submitted_at` changes (a test backdating
a record, SQL by hand). SQLite: row triggers; PostgreSQL: statement triggers with transition
tables. Filled from the records stored so far; reversing drops the triggers and the table."""

from django.db import migrations, models

SQLITE = [
    "CREATE TRIGGER submission_days_insert AFTER INSERT ON assessment_record BEGIN "
    "INSERT INTO assessment_submissionday (day, n) VALUES (date(NEW.submitted_at), 1); END",
    "CREATE TRIGGER submission_days_update AFTER UPDATE OF submitted_at ON assessment_record "
    "WHEN date(OLD.submitted_at) IS NOT date(NEW.submitted_at) BEGIN "
    "INSERT INTO assessment_submissionday (day, n) VALUES (date(OLD.submitted_at), -1); "
    "INSERT INTO assessment_submissionday (day, n) VALUES (date(NEW.submitted_at), 1); END",
    "CREATE TRIGGER submission_days_delete AFTER DELETE ON assessment_record BEGIN "
    "INSERT INTO assessment_submissionday (day, n) VALUES (date(OLD.submitted_at), -1); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS submission_days_insert",
    "DROP TRIGGER IF EXISTS submission_days_update",
    "DROP TRIGGER IF EXISTS submission_days_delete",
]

POSTGRES = [
    """CREATE FUNCTION submission_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO assessment_submissionday (day, n)
            SELECT (submitted_at AT TIME ZONE 'UTC')::date, COUNT(*) FROM new_rows GROUP BY 1;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO assessment_submissionday (day, n)
            SELECT (submitted_at AT TIME ZONE 'UTC')::date, -COUNT(*) FROM old_rows GROUP BY 1;
        ELSE
            INSERT INTO assessment_submissionday (day, n)
            SELECT day, SUM(n) FROM (
                SELECT (submitted_at AT TIME ZONE 'UTC')::date AS day, 1 AS n FROM new_rows
                UNION ALL
                SELECT (submitted_at AT TIME ZONE 'UTC')::date, -1 FROM old_rows
            ) AS moved GROUP BY day HAVING SUM(n) <> 0;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER submission_days_insert AFTER INSERT ON assessment_record
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION submission_days_changed()""",
    """CREATE TRIGGER submission_days_update AFTER UPDATE ON assessment_record
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION submission_days_changed()""",
    """CREATE TRIGGER submission_days_delete AFTER DELETE ON assessment_record
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION submission_days_changed()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS submission_days_insert ON assessment_record",
    "DROP TRIGGER IF EXISTS submission_days_update ON assessment_record",
    "DROP TRIGGER IF EXISTS submission_days_delete ON assessment_record",
    "DROP FUNCTION IF EXISTS submission_days_changed()",
]
FILL = {
    "sqlite": "INSERT INTO assessment_submissionday (day, n) "
    "SELECT date(submitted_at), COUNT(*) FROM assessment_record GROUP BY 1",
    "postgresql": "INSERT INTO assessment_submissionday (day, n) "
    "SELECT (submitted_at AT TIME ZONE 'UTC')::date, COUNT(*) FROM assessment_record GROUP BY 1",
}


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"submission days: no triggers written for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(FILL[vendor])


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0017_event_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="SubmissionDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("n", models.IntegerField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
