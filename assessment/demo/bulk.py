"""Write many unsaved model instances at once: PostgreSQL's COPY, else bulk_create.

For the demo seeder at a million records. `bulk_create` on PostgreSQL spends most of its time
in Python quoting values (psycopg's client-side binding of the UNNEST arrays Django builds):
about 70 records a second on a small machine, hours for a million. COPY streams the rows in
psycopg's C row formatter. It returns no ids, so the ids are taken from the table's sequence
first and set on the instances, exactly as bulk_create would have set them; the rows written
are every concrete column of the instance as Django would store it, so a column added to a
model (and filled by the code that builds the instance) is copied without a change here.
"""

from __future__ import annotations

import enum
import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert `objs` (unsaved, of `model`) and set their primary keys."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    # What bulk_create does before writing: fields that fill themselves in (auto_now), and
    # foreign keys to rows that got their ids after the instance was built.
    # (Django's own _prepare_related_fields_for_save walks every field of every instance: a
    # fifth of the writer's time at a million records; only the relations matter here.)
    fields = model._meta.concrete_fields
    relations = [field for field in fields if isinstance(field, models.ForeignKey)]
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objs:
        for field in relations:
            if obj.__dict__.get(field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{model.__name__}.{field.name} points to an unsaved row")
                    obj.__dict__[field.attname] = related.pk
        for stamp in stamped:
            stamp.pre_save(obj, add=True)
    _take_ids(model, objs)
    _copy(model, objs)


def _take_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    missing = [obj for obj in objs if obj.pk is None]
    if not missing:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(missing)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk in zip(missing, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a column's value goes to COPY, when not as it is: JSON as text (as JSONField
    stores it; NULL only where the column allows it), a choices enum as its value."""
    if isinstance(field, models.JSONField):
        encoder, nullable = field.encoder, field.null

        def as_json(value: Any) -> Any:
            if value is None and nullable:
                return None
            return json.dumps(value, cls=encoder)

        return as_json
    if field.choices:
        return lambda value: value.value if isinstance(value, enum.Enum) else value
    return None


def _copy(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    from psycopg import sql

    fields = list(model._meta.concrete_fields)
    values = operator.attrgetter(*(field.attname for field in fields))
    converted = [
        (index, convert)
        for index, field in enumerate(fields)
        if (convert := _converter(field)) is not None
    ]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join([sql.Identifier(str(field.column)) for field in fields]),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objs:
            row = list(values(obj))
            for index, convert in converted:
                row[index] = convert(row[index])
            copy.write_row(row)
