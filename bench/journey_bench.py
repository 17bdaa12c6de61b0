"""Complete respondent journeys under Locust (headless), then an integrity check.

    python bench/journey_bench.py [--db sqlite|postgres|both] [--users 16] [--seconds 20]

Serves the app under gunicorn with production settings (bench/server.py), runs
`bench/locustfile.py` headless with N users for a fixed time (each user finishes the journey it
is in), prints Locust's figures, then checks what was stored: every completed journey is
exactly one intact record with the outcome its path must give, as many submitted drafts as
records, and no private link in the access log. Exit status 1 on any failed request or problem.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import ROOT, Skipped, served


def choose_paths(per_kind: int = 4) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """A few paths per outcome kind, interleaved so consecutive journeys differ."""
    from assessment import engine
    from assessment.questionnaire import load

    chosen: dict[str, list] = defaultdict(list)
    for n, evaluation in enumerate(engine.enumerate_paths(load())):
        assert evaluation.result is not None
        kind = evaluation.result.kind
        if len(chosen[kind]) < per_kind:
            steps = [
                (s.question.id, list(s.value) if isinstance(s.value, tuple) else [s.value])
                for s in evaluation.path
            ]
            chosen[kind].append((kind, steps))
        if n > 20_000 or (len(chosen) == 3 and all(len(v) >= per_kind for v in chosen.values())):
            break
    return [path for group in zip(*chosen.values(), strict=False) for path in group]


def check_records(completed: list[tuple[str, str]], access_log: Path) -> list[str]:
    from assessment.models import Draft, Record

    problems = []
    tokens = [token for token, _ in completed]
    if len(set(tokens)) != len(tokens):
        problems.append("a token completed twice")
    records = {record.token: record for record in Record.objects.all()}
    if len(records) != len(completed):
        problems.append(f"{len(records)} records stored for {len(completed)} completed journeys")
    for token, kind in completed:
        record = records.get(token)
        if record is None:
            problems.append(f"journey {token[:6]}…: no record")
        elif record.outcome != kind:
            problems.append(f"{record.reference}: outcome {record.outcome}, path gives {kind}")
        elif record.integrity_problems():
            problems.append(f"{record.reference}: {record.integrity_problems()}")
    submitted = Draft.objects.filter(submitted_at__isnull=False).count()
    if submitted != len(records):
        problems.append(f"{submitted} submitted drafts for {len(records)} records")
    log = access_log.read_text() if access_log.exists() else ""
    leaked = sum(1 for token in tokens if token in log)
    if leaked:
        problems.append(f"{leaked} private links appear in the access log")
    print(
        f"integrity: {len(records)} records for {len(completed)} completed journeys; "
        f"access log lines: {log.count(chr(10))}, private links in it: {leaked}"
    )
    return problems


def run_one(database: str, args: argparse.Namespace) -> int:
    try:
        with served(database) as app:
            paths_file = app.workdir / "paths.json"
            paths_file.write_text(json.dumps(choose_paths()))
            journey_log = app.workdir / "journeys.txt"
            journey_log.touch()
            locust = Path(sys.executable).parent / "locust"
            run = subprocess.run(
                [
                    str(locust),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    app.base_url,
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.users),
                    "-t",
                    f"{args.seconds}s",
                    "--stop-timeout",
                    "120",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={
                    **os.environ,
                    "JOURNEY_PATHS": str(paths_file),
                    "JOURNEY_LOG": str(journey_log),
                },
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            print(f"\n{database}: Locust, {args.users} users, {args.seconds} s")
            print(run.stdout[-4000:] or run.stderr[-4000:])
            completed = [
                (token, kind)
                for token, kind in (line.split() for line in journey_log.read_text().splitlines())
            ]
            print(f"journeys completed: {len(completed)} ({len(completed) / args.seconds:.1f}/s)")
            problems = check_records(completed, app.access_log)
    except Skipped as skipped:
        print(f"SKIPPED: the {database} run: {skipped}")
        return 0
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems or run.returncode != 0 or not completed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    if args.db != "both":
        return run_one(args.db, args)
    status = 0
    for database in ("sqlite", "postgres"):
        argv = ["--users", str(args.users), "--seconds", str(args.seconds)]
        sys.stdout.flush()
        status |= subprocess.run(
            [sys.executable, __file__, "--db", database, *argv], cwd=ROOT
        ).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
