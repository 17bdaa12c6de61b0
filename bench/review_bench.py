"""Reviewer dashboard benchmark: queue, search, statistics and CSV export on N seeded records.

    .venv/bin/python bench/review_bench.py [--assessments 100000] [--database sqlite|postgres|both]

For each database it creates a throwaway database (a temporary SQLite file; PostgreSQL
`bench_review_<pid>` on 127.0.0.1, created and dropped here), migrates it, seeds N assessments with
`assessment.demo.seed.seed_assessments` (what `manage.py seed_demo` runs), then, in a fresh
process, times pages through Django's test Client with a reviewer signed in: the median of
several runs of the queue's first page, a filtered search and the statistics page (target: each
under 150 ms), and one CSV export of every record (target: under 10 s) with the growth of the
process's peak memory while exporting (flat: a few MB, whatever N).
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
EXPORT_TARGET_S = 10
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

    from assessment.demo.seed import seed_assessments

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        # A throwaway file: durability is not needed while seeding.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    seed_assessments(count=count, progress=lambda done: print(f"  seeded {done:,}", end="\r"))
    print(f"  seeded {count:,} assessments in {time.perf_counter() - started:.0f} s")


def measure(database_url: str, runs: int) -> None:
    """Child process: time the pages and the export."""
    _django(database_url)
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client
    from django.test.utils import setup_test_environment

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
        client.get(url)  # warm up: imports, caches
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times)
        print(
            f"  {name:<20} median {median:7.1f} ms (min {min(times):.1f}, max {max(times):.1f}; "
            f"{median / PAGE_TARGET_MS:.2f}× the {PAGE_TARGET_MS} ms target)"
        )

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
    print(
        f"  CSV export           {elapsed:7.2f} s for {lines - 1:,} rows, {size / 1e6:.0f} MB "
        f"({elapsed / EXPORT_TARGET_S:.2f}× the {EXPORT_TARGET_S} s target); "
        f"peak memory grew {grown:.1f} MB"
    )


def _child(mode: str, database_url: str, args: argparse.Namespace) -> None:
    command = [sys.executable, __file__, f"--{mode}", database_url]
    command += ["--assessments", str(args.assessments), "--runs", str(args.runs)]
    subprocess.run(command, check=True, cwd=ROOT)


def run_sqlite(args: argparse.Namespace) -> None:
    print("SQLite")
    with tempfile.TemporaryDirectory(prefix="bench-review-") as directory:
        url = f"sqlite:///{directory}/bench.sqlite3"
        _child("seed", url, args)
        _child("measure", url, args)


def run_postgres(args: argparse.Namespace) -> None:
    import psycopg

    print("PostgreSQL")
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
            _child("seed", url, args)
            _child("measure", url, args)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7, help="Runs per page (median reported).")
    parser.add_argument("--seed", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.assessments)
    elif args.measure:
        measure(args.measure, args.runs)
    else:
        print(f"Reviewer dashboard benchmark, {args.assessments:,} assessments")
        if args.database in ("sqlite", "both"):
            run_sqlite(args)
        if args.database in ("postgres", "both"):
            run_postgres(args)


if __name__ == "__main__":
    main()
