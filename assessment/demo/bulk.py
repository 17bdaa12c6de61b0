"""Write many rows at once: PostgreSQL's COPY, else executemany / bulk_create.

For the demo seeder at a million records. `bulk_create` on PostgreSQL spends most of its time
in Python quoting values (psycopg's client-side binding of the UNNEST arrays Django builds):
about 70 records a second on a small machine, hours for a million. COPY streams the rows in
psycopg's C row formatter.

The work is split so that most of it can run in forked worker processes with no database:
`rows()` turns unsaved model instances into tuples of column values, already in the form the
database takes (JSON as text, a choices enum as its value): every concrete column of the
instance as Django would store it, so a column added to a model (and filled by the code that
builds the instance) is copied without a change here. Primary keys come from `Ids`, taken by
the one process that writes, and `write()` sends the tuples.

`rebuilt_indexes()` is for loading a large share of a table at once: inside the seeding's one
transaction it drops the tables' secondary indexes and foreign keys, and creates them again
at the end, from their own definitions (one sort per index instead of a million inserts into
each, one join per foreign key instead of a million lookups). DDL is transactional in
PostgreSQL, so a failure anywhere rolls the drops back with the rows.
"""

from __future__ import annotations

import enum
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

Row = tuple[Any, ...]


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert `objs` (unsaved, of `model`) and set their primary keys."""
    if not objs:
        return
    ids = Ids().take(model, sum(1 for obj in objs if obj.pk is None))
    for obj in objs:
        if obj.pk is None:
            obj.pk = ids.pop(0)
        obj._state.adding = False
        obj._state.db = connection.alias
    write(model, columns(model), rows(model, objs))


def columns(model: type[models.Model]) -> list[str]:
    """The columns `rows()` fills, in its order: every concrete column."""
    return [str(field.column) for field in model._meta.concrete_fields]


def rows(model: type[models.Model], objs: Sequence[models.Model]) -> list[Row]:
    """Each instance's column values, ready for `write()`. No database access (a worker
    process may call it): foreign keys are read from related instances already given their
    ids, auto_now(_add) fields are stamped as save() would."""
    fields = model._meta.concrete_fields
    relations = [field for field in fields if isinstance(field, models.ForeignKey)]
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    names = [field.attname for field in fields]
    raw = []
    for obj in objs:
        values = obj.__dict__
        for field in relations:
            if values.get(field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{model.__name__}.{field.name} points to an unsaved row")
                    values[field.attname] = related.pk
        for stamp in stamped:
            stamp.pre_save(obj, add=True)
        raw.append(tuple(map(values.get, names)))
    return prepare(model, raw)


def value_rows(model: type[models.Model], items: Sequence[dict[str, Any]]) -> list[Row]:
    """Rows of column values (by attname, e.g. "record_id") given as dicts, without building
    model instances (a third of the seeder's time): a column missing from a dict takes the
    field's default, as a new instance would. Not yet `prepare`d."""
    fields = model._meta.concrete_fields
    defaults = [(field.attname, field.get_default()) for field in fields]
    for field in fields:
        if callable(field.default) and field.default is not models.NOT_PROVIDED:
            raise ValueError(f"{model.__name__}.{field.name}: a computed default, give a value")
    return [tuple(item.get(name, default) for name, default in defaults) for item in items]


def prepare(model: type[models.Model], raw: Sequence[Row]) -> list[Row]:
    """Column values (attname order) in the form the database takes (see `_preparer`)."""
    converters = [
        (index, convert)
        for index, field in enumerate(model._meta.concrete_fields)
        if (convert := _preparer(field)) is not None
    ]
    if not converters:
        return list(raw)
    # One conversion per object: the seeder's rows share their answers (one dict per path of
    # the questionnaire). Keyed by id(), which is safe while `raw` holds every value.
    done: dict[tuple[int, int], Any] = {}
    out = []
    for values in raw:
        row = list(values)
        for index, convert in converters:
            value = row[index]
            if isinstance(value, dict | list):
                key = (index, id(value))
                if key not in done:
                    done[key] = convert(value)
                row[index] = done[key]
            else:
                row[index] = convert(value)
        out.append(tuple(row))
    return out


def _preparer(field: models.Field) -> Callable[[Any], Any] | None:
    """How a column's value goes to the database, when not as it is."""
    if connection.vendor != "postgresql":
        # executemany takes what Django would bind (dates as SQLite stores them, JSON as text).
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.JSONField):
        # JSON as text, as JSONField stores it; NULL only where the column allows it.
        encoder, nullable = field.encoder, field.null

        def as_json(value: Any) -> Any:
            if value is None and nullable:
                return None
            return json.dumps(value, cls=encoder)

        return as_json
    if field.choices:
        return lambda value: value.value if isinstance(value, enum.Enum) else value
    return None


def write(model: type[models.Model], names: Sequence[str], values: Sequence[Row]) -> None:
    """Insert `values` (tuples in the order of `names`, e.g. from `rows()`) into the table.
    Columns left out take their database default (an id from its sequence)."""
    if not values:
        return
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        # Identifiers from the model's own metadata, quoted; the values are bound.
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        marks = ", ".join(["%s"] * len(names))
        insert_into = "INSERT INTO " + connection.ops.quote_name(table)
        with connection.cursor() as cursor:
            cursor.executemany(f"{insert_into} ({quoted}) VALUES ({marks})", values)
        return
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


class Ids:
    """Primary keys for rows about to be written, taken before the rows are built.

    PostgreSQL: from the table's sequence (safe beside other writers). Elsewhere (SQLite):
    counted on from the largest id, which is only safe inside one write transaction that
    holds the database's write lock from before the first `take` to the last insert (the
    seeder's), since nothing else can insert meanwhile."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model], count: int) -> list[int]:
        if count <= 0:
            return []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, count],
                )
                return sorted(row[0] for row in cursor.fetchall())
        if model not in self._next:
            last = model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0
            self._next[model] = last + 1
        first = self._next[model]
        self._next[model] = first + count
        return list(range(first, first + count))


@contextmanager
def rebuilt_indexes(
    models_: Sequence[type[models.Model]], keep: Collection[tuple[type[models.Model], str]] = ()
) -> Iterator[None]:
    """Drop the tables' secondary indexes and foreign keys now and create them again at the end
    (PostgreSQL; elsewhere nothing happens), except the one-column indexes named in `keep`
    as (model, column name) (a trigger may look rows up by them meanwhile). Must run inside a
    transaction: the tables stay locked against every other reader and writer until it
    commits."""
    if connection.vendor != "postgresql":
        yield
        return
    assert connection.in_atomic_block, "the drops must roll back with the rows on failure"
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        # Unique indexes stay: they are constraints (a duplicate id or reference must fail).
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary",
            [tables],
        )
        kept = {f"{model._meta.db_table} USING btree ({column})" for model, column in keep}
        indexes = [
            (index, definition)
            for index, definition in cursor.fetchall()
            if not any(definition.endswith(suffix) for suffix in kept)
        ]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # Checks still pending from earlier writes of this transaction run now (a table with
        # pending trigger events cannot be altered); Django's are deferred again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        # One sort per index: room for it (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        by_table: dict[str, list[str]] = defaultdict(list)
        for table, name, definition in foreign_keys:
            by_table[table].append(f'ADD CONSTRAINT "{name}" {definition}')
        for table, clauses in by_table.items():
            # One ALTER per table: its foreign keys are validated in one pass.
            cursor.execute(f"ALTER TABLE {table} {', '.join(clauses)}")


def compress_quickly() -> None:
    """Large values (a record's payload) compressed with LZ4 rather than the default pglz,
    several times faster to write, for the rest of this transaction (PostgreSQL built with
    LZ4; elsewhere nothing changes). Any server reads both."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
