"""Lookups the ORM compiles once, then runs straight on a cursor: the API gate's reads, and the
respondent's pages' (the private link's row, the result page's record with its conversation).

Building a statement through the ORM, or RawQuerySet's set-up on every call (column order,
converters), cost several times running the statement itself, on every call of the API gate
(issue 13). A `Lookup` compiles its queryset once per database vendor, keeps the SQL and the
converters the ORM chose for each column, and on each call executes the SQL, converts the row
as the ORM would, and builds the model instances with `Model.from_db`, as the ORM does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True)
class _Statement:
    sql: str
    converters: dict[int, tuple[list[Any], Any]]  # column -> (converters, its expression)


class Lookup:
    """One row of `build()`'s queryset, as instances of `models` (the queryset's model, then
    each select_related one, in the order the ORM selects their columns), then the values of
    its `annotations` (how many it has), converted as the ORM converts them. `placeholders` are
    the parameters `build()` filters with, in the order its SQL takes them: checked once at
    compile time, so a caller's parameters never land in the wrong place."""

    def __init__(
        self,
        build: Callable[[], models.QuerySet[Any]],
        placeholders: Sequence[object],
        *models: type[models.Model],
        annotations: int = 0,
    ) -> None:
        self._build = build
        self._placeholders = list(placeholders)
        self._models = models
        self._annotations = annotations
        self._statements: dict[str, _Statement] = {}

    def _statement(self) -> _Statement:
        statement = self._statements.get(connection.vendor)
        if statement is None:
            compiler = self._build().query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            if list(params) != self._placeholders:
                raise AssertionError(f"unexpected parameters {params!r} for {sql}")
            widths = sum(len(model._meta.concrete_fields) for model in self._models)
            if len(compiler.select) != widths + self._annotations:
                raise AssertionError(
                    f"{sql} does not select exactly the fields of {self._models} "
                    f"and {self._annotations} annotations"
                )
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            statement = self._statements[connection.vendor] = _Statement(sql, converters)
        return statement

    def one(self, *params: str | int) -> tuple[Any, ...] | None:
        statement = self._statement()
        with prepared_cursor() as cursor:
            cursor.execute(statement.sql, params)
            found = cursor.fetchone()
        return None if found is None else self._instances(statement, found)

    def all(self, *params: str | int) -> list[tuple[Any, ...]]:
        """Every row, in the queryset's order."""
        statement = self._statement()
        with prepared_cursor() as cursor:
            cursor.execute(statement.sql, params)
            found = cursor.fetchall()
        return [self._instances(statement, row) for row in found]

    def _instances(self, statement: _Statement, found: Sequence[Any]) -> tuple[Any, ...]:
        row = list(found)
        for index, (converters, expression) in statement.converters.items():
            value = row[index]
            for convert in converters:
                value = convert(value, expression, connection)
            row[index] = value
        instances = []
        start = 0
        for model in self._models:
            fields = model._meta.concrete_fields
            end = start + len(fields)
            names = [field.attname for field in fields]
            instances.append(model.from_db(connection.alias, names, row[start:end]))
            start = end
        return (*instances, *row[start:])


def prepared_cursor() -> CursorWrapper:
    """A cursor whose statements PostgreSQL prepares once per connection (the backend's
    `prepared_cursor`, config/postgresql/base.py): for statements that run on every request and
    whose text never changes. Django's own cursor elsewhere (SQLite parses a statement in
    microseconds, in process)."""
    prepared = getattr(connection, "prepared_cursor", None)
    cursor: CursorWrapper = prepared() if prepared is not None else connection.cursor()
    return cursor
