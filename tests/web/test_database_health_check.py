"""The PostgreSQL backend's health check (config/postgresql): an idle, healthy connection passes
it without a round trip, and one the server closed is still found and replaced before a query
uses it (issue 15)."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def usable_afterwards() -> Iterator[None]:
    """Whatever a test did to it, the next test gets a working connection."""
    yield
    if connection.connection is not None and not connection.is_usable():
        connection.close()


@pytest.fixture
def selects_one(monkeypatch) -> list[int]:
    """Counts Django's own check (SELECT 1), which still runs as it would."""
    calls: list[int] = []
    real = PostgreSQLDatabaseWrapper.is_usable

    def counting(self) -> bool:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(PostgreSQLDatabaseWrapper, "is_usable", counting)
    return calls


def another_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


def new_request() -> None:
    """What the start of a request does to a kept connection: its health check is due again."""
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None
    assert not connection.health_check_done  # type: ignore[attr-defined]


def wait_until_readable(fd: int) -> None:
    deadline = time.monotonic() + 10
    while not select.select([fd], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server said nothing"


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return pid


def test_an_idle_healthy_connection_passes_without_a_round_trip(selects_one):
    pid = backend_pid()
    kept = connection.connection
    new_request()
    assert backend_pid() == pid
    assert connection.connection is kept
    assert connection.health_check_done
    assert selects_one == []


def test_a_connection_the_server_closed_is_replaced_before_a_query_uses_it(selects_one):
    pid = backend_pid()
    closed = connection.connection
    with another_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    wait_until_readable(closed.fileno())  # the server's farewell
    new_request()
    assert backend_pid() != pid  # no error: the query went to a new connection
    assert connection.connection is not closed
    assert selects_one == [1]  # the farewell sent it to Django's check, which failed


def test_when_the_server_says_something_harmless_django_checks_and_keeps_the_connection(
    selects_one,
):
    pid = backend_pid()
    kept = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("LISTEN health_check_test")
    try:
        with another_connection() as other:
            other.execute("NOTIFY health_check_test")
        wait_until_readable(kept.fileno())
        new_request()
        assert backend_pid() == pid
        assert connection.connection is kept
        assert selects_one == [1]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UNLISTEN *")


def test_after_an_error_django_checks_the_connection_as_before(selects_one):
    backend_pid()
    connection.errors_occurred = True
    connection.close_if_unusable_or_obsolete()
    assert selects_one == [1]
    assert not connection.errors_occurred
