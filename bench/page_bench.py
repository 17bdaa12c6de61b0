"""Page throughput and latency under `wrk`: the respondent's pages against a minimal view.

    python bench/page_bench.py [--db sqlite|postgres|both] [--seconds 3] [--rounds 3]
                               [--connections 16]

Serves the app under gunicorn with production settings (bench/server.py: 2 workers, a fresh
database), seeds one draft per connection, gives PostgreSQL the statistics autovacuum would
(`server.analyze`), then runs `wrk` (Debian package) with
`bench/wrk/rotate.lua` against five targets, alternated in short rounds so background load
weighs on all alike:

- ping: a minimal Django view behind the full middleware stack (the yardstick);
- question GET: a question page of a draft with details;
- question POST: a valid answer to it, which saves and redirects (302);
- check: "Check your answers" of a complete draft;
- result: the result page of a submitted assessment, 16 records on one route;
- result, 512 routes: the same page of 512 records on routes with outcomes of every kind, as
  respondents' results come: each page is assembled from parts drawn once per process (its
  frame, findings, trace and answers: views/respondent/result_cache.py), so this shows what
  the variety of routes costs.

It prints, per target, requests/s, p50 and p99 over the rounds, and the ratio to the ping, with
each target (question GET and POST at least 0.5x and p99 under 25 ms; check and both result
targets, at least 0.35x). A socket error or an unexpected status fails the run (exit 1); a missed
target is reported, not failed (it depends on the machine and what else runs on it).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import Split, snapshot
from bench.server import ROOT, Served, Skipped, analyze, served

LUA = ROOT / "bench" / "wrk" / "rotate.lua"
CSRF = "benchcsrfsecretbenchcsrfsecret00"  # 32 characters: Django's unmasked cookie secret
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) p50=([\d.]+) p99=([\d.]+) "
    r"socket_errors=(\d+) bad_status=(\d+)"
)


@dataclass
class Target:
    name: str
    paths: list[str]
    method: str = "GET"
    body: str | None = None
    status: int = 200
    ratio: float | None = None  # the least throughput, as a ratio of the ping's
    p99_ms: float | None = None  # the most p99 latency
    requests: int = 0
    seconds: float = 0.0
    p50s: list[float] = field(default_factory=list)
    p99s: list[float] = field(default_factory=list)
    errors: int = 0
    authorization: str | None = None  # an Authorization header (the API gate bench)
    cpu: Split = field(default_factory=Split)  # where the machine's CPU went (bench/machine.py)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def seed(connections: int) -> list[Target]:
    """One draft per connection for the question page, a complete draft, a submitted one."""
    from assessment import engine
    from assessment.questionnaire import load
    from assessment.services import drafts, submission

    details = {
        "respondent_name": "Bench Respondent",
        "respondent_email": "bench@example.com",
        "organisation": "Bench",
        "project_name": "Throughput",
        "project_description": "",
    }
    questionnaire = load()
    complete = next(engine.enumerate_paths(questionnaire)).answers
    first = questionnaire.questions[questionnaire.first]
    first_value = complete[first.id]

    def draft(answers: dict) -> str:
        started = drafts.start_draft(client_address="127.0.0.1")
        drafts.save_details(token=started.token, details=details)
        if answers:
            started.answers = answers
            started.save(update_fields=["answers"])
        return started.token

    question_paths = [f"/a/{draft({})}/q/{first.id}/" for _ in range(connections)]
    check_paths = [f"/a/{draft(complete)}/check/" for _ in range(connections)]

    def submitted(answers: dict) -> str:
        token = draft(answers)
        submission.submit(draft=drafts.open_draft(token))
        return f"/a/{token}/result/"

    result_paths = [submitted(complete) for _ in range(connections)]
    # The outcomes take turns (permitted paths are about 1 in 1,000, so a plain sample has none).
    count = 512
    by_outcome: dict[str, list[dict]] = collections.defaultdict(list)
    for path in itertools.islice(engine.enumerate_paths(questionnaire), 100_000):
        if path.result is not None:  # every enumerated path is complete; mypy cannot know
            by_outcome[path.result.kind].append(path.answers)
    in_turn = itertools.chain.from_iterable(itertools.zip_longest(*by_outcome.values()))
    routes = [answers for answers in in_turn if answers is not None][:count]
    many_routes_paths = [submitted(answers) for answers in routes]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, "answer": first_value}, doseq=True)
    return [
        Target("ping", ["/bench/ping"]),
        Target("question GET", question_paths, ratio=0.5, p99_ms=25),
        Target("question POST", question_paths, "POST", body, status=302, ratio=0.5, p99_ms=25),
        Target("check", check_paths, ratio=0.35),
        Target("result", result_paths, ratio=0.35),
        Target("result, 512 routes", many_routes_paths, ratio=0.35),
    ]


def run_wrk(served_app: Served, target: Target, seconds: int, connections: int) -> None:
    paths_file = served_app.workdir / f"paths-{target.name.replace(' ', '-')}.txt"
    paths_file.write_text("\n".join(target.paths) + "\n")
    env = {
        **os.environ,
        "WRK_PATHS": str(paths_file),
        "WRK_METHOD": target.method,
        "WRK_COOKIE": f"csrftoken={CSRF}",
        "WRK_STATUS": str(target.status),
    }
    if target.body is not None:
        env["WRK_BODY"] = target.body
    if target.authorization is not None:
        env["WRK_AUTHORIZATION"] = target.authorization
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    before = snapshot()
    completed = subprocess.run(
        [*command, "-s", str(LUA), served_app.base_url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    target.cpu.add(before, snapshot())
    found = RESULT.search(completed.stdout)
    if not found:
        raise SystemExit(f"wrk failed on {target.name}:\n{completed.stdout}{completed.stderr}")
    requests, run_seconds, p50, p99, socket_errors, bad = found.groups()
    target.requests += int(requests)
    target.seconds += float(run_seconds)
    target.p50s.append(float(p50))
    target.p99s.append(float(p99))
    target.errors += int(socket_errors) + int(bad)


def warm_up(served_app: Served, targets: list[Target]) -> None:
    """A second of each target, not counted: the workers' first requests import and compile
    what each page needs, and would otherwise weigh on whichever target runs first (the ping,
    flattering every ratio: its p99 went to 430 ms in a one-round run)."""
    for target in targets:
        throwaway = Target(
            target.name, target.paths, target.method, target.body, target.status,
            authorization=target.authorization,
        )  # fmt: skip
        run_wrk(served_app, throwaway, 1, 4)


def run_one(database: str, args: argparse.Namespace) -> int:
    try:
        with served(database) as app:
            targets = seed(args.connections)
            analyze()
            warm_up(app, targets)
            for _ in range(args.rounds):
                for target in targets:
                    run_wrk(app, target, args.seconds, args.connections)
    except Skipped as skipped:
        print(f"SKIPPED: the {database} run: {skipped}")
        return 0
    return report(database, args, targets)


def report(database: str, args: argparse.Namespace, targets: list[Target]) -> int:
    """Each target's throughput as a ratio of the first's (the ping), its p50 and p99 (medians
    over the rounds) and its verdicts; 1 if any request failed. Shared with the API gate bench."""
    ping = targets[0].per_second
    print(
        f"\n{database}: wrk, {args.connections} connections, 2 gunicorn workers, "
        f"{args.rounds} rounds of {args.seconds:g} s per target"
    )
    # Figures mean little without the machine's load over the run.
    print("  " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(
        f"{'target':18} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'app':>5} {'db':>5} {'rest':>5}  verdict"
    )
    failed = 0
    for target in targets:
        ratio = target.per_second / ping if ping else 0.0
        p50 = statistics.median(target.p50s)
        p99 = statistics.median(target.p99s)
        verdicts = []
        if target.ratio is not None:
            met = ratio >= target.ratio
            verdicts.append(f"ratio {'met' if met else 'MISSED'} (>= {target.ratio}x)")
        if target.p99_ms is not None:
            met = p99 < target.p99_ms
            verdicts.append(f"p99 {'met' if met else 'MISSED'} (< {target.p99_ms} ms)")
        if target.errors:
            verdicts.append(f"{target.errors} ERRORS")
            failed = 1
        split = target.cpu.per_request_us(target.requests)
        cpu = " ".join(f"{value:5.0f}" for value in split) if split else f"{'-':>5} " * 2 + "    -"
        print(
            f"{target.name:18} {target.per_second:8.0f} {ratio:5.2f}x {p50:7.1f} {p99:7.1f} "
            f"{cpu}  " + ("; ".join(verdicts) or "yardstick")
        )
    print(
        "app, db, rest: the machine's CPU per request in µs, all cores: the gunicorn workers, "
        "PostgreSQL's processes on this machine, the rest (wrk, the kernel's network work, idle)"
    )
    return failed


def wrk_main(
    description: str, script: str, run_one: Callable[[str, argparse.Namespace], int]
) -> int:
    """The command line of a `wrk` bench: `run_one` on one database, or on each in its own
    process (Django's settings are fixed once set up). Shared by the page and API gate benches."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=3, help="per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("SKIPPED: wrk is not installed (Debian package `wrk`)")
        return 0
    if args.db != "both":
        return run_one(args.db, args)
    status = 0
    for database in ("sqlite", "postgres"):
        argv = [
            "--seconds", str(args.seconds), "--rounds", str(args.rounds),
            "--connections", str(args.connections),
        ]  # fmt: skip
        sys.stdout.flush()
        status |= subprocess.run(
            [sys.executable, script, "--db", database, *argv], cwd=ROOT
        ).returncode
    return status


def main() -> int:
    return wrk_main(__doc__.split("\n\n")[0], __file__, run_one)


if __name__ == "__main__":
    sys.exit(main())
