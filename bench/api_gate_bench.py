"""API gate bench: GET /api/v1/assessments/{reference} under wrk, against a minimal view.

    python bench/api_gate_bench.py [--connections 16] [--seconds 10] [--port 8141]

It migrates a fresh SQLite database in a temporary folder, submits one assessment through the
API's own service with a read:own token and has a reviewer confirm it (so the gate answers
"cleared", the full path), then starts gunicorn with production settings (`config/gunicorn.py`,
2 sync workers, DEBUG off, a generated secret key, the access log off) plus a bench-only URL
/bench/ping: a view that returns four bytes behind the full middleware stack.

wrk then runs at N connections, first on the ping, then on the gate with the token, and the
bench prints both throughputs, the gate's latency percentiles, and its throughput as a ratio of
the ping's. Target: p99 < 20 ms at 16 connections. A missed target is reported, not failed (it
depends on the machine and on what else runs on it); an error response or a failed start is.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P99_MS = 20.0

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
SEED = """
from django.contrib.auth import get_user_model
from assessment import engine
from assessment.questionnaire import load
from assessment.services import answer_sets, review, tokens
from assessment.services.accounts import create_reviewer

answers = next(
    dict(e.answers) for e in engine.enumerate_paths(load()) if e.result.kind == "permitted"
)
owner = get_user_model().objects.create_user("pipeline", password="bench password 42")
new = tokens.create_token(user=owner, name="bench", scope="read:own", expires_at=None)
record = answer_sets.submit_answer_set(
    client_address="127.0.0.1", version=load().version,
    details={"respondent_name": "Bench", "respondent_email": "bench@example.com",
             "organisation": "", "project_name": "Bench", "project_description": ""},
    answers=answers, user=owner, token=new.token,
)
reviewer, _ = create_reviewer(username="rita", email="rita@example.com",
                              password="bench password 42", validate=False)
review.confirm(record=record, user=reviewer, expected_revision=record.revision)
print(new.secret, record.reference)
"""


def wrk(url: str, *, connections: int, seconds: int, headers: list[str]) -> dict[str, float]:
    """wrk's throughput and latency percentiles (ms); non-2xx responses and socket errors."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def found(pattern: str) -> re.Match[str]:
        match = re.search(pattern, out, re.M)
        if match is None:
            raise SystemExit(f"Unexpected wrk output (no {pattern!r}):\n{out}")
        return match

    figures: dict[str, float] = {"rps": float(found(r"Requests/sec:\s+([\d.]+)")[1])}
    for percentile in ("50", "90", "99"):
        value, unit = found(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$").groups()
        figures[f"p{percentile}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["non_2xx"] = float(non_2xx[1]) if non_2xx else 0.0
    # gunicorn's sync workers close each connection after the response: wrk counts the close
    # as a read error, so only connect errors and timeouts are failures.
    figures["errors"] = float(int(errors[1]) + int(errors[4])) if errors else 0.0
    return figures


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_API_PORT", 8141)))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("SKIPPED: wrk is not installed (make install installs it)")
        return 0

    with tempfile.TemporaryDirectory(prefix="api-gate-bench-") as folder:
        work = Path(folder)
        (work / "bench_settings.py").write_text(BENCH_SETTINGS)
        (work / "bench_urls.py").write_text(BENCH_URLS)
        env = {
            **os.environ,
            "PYTHONPATH": f"{work}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ASSESSMENT_SEAL_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "ASSESSMENT_PUBLIC_URL": f"http://127.0.0.1:{args.port}",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            # No collectstatic: neither the gate nor the ping renders a page with static files.
            "DJANGO_STATIC_ROOT": str(work / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_BIND": f"127.0.0.1:{args.port}",
            # The first request imports the app; on a busy machine that outlasts 30 s.
            "GUNICORN_TIMEOUT": "120",
        }
        (work / "static").mkdir()
        python = sys.executable
        print("Preparing a database...", flush=True)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run(
            [python, "manage.py", "shell", "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        secret, reference = seeded[-2], seeded[-1]
        gunicorn = Path(python).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "config.wsgi", "-c", "config/gunicorn.py"], cwd=ROOT, env=env
        )
        base = f"http://127.0.0.1:{args.port}"
        try:
            wait_until_up(f"{base}/bench/ping", server)
            gate_url = f"{base}/api/v1/assessments/{reference}"
            auth = f"Authorization: Bearer {secret}"
            check = urllib.request.Request(gate_url, headers={"Authorization": f"Bearer {secret}"})
            with urllib.request.urlopen(check, timeout=10) as response:
                assert b'"cleared":true' in response.read(), "the seeded record should clear"
            # Warm both workers (imports, the questionnaire's load, connections) before timing.
            wrk(gate_url, connections=args.connections, seconds=2, headers=[auth])
            ping = wrk(
                f"{base}/bench/ping", connections=args.connections, seconds=args.seconds, headers=[]
            )
            gate = wrk(gate_url, connections=args.connections, seconds=args.seconds, headers=[auth])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    ratio = gate["rps"] / ping["rps"] if ping["rps"] else 0.0
    print(f"API gate, {args.connections} connections, {args.seconds}s each, gunicorn 2 workers:")
    print(f"  minimal view /bench/ping: {ping['rps']:8.0f} req/s  p99 {ping['p99']:6.1f} ms")
    print(
        f"  gate GET /api/v1/assessments/{{ref}}: {gate['rps']:8.0f} req/s  "
        f"p50 {gate['p50']:.1f} ms  p90 {gate['p90']:.1f} ms  p99 {gate['p99']:.1f} ms"
    )
    print(f"  gate throughput / minimal view's: {ratio:.2f}")
    verdict = "met" if gate["p99"] < TARGET_P99_MS else "MISSED (reported, not failed)"
    print(f"  target p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    failures = gate["non_2xx"] + gate["errors"] + ping["non_2xx"] + ping["errors"]
    if failures:
        print(f"FAILED: {failures:.0f} error responses or connection failures")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
