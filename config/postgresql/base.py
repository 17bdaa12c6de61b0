"""Django's PostgreSQL backend, with a connection health check that costs no round trip when
the connection is idle and healthy (issue 15).

Used as ENGINE "config.postgresql" (config/settings/base.py puts it in place of
"django.db.backends.postgresql" when DATABASE_URL is a PostgreSQL one); everything else is
Django's backend unchanged.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request, so
that a connection the server closed while it sat idle (a restart, pg_terminate_backend, a
proxy's idle timeout) is replaced rather than failing the request. That was one extra round
trip per request, on pages that make one real query. Here the check first looks without
asking: a connection that is open, not broken and idle (no transaction) has nothing to read,
because the server speaks only when spoken to. A server that closes it says goodbye first (an
error message, then end of file), and that makes the socket readable. So if a zero-timeout
poll finds nothing to read, the connection is kept without a query; if it finds anything at
all (the farewell, or something harmless such as a NOTIFY), or the connection is not idle,
Django's own check runs (`SELECT 1`) and decides. Errors during a request (`errors_occurred`)
still lead to Django's full check, as before: only the per-request check is changed.

What no check without a round trip can see (a server host gone without closing its sockets)
SELECT 1 would not have seen quickly either: it would have waited for TCP's timeout.

`prepared_cursor()` is the other addition: a cursor for the few statements every respondent
request runs (assessment/compiled.py, the draft's answer), which PostgreSQL then parses and
plans once per connection instead of on every request (issue 15).
"""

from __future__ import annotations

import select
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

import psycopg
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from django.utils.asyncio import async_unsafe
from psycopg import pq


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    # Django's (BaseDatabaseWrapper.__init__, connect(), and the method cursor() wraps its
    # cursors with), which django-stubs does not declare.
    health_check_enabled: bool
    health_check_done: bool
    _prepare_cursor: Callable[[Any], CursorWrapper]

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()  # Django's check: SELECT 1 when still due

    def _idle_and_quiet(self) -> bool:
        """Open, idle outside a transaction, and nothing from the server waiting to be read."""
        connection = self.connection
        try:
            if connection.closed or connection.broken:
                return False
            if connection.info.transaction_status != pq.TransactionStatus.IDLE:
                return False
            return not _readable(connection.fileno())
        except (psycopg.Error, OSError, ValueError):  # Django's check decides
            return False

    @async_unsafe
    def prepared_cursor(self) -> CursorWrapper:
        """A cursor whose statements are prepared: Django's cursor (health check, connection,
        error wrapping, query logging), but with the parameters bound by the server, so that
        psycopg prepares a statement on the connection once it has run `prepare_threshold`
        times (OPTIONS; psycopg's default, 5) and PostgreSQL no longer parses and plans it.

        Parsing and planning were most of the server's work for these statements: planning
        alone took 50 µs for a record's row and 130 µs for the result page's conversation,
        whose execution takes 10-20 µs, and each round trip of the result page cost 0.2-0.3 ms
        of the server's time against 0.03-0.06 ms prepared (measured on the bench database).

        Django turns prepared statements off by default (`prepare_threshold` None) for
        connection poolers that cannot carry them (PgBouncer in transaction mode before 1.21):
        with DATABASE_PREPARED_STATEMENTS=0 the setting stays off, and this is Django's cursor.
        Only code that asks for this cursor uses it; every other statement is bound on the
        client as before, so the ORM's queries behave exactly as Django documents them."""
        if self.settings_dict["OPTIONS"].get("prepare_threshold") is None:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.queries_logged or self.execute_wrappers:
            # Django's own wrapper, which logs the statement (DEBUG, assertNumQueries) and runs
            # the execute wrappers (tests that inject database faults).
            with self.wrap_database_errors:
                wrapped: CursorWrapper = self._prepare_cursor(self._new_prepared_cursor())
            return wrapped
        kept = self._kept_cursor
        if (
            kept is None
            or kept.cursor.connection is not self.connection
            or kept.timezone != self.timezone  # TIME_ZONE changed (tests): a new loader
        ):
            with self.wrap_database_errors:
                kept = self._kept_cursor = KeptCursor(self._new_prepared_cursor(), self)
                kept.timezone = self.timezone
        return kept

    _kept_cursor: KeptCursor | None = None

    def _new_prepared_cursor(self) -> ServerBindingCursor:
        # Django's class for OPTIONS server_side_binding; django-stubs declares no arguments.
        cursor = ServerBindingCursor(self.connection)  # type: ignore[call-arg]
        # As Django's create_cursor(): the cursor's time zone when the connection's differs.
        loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
        if self.timezone != loader.timezone:
            register_tzloader(self.timezone, cursor)
        return cursor

    def _close(self) -> None:
        self._kept_cursor = None  # it belongs to the connection being closed
        super()._close()  # type: ignore[misc]  # Django's, undeclared by django-stubs


class KeptCursor(CursorWrapper):
    """The connection's one prepared-statement cursor, kept from statement to statement
    (issue 15): creating a cursor and Django's wrapper around it, and the wrapper's way through
    `execute` (its list of execute wrappers, the error wrapper built per call), cost 60-80 µs
    of a question page's worker time, a tenth of it, for each statement.

    What the wrapper does that matters here is kept: database errors come out as Django's, and
    a statement in a transaction already marked for rollback is refused. `with` does not close
    it; the connection's close drops it (`DatabaseWrapper._close`). Only `prepared_cursor`
    hands it out, and only when no statement is being logged and no execute wrapper is set."""

    db: DatabaseWrapper
    timezone: tzinfo | None = None  # the connection's when the cursor was made

    def __exit__(self, *exc_info: object) -> None:
        """Kept open for the connection's next statement."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            return self.cursor.execute(sql, params)

    def fetchone(self) -> Any:
        with self.db.wrap_database_errors:
            return self.cursor.fetchone()

    def fetchall(self) -> list[Any]:
        with self.db.wrap_database_errors:
            return self.cursor.fetchall()


def _readable(fd: int) -> bool:
    """Whether the socket has something to read (or hung up, or failed), without waiting."""
    if hasattr(select, "poll"):  # no FD_SETSIZE limit, unlike select()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)
