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
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg import pq


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    # health_check_enabled and health_check_done are Django's (BaseDatabaseWrapper.__init__ and
    # connect()); django-stubs does not declare them.
    health_check_enabled: bool
    health_check_done: bool

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


def _readable(fd: int) -> bool:
    """Whether the socket has something to read (or hung up, or failed), without waiting."""
    if hasattr(select, "poll"):  # no FD_SETSIZE limit, unlike select()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)
