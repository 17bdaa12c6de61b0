"""Reviewer dashboard benchmark: queue, search, statistics and CSV export on N seeded records.

    .venv/bin/python bench/review_bench.py [--assessments 1000000] [--sqlite-assessments 100000]
                                           [--database sqlite|postgres|both] [--explain]
    .venv/bin/python bench/review_bench.py --measure DATABASE_URL [--no-export]

For each database it creates a throwaway database (a temporary SQLite file; PostgreSQL
`bench_review_<pid>` on 127.0.0.1, created and dropped here), migrates it, seeds N assessments with
`assessment.demo.seed.seed_assessments` (what `manage.py seed_demo` runs: COPY and forked
workers on PostgreSQL) and prints how long that took, then, in a fresh process, times pages
through Django's test Client with a reviewer signed in: the median of several runs of the
queue's first page, a filtered search and the statistics page (target, issue 15: each under
150 ms at 1,000,000 records on PostgreSQL) with each page's query count, and one CSV export of
every record with the growth of the process's peak memory while exporting (target: flat, under
64 MB whatever N). `--explain` prints EXPLAIN ANALYZE of every query of each page (PostgreSQL).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# One database per run, so two runs at once (e.g. `make bench` and a manual run) never collide.
PG_DB = f"bench_review_{os.getpid()}"
PAGE_TARGET_MS = 150
EXPORT_MEMORY_MB = 64  # "flat": the export's peak memory growth, whatever the number of rows
PAGES = {
    "queue, first page": "/review/",
    "filtered search": "/review/?q=lovelace&outcome=review&status=decided",
    "statistics": "/review/stats/",
}


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(database_url: str, count: int) -> None:
    """Child process: migrate and seed (a separate process, so its memory is not measured)."""
    _django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from assessment.demo.seed import BATCH_SIZE, seed_assessments

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        # A throwaway file: durability is not needed while seeding.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()

    def progress(done: int) -> None:
        # A line per 100,000: a run stopped early still says how fast seeding went.
        if done % 100_000 < BATCH_SIZE or done == count:
            elapsed = time.perf_counter() - started
            print(f"  seeded {done:,} in {elapsed:.0f} s ({done / elapsed:,.0f}/s)", flush=True)

    # Two years of a working service: most records decided or closed, a modest open backlog.
    seed_assessments(count=count, days=730, progress=progress)
    seconds = time.perf_counter() - started
    print(
        f"  seeding {count:,} assessments (with their events, chained): {seconds:.0f} s, "
        f"{count / seconds:,.0f} records/s (target: minutes, not hours: "
        f"{'met' if seconds < 3600 else 'MISSED'})"
    )


def _explain(captured: list[dict[str, str]]) -> None:
    from django.db import connection

    for query in captured:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
        print(f"    {sql[:300]}\n{plan}")


def measure(database_url: str, runs: int, explain: bool = False, export: bool = True) -> None:
    """Child process: time the pages and the export."""
    _django(database_url)
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from assessment.models import Record
    from assessment.services.accounts import create_reviewer

    setup_test_environment()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    reviewer, _ = create_reviewer(
        username="bench", email="", password="bench-password-1", validate=False
    )
    from tests.review_support import sign_in

    client = Client()
    sign_in(client, reviewer)  # both factors, as the reviewer pages require
    total = Record.objects.count()
    print(f"  {connection.vendor}, {total:,} records")
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)  # warm up: imports, caches
        # A copy now: each request resets the connection's query log.
        queries = list(captured.captured_queries)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times)
        verdict = "met" if median < PAGE_TARGET_MS else "MISSED"
        print(
            f"  {name:<20} median {median:7.1f} ms (min {min(times):.1f}, max {max(times):.1f}), "
            f"{len(queries)} queries; target < {PAGE_TARGET_MS} ms at 1,000,000 on PostgreSQL: "
            f"{verdict} ({median / PAGE_TARGET_MS:.2f}x)"
        )
        if explain and connection.vendor == "postgresql":
            _explain(queries)

    if not export:
        return
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/review/export.csv")
    size = lines = 0
    assert isinstance(response, StreamingHttpResponse)
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  CSV export           {elapsed:7.2f} s for {lines - 1:,} rows, {size / 1e6:.0f} MB, "
        f"{(lines - 1) / elapsed:,.0f} rows/s; peak RSS {peak:.0f} MB, grew {grown:.1f} MB "
        f"while streaming (target: flat, < {EXPORT_MEMORY_MB} MB: "
        f"{'met' if grown < EXPORT_MEMORY_MB else 'MISSED'})"
    )


def _child(mode: str, database_url: str, args: argparse.Namespace, count: int) -> None:
    command = [sys.executable, __file__, f"--{mode}", database_url]
    command += ["--assessments", str(count), "--runs", str(args.runs)]
    command += ["--explain"] if args.explain else []
    command += ["--no-export"] if args.no_export else []
    subprocess.run(command, check=True, cwd=ROOT)


def run_sqlite(args: argparse.Namespace) -> None:
    print(f"SQLite, {args.sqlite_assessments:,} assessments")
    with tempfile.TemporaryDirectory(prefix="bench-review-") as directory:
        url = f"sqlite:///{directory}/bench.sqlite3"
        _child("seed", url, args, args.sqlite_assessments)
        _child("measure", url, args, args.sqlite_assessments)


def run_postgres(args: argparse.Namespace) -> None:
    import psycopg

    print(f"PostgreSQL, {args.assessments:,} assessments")
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        print(f"  skipped: PostgreSQL is not reachable at {PG_ADMIN_URL} ({error})")
        return
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DB}")
        try:
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
            _child("seed", url, args, args.assessments)
            _child("measure", url, args, args.assessments)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=1_000_000, help="On PostgreSQL.")
    parser.add_argument("--sqlite-assessments", type=int, default=100_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE (PostgreSQL).")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7, help="Runs per page (median reported).")
    parser.add_argument(
        "--no-export", action="store_true", help="Skip the CSV export (minutes at a million)."
    )
    parser.add_argument("--seed", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--measure",
        metavar="DATABASE_URL",
        help="Only time the pages (and the export) of this database, seeded earlier.",
    )
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.assessments)
    elif args.measure:
        measure(args.measure, args.runs, args.explain, export=not args.no_export)
    else:
        print("Reviewer dashboard benchmark")
        # PostgreSQL first: its million records are the figures issue 15 asks for.
        if args.database in ("postgres", "both"):
            run_postgres(args)
        if args.database in ("sqlite", "both"):
            run_sqlite(args)


if __name__ == "__main__":
    main()
