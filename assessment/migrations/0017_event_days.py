"""Review events per UTC day, kept by triggers (models/counts.py EventDay explains).

The tracked actions, the override rule and the decider are those of selectors/stats.py, written
out in SQL once here (tests recompute every figure from the events). Events are append-only in
the application, but an insert, an update (a test backdating an event, a user deleted: the
actor set to NULL) and a delete typed by hand are all counted: +1 for the row as it is, -1 for
the row as it was. SQLite: row triggers; PostgreSQL: statement triggers with transition tables. The table is filled from the
events stored so far; reversing drops the triggers and the table.
"""

from django.db import migrations, models

# Which events, and what each row is keyed by, for both databases: `e` is the new event.
TRACKED = "('confirmed', 'decided', 'overridden', 'approved', 'closed', 'proposed', 'rejected')"
OVERRIDE = (
    "(e.action = 'overridden' OR (e.action = 'approved' "
    "AND e.from_outcome IN ('permitted', 'prohibited') AND e.decision <> e.from_outcome))"
)
DECIDER = (
    "CASE WHEN e.action = 'approved' THEN (SELECT p.actor_id FROM assessment_event p "
    "WHERE p.record_id = e.record_id AND p.action = 'proposed' AND p.id < e.id "
    "ORDER BY p.id DESC LIMIT 1) ELSE e.actor_id END"
)
COLUMNS = "(day, action, decision, override, actor_id, decider_id, n)"


def _select(day: str, source: str, sign: str = "") -> str:
    """The rows for the events of `source` (a table, transition table or one row), counted
    `sign`ed: only this file's constants go into it."""
    columns = (
        f"{day} AS day, e.action AS action, e.decision AS decision, {OVERRIDE} AS override, "
        f"e.actor_id AS actor_id, {DECIDER} AS decider_id, {sign}COUNT(*) AS n"
    )
    return " ".join(
        [
            "SELECT",
            columns,
            "FROM",
            source,
            "e WHERE e.action IN",
            TRACKED,
            "GROUP BY 1, 2, 3, 4, 5, 6",
        ]
    )


def _moved(rows: list[str]) -> str:
    """Rows added (+) and removed (-) netted per key; keys that net zero are not written."""
    return " ".join(
        [
            "INSERT INTO assessment_eventday",
            COLUMNS,
            "SELECT day, action, decision, override, actor_id, decider_id, SUM(n) FROM (",
            " UNION ALL ".join(rows),
            ") AS moved GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(n) <> 0",
        ]
    )


SQLITE_DAY = "date(e.created_at)"  # stored as UTC text
POSTGRES_DAY = "(e.created_at AT TIME ZONE 'UTC')::date"


def _sqlite_row(alias: str) -> str:
    """One event row of a SQLite trigger (NEW or OLD) as a table."""
    names = ("id", "record_id", "created_at", "action", "decision", "from_outcome", "actor_id")
    return "(SELECT " + ", ".join(f"{alias}.{name} AS {name}" for name in names) + ")"


SQLITE = [
    "CREATE TRIGGER event_days_insert AFTER INSERT ON assessment_event "
    f"WHEN NEW.action IN {TRACKED} BEGIN "
    + _moved([_select(SQLITE_DAY, _sqlite_row("NEW"))])
    + "; END",
    "CREATE TRIGGER event_days_update AFTER UPDATE ON assessment_event "
    f"WHEN OLD.action IN {TRACKED} OR NEW.action IN {TRACKED} BEGIN "
    + _moved(
        [_select(SQLITE_DAY, _sqlite_row("NEW")), _select(SQLITE_DAY, _sqlite_row("OLD"), "-")]
    )
    + "; END",
    "CREATE TRIGGER event_days_delete AFTER DELETE ON assessment_event "
    f"WHEN OLD.action IN {TRACKED} BEGIN "
    + _moved([_select(SQLITE_DAY, _sqlite_row("OLD"), "-")])
    + "; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS event_days_insert",
    "DROP TRIGGER IF EXISTS event_days_update",
    "DROP TRIGGER IF EXISTS event_days_delete",
]

_ADDED = _select(POSTGRES_DAY, "new_rows")
_REMOVED = _select(POSTGRES_DAY, "old_rows", "-")
POSTGRES = [
    "CREATE FUNCTION event_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'INSERT' THEN {_moved([_ADDED])}; "
    f"ELSIF TG_OP = 'DELETE' THEN {_moved([_REMOVED])}; "
    f"ELSE {_moved([_ADDED, _REMOVED])}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER event_days_insert AFTER INSERT ON assessment_event "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION event_days_changed()",
    "CREATE TRIGGER event_days_update AFTER UPDATE ON assessment_event "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION event_days_changed()",
    "CREATE TRIGGER event_days_delete AFTER DELETE ON assessment_event "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION event_days_changed()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS event_days_insert ON assessment_event",
    "DROP TRIGGER IF EXISTS event_days_update ON assessment_event",
    "DROP TRIGGER IF EXISTS event_days_delete ON assessment_event",
    "DROP FUNCTION IF EXISTS event_days_changed()",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"event days: no trigger written for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    day = SQLITE_DAY if vendor == "sqlite" else POSTGRES_DAY
    schema_editor.execute(_moved([_select(day, "assessment_event")]))


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0016_open_records_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("action", models.CharField(max_length=30)),
                ("decision", models.CharField(max_length=20)),
                ("override", models.BooleanField()),
                ("actor_id", models.IntegerField(null=True)),
                ("decider_id", models.IntegerField(null=True)),
                ("n", models.IntegerField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
