"""The app under gunicorn as production runs it, on a fresh database, for the load benches.

`served(database)` creates a fresh database (a SQLite file, or a `bench_*` PostgreSQL database
at BENCH_PG_ADMIN_URL that it drops afterwards), migrates, collects static files, sets Django
up in this process on the same database (to seed and to check what was stored) and starts
`gunicorn -c config/gunicorn.py`: 2 workers, DEBUG off, a generated secret key, plain HTTP on
127.0.0.1 at BENCH_PORT (default 8160). Its working directory (settings, logs, the SQLite file)
is removed afterwards. One thing is added to production: a bench-only URLconf
with a minimal view at /bench/ping, the yardstick a page's throughput is compared with.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PORT = int(os.environ.get("BENCH_PORT", "8160"))

BENCH_SETTINGS = '''
"""Production settings with one change: the URLconf below, which adds /bench/ping."""
from config.settings.base import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
'''
# The ping first, then the app's own patterns as they are (not under an include of their own,
# which would give every page one more resolver level than production has).
BENCH_URLS = """
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as app_urlpatterns


def ping(request):
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [path("bench/ping", ping), *app_urlpatterns]
"""


class Skipped(Exception):
    """The database asked for is not available here."""


@dataclass(frozen=True)
class Served:
    database: str
    base_url: str
    workdir: Path
    access_log: Path


def bench_env(workdir: Path, database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASSESSMENT_"))}
    env.update(
        {
            "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "ASSESSMENT_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "ASSESSMENT_SEAL_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            # Shared by runs: collectstatic then only copies and compresses what changed.
            "DJANGO_STATIC_ROOT": str(Path(tempfile.gettempdir()) / "assessment-bench-static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            # Every request comes from 127.0.0.1, so the per-client limit must not apply.
            "ASSESSMENT_DRAFTS_PER_HOUR": "1000000000",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": str(workdir / "access.log"),
            "GUNICORN_MAX_REQUESTS": "0",
            # A busy machine may take longer than the default 30 s to import the app.
            "GUNICORN_TIMEOUT": "300",
        }
    )
    return env


def _wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 180  # a busy machine boots workers slowly
    while time.time() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not come up:\n{log.read_text()}")


def _static_is_stale(static_root: Path) -> bool:
    """Compressing every static file takes minutes on a busy small machine: only when changed."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    return any(path.stat().st_mtime > collected for path in (ROOT / "static").rglob("*"))


def analyze() -> None:
    """Statistics for the tables just seeded, as a production database keeps them: autovacuum
    analyzes a table once about 50 of its rows have changed, within its next round (a minute).
    Until then PostgreSQL plans blind, and a run is over before that round: with no statistics
    the answer's prepared UPDATE scanned the partial index of unsubmitted drafts (every one of
    them) rather than the primary key, 15-17 µs more of the server's CPU per answer under `wrk`.
    SQLite keeps no statistics unless asked and plans these lookups by their unique indexes."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextlib.contextmanager
def served(database: str, port: int = PORT) -> Iterator[Served]:
    """Django set up in this process and gunicorn serving, both on one fresh database."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{database}-"))
    (workdir / "bench_settings.py").write_text(BENCH_SETTINGS)
    (workdir / "bench_urls.py").write_text(BENCH_URLS)
    admin = pg_name = None
    if database == "postgres":
        import psycopg

        try:
            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            raise Skipped(f"no PostgreSQL server at {PG_ADMIN_URL} ({error})") from None
        pg_name = f"bench_{secrets.token_hex(4)}"
        admin.execute(f'CREATE DATABASE "{pg_name}"')
        database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = bench_env(workdir, database_url, port)
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        if _static_is_stale(Path(env["DJANGO_STATIC_ROOT"])):
            subprocess.run(
                [*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
            )
        os.environ.update(env)
        sys.path[:0] = [str(workdir), str(ROOT)]
        import django

        django.setup()
        log = workdir / "gunicorn.log"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "-c",
                "config/gunicorn.py",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_up(base_url, server, log)
        yield Served(database, base_url, workdir, workdir / "access.log")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=120)
        if "django.db" in sys.modules:  # set up above: its connections hold the database
            from django.db import connections

            connections.close_all()
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            admin.close()
        # The settings, the SQLite file, the logs: nothing outlives the run.
        shutil.rmtree(workdir, ignore_errors=True)
