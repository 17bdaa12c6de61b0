"""Integrity benchmark: what keyed seals and the hash chain cost.

    .venv/bin/python bench/integrity_bench.py [--entries 100000] [--submissions 200]
                                              [--database sqlite|postgres|both]

For each database, a throwaway one (a temporary SQLite file; PostgreSQL `bench_integrity_<pid>`
at BENCH_PG_ADMIN_URL, created and dropped here), migrated, then:

- **sealing per submission**: `submission.submit()` of N complete drafts, one after another,
  and the two parts integrity adds to each: the keyed seal (HMAC of the canonical payload) and
  appending the submission's event to the chain (lock the head, HMAC, insert, sign the head);
- **verify_integrity per 100,000 entries**: demo assessments seeded in bulk (the seed chains
  their events in bulk) until the chain holds at least `--entries` entries, then one full
  check (every record's seal, every entry, the head, unchained events), scaled to 100,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = f"bench_integrity_{os.getpid()}"


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child(database_url: str, entries: int, submissions: int) -> None:
    """Runs in its own process, on one database."""
    _django(database_url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings

    from assessment.demo.seed import seed_assessments
    from assessment.models import ChainEntry, Event
    from assessment.services import integrity, submission
    from tests.factories import answers_for, make_draft

    call_command("migrate", verbosity=0)
    # Tasks (PDF renderings, emails) are queued and never run: only the submission is timed.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ).enable()
    print(f"\n{connection.vendor}:")

    # Sealing per submission.
    kinds = ["permitted", "review", "prohibited"]
    drafts = [make_draft(answers=answers_for(kinds[n % 3])) for n in range(submissions)]
    submit_ms, seal_us, chain_ms = [], [], []
    for draft in drafts:
        started = time.perf_counter()
        record = submission.submit(draft=draft)
        submit_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        integrity.seal_payload(record.payload)
        seal_us.append((time.perf_counter() - started) * 1e6)
    # The chain append alone, as a submission does it, on copies of submitted events.
    events = list(Event.objects.select_related("record").order_by("pk")[:submissions])
    for event in events:
        copy = Event(
            record=event.record,
            actor_label=event.actor_label,
            action=event.action,
            to_status=event.to_status,
            to_outcome=event.to_outcome,
            record_sha256=event.record_sha256,
        )
        with transaction.atomic():
            copy.save()
            started = time.perf_counter()
            integrity.chain_events([copy])
            chain_ms.append((time.perf_counter() - started) * 1000)
    seal_ms, append_ms = statistics.median(seal_us) / 1000, statistics.median(chain_ms)
    whole_ms = statistics.median(submit_ms)
    print(
        f"  sealing per submission (median of {submissions}): keyed seal {seal_ms * 1000:.0f} µs"
        f" + chain append {append_ms:.2f} ms = {seal_ms + append_ms:.2f} ms,"
        f" {(seal_ms + append_ms) / whole_ms:.0%} of a whole submit() ({whole_ms:.1f} ms)"
    )

    # verify_integrity per 100,000 entries.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")  # a throwaway file
    started = time.perf_counter()
    seed = 1
    while (have := ChainEntry.objects.count()) < entries:
        missing = entries - have
        seed_assessments(count=max(100, missing // 4), seed=seed)
        seed += 1
        print(f"  chained {ChainEntry.objects.count():,} entries", end="\r", flush=True)
    print(f"  seeded and chained {have:,} entries in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    report = integrity.verify_all()
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"verify_integrity failed on an honest database: {report.problems[0]}")
    print(
        f"  verify_integrity: {report.records:,} seals and {report.entries:,} entries in "
        f"{seconds:.1f} s = {seconds * 100_000 / report.entries:.1f} s per 100,000 entries"
    )


def run(database: str, entries: int, submissions: int) -> int:
    script = [sys.executable, __file__, "--child"]
    args = ["--entries", str(entries), "--submissions", str(submissions)]
    if database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="integrity-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'db.sqlite3'}"
            return subprocess.run([*script, url, *args], cwd=ROOT).returncode
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        print(f"\npostgresql: SKIPPED, no server at {PG_ADMIN_URL} ({error})")
        return 0
    with admin:
        admin.execute(f"CREATE DATABASE {PG_DB}")
        try:
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
            return subprocess.run([*script, url, *args], cwd=ROOT).returncode
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.entries, args.submissions)
        return 0
    print(
        f"Integrity bench: sealing per submission, verify_integrity over {args.entries:,}+ "
        "chain entries"
    )
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    return max(run(database, args.entries, args.submissions) for database in databases)


if __name__ == "__main__":
    sys.exit(main())
