"""Where the machine's CPU time went during a bench run: the app's gunicorn processes, the
PostgreSQL server's, and the rest (the load tool, the kernel's network work, anything else).

A page's throughput ratio against the minimal view says how much more a page costs; this says
who pays it. On PostgreSQL the database shares the machine with the app, so a page's
statements cost twice: in the worker that sends them and in the server that runs them.

Read from Linux's /proc; elsewhere `snapshot()` returns None and the bench prints no split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True)
class Snapshot:
    ticks: dict[int, tuple[str, int]]  # pid -> (who, CPU ticks so far)
    machine: int  # every CPU's ticks, idle included


@dataclass
class Split:
    """CPU seconds per side, summed over runs."""

    app: float = 0.0
    database: float = 0.0
    machine: float = 0.0  # every core's time, idle included

    def add(self, before: Snapshot | None, after: Snapshot | None) -> None:
        if before is None or after is None:
            return
        tick = os.sysconf("SC_CLK_TCK")
        spent = {"app": 0, "database": 0}
        for pid, (who, ticks) in after.ticks.items():
            if who in spent:
                # A process that started during the run (a new PostgreSQL backend) from zero.
                spent[who] += ticks - before.ticks.get(pid, (who, 0))[1]
        self.app += spent["app"] / tick
        self.database += spent["database"] / tick
        self.machine += (after.machine - before.machine) / tick

    def per_request_us(self, requests: int) -> tuple[float, float, float] | None:
        """Microseconds of CPU per request: the app's, the database's, the rest's."""
        if not requests or not self.machine:
            return None
        app, database = self.app / requests * 1e6, self.database / requests * 1e6
        return app, database, self.machine / requests * 1e6 - app - database


def snapshot() -> Snapshot | None:
    stat = _PROC / "stat"
    if not stat.exists():
        return None
    machine = sum(int(value) for value in stat.read_text().split("\n", 1)[0].split()[1:])
    ticks = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        name = fields[fields.index("(") + 1 : fields.rindex(")")]
        if b"gunicorn" in command:
            who = "app"
        elif name.startswith("postgres"):
            who = "database"
        else:
            continue
        # utime and stime: the 14th and 15th fields, the 12th and 13th after the command name.
        after_name = fields.rsplit(")", 1)[1].split()
        ticks[int(entry.name)] = (who, int(after_name[11]) + int(after_name[12]))
    return Snapshot(ticks, machine)
