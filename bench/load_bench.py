"""Load bench: complete respondent journeys against gunicorn with production settings.

    python bench/load_bench.py [--db sqlite|postgres|both] [--connections 16] [--journeys 320]
                               [--seconds 5]

For each database it creates a fresh one (a SQLite file, or a `bench_*` PostgreSQL database
that it drops afterwards), migrates, collects static files into a temporary STATIC_ROOT and
starts `gunicorn -c config/gunicorn.py` (2 workers, DEBUG off, a generated secret key). Then,
from separate driver processes, it runs three phases over N concurrent connections (a new TCP
connection per request: gunicorn's sync workers close after each response):

1. journeys: home, start, details, every question of a path, check, submit, result; the paths
   come from `engine.enumerate_paths`, so every outcome kind occurs; every fifth journey
   submits twice (a double click) to prove that no record is duplicated;
2. ping: GET /bench/ping, a minimal Django view behind the full middleware stack, added by a
   bench-only URLconf (production code has no such view);
3. question: GET of a question page (a draft per connection);
phases 2 and 3 alternate in four short rounds, so background load weighs on both alike.

It prints journeys/s, p50/p99 per page, errors, the question page's throughput as a ratio of
the ping's, then checks that every completed journey is exactly one stored, intact record with
the outcome its path must give, and that no private link reached the access log. Where the
target (ratio >= 0.3, p99 < 30 ms) is missed, it prints where a question-page request's time
goes (view, template, queries, middleware) and cProfile's top 15. Exit status 1 on any error,
lost journey or record mismatch; a missed target is reported, not failed (it depends on the
machine). The PostgreSQL run needs a server at BENCH_PG_ADMIN_URL (default
postgres://postgres@127.0.0.1:5432/postgres) and is skipped without one.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import multiprocessing
import os
import pstats
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.3
TARGET_P99_MS = 30.0
PROFILED_REQUESTS = 20
ROUNDS = 4  # of ping then question page, each seconds / ROUNDS long
SHOWN = re.compile(rb'<input[^>]*name="shown"[^>]*value="([^"]*)"')
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")

BENCH_SETTINGS = '''
"""Production settings with one change: the URLconf below, which adds /bench/ping."""
from config.settings.base import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
'''
BENCH_URLS = """
from django.http import HttpResponse
from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401


def ping(request):
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [path("bench/ping", ping), path("", include("config.urls"))]
"""


# ---------------------------------------------------------------- HTTP client (driver side)


class Client:
    """One connection per request (gunicorn's sync workers close after each response)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> tuple[int, str, float, bytes]:
        """Returns (status, Location header, milliseconds including connect, body)."""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Connection: close",
            "User-Agent: load-bench",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: http://127.0.0.1:{self.port}",
            ]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        elapsed = (time.perf_counter() - started) * 1000
        head_bytes, _, content = b"".join(chunks).partition(b"\r\n\r\n")
        head = head_bytes.decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        location = ""
        for line in head[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "location":
                location = value
            elif name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return status, location, elapsed, content


class Tally:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def call(
        self,
        client: Client,
        label: str,
        method: str,
        path: str,
        expect: int,
        form: list[tuple[str, str]] | None = None,
    ) -> tuple[str, bytes] | None:
        """Makes the request; returns (Location, body), or None on an error."""
        try:
            status, location, ms, body = client.request(method, path, form)
        except OSError as error:
            self.errors.append(f"{label}: {error!r}")
            return None
        self.samples[label].append(ms)
        if status != expect:
            self.errors.append(f"{label}: HTTP {status} (expected {expect})")
            return None
        return location, body


def token_from(location: str) -> str:
    return location.split("/a/", 1)[1].split("/", 1)[0]


def journey(client: Client, tally: Tally, path: list, double_submit: bool) -> str | None:
    """One respondent's complete journey; returns the token once the result page shows."""
    if tally.call(client, "home GET", "GET", "/", 200) is None:
        return None
    csrf = [("csrfmiddlewaretoken", client.cookies.get("csrftoken", ""))]
    started = tally.call(client, "start POST", "POST", "/start/", 302, csrf)
    if started is None:
        return None
    token = token_from(started[0])
    base = f"/a/{token}"
    if tally.call(client, "details GET", "GET", f"{base}/details/", 200) is None:
        return None
    details = [
        ("respondent_name", "Bench Respondent"),
        ("respondent_email", "bench@example.com"),
        ("organisation", "Bench Ltd"),
        ("project_name", "Load bench"),
        ("project_description", "A journey driven by the load bench."),
    ]
    if tally.call(client, "details POST", "POST", f"{base}/details/", 302, csrf + details) is None:
        return None
    for question_id, values in path:
        page = f"{base}/q/{question_id}/"
        if tally.call(client, "question GET", "GET", page, 200) is None:
            return None
        answer = [("answer", value) for value in values]
        if tally.call(client, "question POST", "POST", page, 302, csrf + answer) is None:
            return None
    check = tally.call(client, "check GET", "GET", f"{base}/check/", 200)
    if check is None:
        return None
    # The check page's fingerprint of what it showed; submitting without it is refused.
    shown = SHOWN.search(check[1])
    if shown is None:
        tally.errors.append("check GET: no 'shown' field")
        return None
    submit = [*csrf, ("shown", html.unescape(shown.group(1).decode()))]
    for _ in range(2 if double_submit else 1):
        if tally.call(client, "submit POST", "POST", f"{base}/check/", 302, submit) is None:
            return None
    if tally.call(client, "result GET", "GET", f"{base}/result/", 200) is None:
        return None
    return token


def drive(job: dict) -> dict:
    """A driver process: `threads` connections, each running the three phases in turn."""
    port, paths, threads = job["port"], job["paths"], job["threads"]
    tallies = [Tally() for _ in range(threads)]
    completed: list[list[tuple[str, str]]] = [[] for _ in range(threads)]
    barrier = threading.Barrier(threads)
    phase_seconds: dict[str, float] = {}

    def connection(index: int) -> None:
        tally, client = tallies[index], Client(port)
        number = job["offset"] + index
        # Phase 1: journeys, spread over the paths so that every outcome kind occurs.
        barrier.wait()
        started = time.perf_counter()
        for n in range(job["journeys_each"]):
            kind, path = paths[(number + n * job["stride"]) % len(paths)]
            token = journey(Client(port), tally, path, double_submit=(number + n) % 5 == 0)
            if token:
                completed[index].append((token, kind))
        barrier.wait()
        if index == 0:
            phase_seconds["journeys"] = time.perf_counter() - started
        # A draft of its own for the question page phase, its details filled in.
        client.request("GET", "/")
        csrf = [("csrfmiddlewaretoken", client.cookies.get("csrftoken", ""))]
        location = client.request("POST", "/start/", csrf)[1]
        details = [("respondent_name", "B"), ("respondent_email", "b@example.com")]
        token = token_from(location)
        client.request("POST", f"/a/{token}/details/", [*csrf, *details, ("project_name", "B")])
        question_page = f"/a/{token}/q/{paths[0][1][0][0]}/"
        # The two throughput phases alternate in short rounds, so a change in the machine's
        # background load weighs on both alike rather than on whichever ran during it.
        phases = (("ping GET", "/bench/ping"), ("question GET (phase)", question_page))
        for _ in range(ROUNDS):
            for label, page in phases:
                barrier.wait()
                deadline = time.perf_counter() + job["seconds"] / ROUNDS
                while time.perf_counter() < deadline:
                    tally.call(client, label, "GET", page, 200)

    workers = [threading.Thread(target=connection, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    samples: dict[str, list[float]] = defaultdict(list)
    for tally in tallies:
        for label, values in tally.samples.items():
            samples[label].extend(values)
    return {
        "samples": dict(samples),
        "errors": [error for tally in tallies for error in tally.errors],
        "completed": [item for items in completed for item in items],
        "journey_seconds": phase_seconds.get("journeys", 0.0),
    }


# ---------------------------------------------------------------- server side (orchestrator)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(workdir: Path, database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASSESSMENT_"))}
    env.update(
        {
            "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            # Every journey comes from 127.0.0.1, so the per-client limit must not apply.
            "ASSESSMENT_DRAFTS_PER_HOUR": "1000000000",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": str(workdir / "access.log"),
            "GUNICORN_MAX_REQUESTS": "0",
        }
    )
    return env


def choose_paths(limit_per_kind: int = 4) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """A few paths per outcome kind, as (kind, [(question id, [values])])."""
    from assessment import engine
    from assessment.questionnaire import CURRENT_VERSION, load

    chosen: dict[str, list] = defaultdict(list)
    for n, evaluation in enumerate(engine.enumerate_paths(load(CURRENT_VERSION))):
        assert evaluation.result is not None, "enumerate_paths yields complete paths"
        kind = evaluation.result.kind
        if len(chosen[kind]) < limit_per_kind:
            steps = [
                (s.question.id, list(s.value) if isinstance(s.value, tuple) else [s.value])
                for s in evaluation.path
            ]
            chosen[kind].append((kind, steps))
        if n > 20_000 or (
            len(chosen) == 3 and all(len(v) >= limit_per_kind for v in chosen.values())
        ):
            break
    # Interleave the kinds, so consecutive journeys differ.
    return [p for group in zip(*chosen.values(), strict=False) for p in group]


def start_server(env: dict[str, str], port: int, workdir: Path) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not come up:\n{(workdir / 'gunicorn.log').read_text()}")


def profile_question_page(token: str, question_id: str) -> str:
    """Warmed-up requests in this process: a split of the time, then cProfile's top 15.

    Averaged over a few requests, so the figures are per request but not lost in the noise.
    """
    import inspect

    from django.db import connection
    from django.test import Client as DjangoClient
    from django.urls import resolve

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    page = f"/a/{token}/q/{question_id}/"
    client.get(page)  # warm: templates compiled, questionnaire loaded, connection open
    query_ms: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            query_ms.append((time.perf_counter() - started) * 1000)

    profiler = cProfile.Profile()
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        profiler.enable()
        statuses = {client.get(page).status_code for _ in range(PROFILED_REQUESTS)}
        profiler.disable()
        total_ms = (time.perf_counter() - started) * 1000 / PROFILED_REQUESTS
    # pstats' table by (file, line, function), which typeshed does not declare.
    table: dict[tuple[str, int, str], tuple] = vars(pstats.Stats(profiler))["stats"]
    view = inspect.unwrap(resolve(page).func).__code__

    def cumulative_ms(filename_part: str, function: str) -> float:
        return (
            1000
            / PROFILED_REQUESTS
            * sum(
                ct
                for (filename, _, name), (_, _, _, ct, _) in table.items()
                if filename.endswith(filename_part) and name == function
            )
        )

    view_ms = cumulative_ms(view.co_filename, view.co_name)
    template_ms = cumulative_ms("django/template/loader.py", "render_to_string")
    lines = [
        f"GET {page} -> {sorted(statuses)}, in process, under the profiler, per request "
        f"(mean of {PROFILED_REQUESTS}): {total_ms:.2f} ms in all; the view "
        f"{view_ms:.2f} ms, of which template rendering {template_ms:.2f} ms and "
        f"{len(query_ms) / PROFILED_REQUESTS:.0f} queries "
        f"{sum(query_ms) / PROFILED_REQUESTS:.2f} ms; middleware, URL routing and the test "
        f"client {total_ms - view_ms:.2f} ms.",
        f"{'own ms':>8} {'cum ms':>8} {'calls':>6}  function (top 15 by own time)",
    ]
    top = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:15]
    for (filename, line, name), (_, calls, own, cumulative, _) in top:
        where = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        lines.append(
            f"{1000 * own / PROFILED_REQUESTS:8.3f} {1000 * cumulative / PROFILED_REQUESTS:8.3f} "
            f"{calls // PROFILED_REQUESTS:6d}  {where}:{line}({name})"
        )
    return "\n".join(lines)


def report(
    name: str, results: list[dict], journeys_wanted: int, connections: int, seconds: float
) -> dict:
    samples: dict[str, list[float]] = defaultdict(list)
    for result in results:
        for label, values in result["samples"].items():
            samples[label].extend(values)
    errors = [error for result in results for error in result["errors"]]
    completed = [item for result in results for item in result["completed"]]
    journey_seconds = max(result["journey_seconds"] for result in results)
    phase = {label: len(samples[label]) / seconds for label in ("ping GET", "question GET (phase)")}
    ratio = phase["question GET (phase)"] / phase["ping GET"] if phase["ping GET"] else 0.0
    p99 = percentile(samples["question GET (phase)"], 99)

    print(f"\n== {name}: {connections} connections, 2 gunicorn workers ==")
    print(
        f"journeys: {len(completed)}/{journeys_wanted} completed in {journey_seconds:.1f}s = "
        f"{len(completed) / journey_seconds:.1f} journeys/s"
    )
    print(f"{'page':24} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for label in sorted(samples):
        values = samples[label]
        print(
            f"{label:24} {len(values):8d} "
            f"{percentile(values, 50):8.1f} {percentile(values, 99):8.1f}"
        )
    print(
        f"throughput: ping {phase['ping GET']:.0f} req/s, question page "
        f"{phase['question GET (phase)']:.0f} req/s, ratio {ratio:.2f} (target >= {TARGET_RATIO})"
    )
    print(
        f"question page p99 at {connections} connections: {p99:.1f} ms (target < {TARGET_P99_MS})"
    )
    print(f"errors: {len(errors)}")
    for error in sorted(set(errors))[:10]:
        print(f"  {error} (x{errors.count(error)})")
    return {"completed": completed, "errors": errors, "ratio": ratio, "p99": p99}


def check_records(completed: list[tuple[str, str]], access_log: Path) -> list[str]:
    from assessment.models import Draft, Record

    problems = []
    tokens = [token for token, _ in completed]
    if len(set(tokens)) != len(tokens):
        problems.append("a token completed twice")
    records = {r.token: r for r in Record.objects.all()}
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
        f"records: {len(records)} stored for {len(completed)} completed journeys; "
        f"access log lines: {log.count(chr(10))}, private links in it: {leaked}"
    )
    return problems


def run_one(database: str, args: argparse.Namespace) -> int:
    """One database's run, in this process (Django is set up once per process)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"load-bench-{database}-"))
    (workdir / "bench_settings.py").write_text(BENCH_SETTINGS)
    (workdir / "bench_urls.py").write_text(BENCH_URLS)
    port = free_port()
    pg_name = None
    if database == "postgres":
        import psycopg

        try:
            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            print(f"SKIPPED: the PostgreSQL run: no server at {PG_ADMIN_URL} ({error})")
            return 0
        pg_name = f"bench_{secrets.token_hex(4)}"
        admin.execute(f'CREATE DATABASE "{pg_name}"')
        database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = bench_env(workdir, database_url, port)
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            subprocess.run([*manage, *command, "-v", "0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        sys.path[:0] = [str(workdir), str(ROOT)]
        import django

        django.setup()
        paths = choose_paths()
        server = start_server(env, port, workdir)

        processes = max(1, min(args.processes, args.connections))
        per_process = [args.connections // processes] * processes
        for i in range(args.connections % processes):
            per_process[i] += 1
        journeys_each = max(1, args.journeys // args.connections)
        jobs, offset = [], 0
        for threads in per_process:
            jobs.append(
                {
                    "port": port,
                    "paths": paths,
                    "threads": threads,
                    "offset": offset,
                    "stride": args.connections,
                    "journeys_each": journeys_each,
                    "seconds": args.seconds,
                }
            )
            offset += threads
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = pool.map(drive, jobs)
        summary = report(
            f"{database} ({database_url.split('://')[0]})",
            results,
            journeys_each * args.connections,
            args.connections,
            args.seconds,
        )
        server.terminate()
        server.wait(timeout=30)
        server = None

        problems = check_records(summary["completed"], workdir / "access.log")
        for problem in problems:
            print(f"PROBLEM: {problem}")
        missed = summary["ratio"] < TARGET_RATIO or summary["p99"] >= TARGET_P99_MS
        if missed:
            print("\nTarget missed; where the time goes in one question page request:")
            from assessment.models import Draft

            draft = Draft.objects.filter(submitted_at__isnull=True).exclude(project_name="").first()
            if draft is not None:
                print(profile_question_page(draft.token, paths[0][1][0][0]))
        lost = len(summary["completed"]) != journeys_each * args.connections
        return 1 if summary["errors"] or problems or lost else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if pg_name:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--journeys", type=int, default=320, help="total, over all connections")
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput phase")
    parser.add_argument("--processes", type=int, default=2, help="driver processes")
    args = parser.parse_args()
    if args.db != "both":
        return run_one(args.db, args)
    # One process per database: Django's settings are fixed once set up.
    status = 0
    for database in ("sqlite", "postgres"):
        options = {
            "--connections": args.connections,
            "--journeys": args.journeys,
            "--seconds": args.seconds,
            "--processes": args.processes,
        }
        argv = [str(item) for pair in options.items() for item in pair]
        sys.stdout.flush()
        status |= subprocess.run(
            [sys.executable, __file__, "--db", database, *argv], cwd=ROOT
        ).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
