"""`make cluster-check`: the app as it would run on several hosts, rehearsed on this machine.

nginx (round robin, no stickiness) in front of two gunicorn app servers, two task workers and
one fresh PostgreSQL database (created here, dropped at the end). Concurrent respondent
journeys, reviewer decisions and a ZIP export go through nginx, so one client's requests land
on both app servers; in the middle one app server and one worker are killed (SIGKILL). Then
the database is checked: every journey has exactly one record, every email went out once,
every record has a rendering of its current state, and the export holds every PDF.

Prints `journeys=N records=N duplicates=0 lost=0 emails_sent=N emails_failed=0
pdfs_rendered=N export_ok=1` and exits non-zero on any loss or duplicate.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
BASE_PORT = int(os.environ.get("CLUSTER_PORT", "8151"))
LB_PORT, APP_PORTS = BASE_PORT, (BASE_PORT + 1, BASE_PORT + 2)
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
JOURNEYS = int(os.environ.get("CLUSTER_JOURNEYS", "12"))
CONCURRENCY = 4
BASE = f"http://127.0.0.1:{LB_PORT}"
REVIEWER = ("cluster-reviewer", "cluster reviewer passphrase 42", "reviewer@example.com")
# The reviewer's authenticator secret (hex, as django-otp stores it): the check computes the
# codes of the second sign-in step from it, as the reviewer's phone would.
REVIEWER_TOTP_KEY = "3132333435363738393031323334353637383930"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream app {{
        # Round robin, no stickiness: consecutive requests of one client alternate.
        server 127.0.0.1:{app_a} max_fails=3 fail_timeout=5s;
        server 127.0.0.1:{app_b} max_fails=3 fail_timeout=5s;
    }}
    server {{
        listen 127.0.0.1:{lb};
        client_max_body_size 1m;
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto http;
            # A server that refuses the connection is skipped, POSTs included: it never saw them.
            proxy_next_upstream error timeout non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_read_timeout 60s;
            # Which app server answered, so the check can show one client reached both.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Cluster:
    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ASSESSMENT_SEAL_KEYS": "cluster:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DJANGO_CONN_MAX_AGE": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "DJANGO_LOGIN_FAILURE_LIMIT": "3",
            "ASSESSMENT_PUBLIC_URL": BASE,
            "ASSESSMENT_DRAFTS_PER_HOUR": "10000",
            "ASSESSMENT_TASK_RETRY_DELAYS": "1,2,5",
            "ASSESSMENT_WORKER_STALE_SECONDS": "8",
            "ASSESSMENT_EMAIL_LEASE_SECONDS": "10",
            # Processes, not threads: WeasyPrint (GLib, Pango) is not safe across threads.
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
        }
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr.decode()[-3000:]}")
        return done.stdout.decode()

    def start(self, name: str, argv: list[str], **env: str) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(  # noqa: S603 (fixed commands built above)
            argv,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole, workers included
        )

    def kill(self, name: str) -> None:
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


class Client:
    """One browser-like client: its own cookies, CSRF tokens read from the forms it is shown."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.upstreams: set[str] = set()

    def _note(self, response: requests.Response) -> requests.Response:
        for answer in [*response.history, response]:
            if answer.headers.get("X-Upstream"):
                self.upstreams.add(answer.headers["X-Upstream"])
        return response

    def get(self, path: str) -> requests.Response:
        return self._retrying(lambda: self.http.get(BASE + path, timeout=60))

    def post(self, path: str, data: dict[str, Any], form_page: str | None = None) -> Any:
        page = self.get(form_page or path).text
        found = TOKEN.search(page)
        token = found.group(1) if found else self.http.cookies.get("csrftoken", "")
        payload = {"csrfmiddlewaretoken": token, **data}
        return self._retrying(
            lambda: self.http.post(BASE + path, data=payload, timeout=60, allow_redirects=False)
        )

    def _retrying(self, send: Any) -> requests.Response:
        # While a killed server is being taken out of rotation nginx may answer 502 once: a
        # person would press the button again. The services are idempotent, so this is safe.
        for _ in range(5):
            response = self._note(send())
            if response.status_code not in (502, 503, 504):
                return response
            time.sleep(0.5)
        return response


def journey(number: int, steps: list[tuple[str, Any]], details: dict[str, str]) -> Client:
    client = Client()
    started = client.post("/start/", {}, form_page="/")
    assert started.status_code == 302, started.status_code
    token = started.headers["Location"].split("/")[2]
    details = {**details, "project_name": f"Cluster journey {number}"}
    response = client.post(f"/a/{token}/details/", details)
    assert response.status_code == 302, (response.status_code, response.text[:500])
    for question_id, value in steps:
        response = client.post(f"/a/{token}/q/{question_id}/", {"answer": value})
        assert response.status_code == 302, (question_id, response.status_code)
    check = client.get(f"/a/{token}/check/").text
    shown = re.search(r'name="shown" value="([0-9a-f]+)"', check)
    assert shown, "check page without its fingerprint"
    response = client.post(f"/a/{token}/check/", {"shown": shown.group(1)})
    assert response.status_code == 302, response.status_code
    assert client.get(f"/a/{token}/result/").status_code == 200
    pdf = client.get(f"/a/{token}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), pdf.status_code
    return client


def sign_in(username: str, password: str) -> tuple[Client, requests.Response]:
    """Both steps: the password, then (if it was right) the authenticator's current code.
    Returns the last response: a redirect once signed in."""
    from django_otp.oath import totp

    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, "/accounts/login/"
    )
    if response.status_code != 302:
        return client, response
    code = f"{totp(bytes.fromhex(REVIEWER_TOTP_KEY)):06d}"
    response = client.post("/accounts/second-factor/", {"code": code})
    return client, response


def main() -> int:
    admin = psycopg.connect(PG_URL, autocommit=True)
    db_name = f"cluster_check_{os.getpid()}"
    admin.execute(f'CREATE DATABASE "{db_name}"')
    database_url = PG_URL.rsplit("/", 1)[0] + "/" + db_name
    tmp = Path(tempfile.mkdtemp(prefix="cluster-check-"))
    cluster = Cluster(tmp, database_url)
    try:
        return run(cluster)
    finally:
        cluster.stop_all()
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [db_name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
        admin.close()
        if os.environ.get("CLUSTER_KEEP_LOGS") != "1":
            shutil.rmtree(tmp, ignore_errors=True)


def run(cluster: Cluster) -> int:
    print(
        f"== cluster check: nginx :{LB_PORT} -> gunicorn :{APP_PORTS[0]} :{APP_PORTS[1]}",
        flush=True,
    )
    cluster.manage("migrate", "--no-input")
    cluster.manage("createcachetable")
    cluster.manage("collectstatic", "--no-input", "-v", "0")
    cluster.manage(
        "shell",
        "-c",
        "from assessment.services.accounts import create_reviewer;"
        "from django_otp.plugins.otp_totp.models import TOTPDevice;"
        f"user, _ = create_reviewer(username={REVIEWER[0]!r}, email={REVIEWER[2]!r},"
        f" password={REVIEWER[1]!r}, validate=False);"
        f"TOTPDevice.objects.create(user=user, key={REVIEWER_TOTP_KEY!r}, confirmed=True)",
    )
    gunicorn = [str(Path(PY).parent / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.py"]
    for name, port in zip(("app-a", "app-b"), APP_PORTS, strict=True):
        cluster.start(name, gunicorn, GUNICORN_BIND=f"127.0.0.1:{port}")
    for name in ("worker-1", "worker-2"):
        worker = [PY, "manage.py", "run_worker", "--no-reload", "--interval", "0.2"]
        cluster.start(name, [*worker, "--worker-id", name])
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = NGINX_CONF.format(tmp=cluster.tmp, lb=LB_PORT, app_a=APP_PORTS[0], app_b=APP_PORTS[1])
    (cluster.tmp / "nginx.conf").write_text(conf)
    cluster.start("nginx", [nginx, "-p", str(cluster.tmp), "-c", str(cluster.tmp / "nginx.conf")])
    for port in APP_PORTS:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    wait_for(BASE + "/healthz")

    import django

    os.environ.update(
        {k: v for k, v in cluster.env.items() if k.startswith(("DJANGO", "DATA", "ASSESSMENT"))}
    )
    django.setup()
    from tests.factories import DETAILS
    from tests.respondent_steps import post_value, steps_for

    steps = [(s.question.id, post_value(s)["answer"]) for s in steps_for("review")]
    problems: list[str] = []

    # Sign-in lockout across servers: the failures land on both, and together they lock.
    for _ in range(3):
        sign_in(REVIEWER[0], "wrong password")
    _, response = sign_in(REVIEWER[0], REVIEWER[1])
    if response.status_code == 302 or "locked" not in response.text.lower():
        problems.append("the sign-in lockout did not hold across the two servers")
    cluster.manage("axes_reset")

    reviewer, response = sign_in(REVIEWER[0], REVIEWER[1])
    if response.status_code != 302:
        problems.append(f"the reviewer could not sign in ({response.status_code})")

    clients: list[Client] = []
    errors: list[str] = []
    lock = threading.Lock()
    numbers = iter(range(1, JOURNEYS + 1))

    def respondent() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            try:
                client = journey(number, steps, DETAILS)
            except Exception as exc:  # counted as a lost journey below
                with lock:
                    errors.append(f"journey {number}: {exc!r}")
                continue
            with lock:
                clients.append(client)

    threads = [threading.Thread(target=respondent) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    # In the middle of the journeys: one app server and one task worker die without warning.
    time.sleep(4)
    cluster.kill("app-a")
    cluster.kill("worker-1")
    print("   killed app-a and worker-1 (SIGKILL) mid-run", flush=True)
    for thread in threads:
        thread.join()
    problems.extend(errors)

    # Every client that started before the kill saw both servers (round robin, no stickiness).
    both = sum(1 for client in clients if len(client.upstreams) >= 2)
    if both == 0:
        problems.append("no client's requests landed on both app servers")

    from django_tasks_db.models import DBTaskResult

    from assessment.models import Delivery, Export, Record

    # The reviewer decides every record "prohibited" (no second reviewer needed), through
    # nginx, now on the surviving server, answering the confirmation page's question.
    for record in Record.objects.all():
        page = reviewer.get(f"/review/records/{record.reference}/").text
        revision = re.search(r'name="decide-revision" value="(\d+)"', page)
        if not revision:
            problems.append(f"no decide form on {record.reference}")
            continue
        response = reviewer.post(
            f"/review/records/{record.reference}/action/",
            {
                "action": "decide",
                "decide-revision": revision.group(1),
                "decide-outcome": "prohibited",
                "decide-note": "",
                "confirmed": "yes",
            },
            form_page=f"/review/records/{record.reference}/",
        )
        if response.status_code != 302:
            problems.append(f"deciding {record.reference} answered {response.status_code}")

    export_ok = 0
    response = reviewer.post("/review/exports/", {}, form_page="/review/")
    status_path = response.headers.get("Location", "")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and status_path:
        page = reviewer.get(status_path).text
        if 'data-export-state="ready"' in page or 'data-export-state="failed"' in page:
            break
        time.sleep(1)
    wait_until_idle(deadline=time.monotonic() + 240)

    export = Export.objects.first()
    records = list(Record.objects.all())
    if export is not None and export.state == Export.State.READY:
        zipped = zipfile.ZipFile(io.BytesIO(reviewer.get(status_path + "download").content))
        export_ok = int(all(zip_holds(zipped, record) for record in records))
    if not export_ok:
        problems.append(f"the export is not complete ({export and export.state})")

    projects = Counter(Record.objects.values_list("project_name", flat=True))
    duplicates = sum(count - 1 for count in projects.values())
    lost = sum(1 for n in range(1, JOURNEYS + 1) if not projects.get(f"Cluster journey {n}"))
    from assessment.background.renderings import current_state, stored_pdf

    # Rendered: the respondent's and the reviewers' PDF of the record's current state.
    pdfs = sum(
        1
        for record in records
        if all(
            stored_pdf(record, current_state(record), for_reviewers=for_reviewers) is not None
            for for_reviewers in (False, True)
        )
    )
    lost += len(records) - pdfs
    sent = Delivery.objects.filter(state=Delivery.State.SENT).count()
    failed = Delivery.objects.filter(state=Delivery.State.FAILED).count()
    # Each record: one email to the reviewer when submitted, one to the respondent when
    # decided; and one when the export is ready.
    expected_emails = 2 * len(records) + 1
    lost += max(0, expected_emails - sent - failed)
    printed = Counter(printed_emails(cluster))
    duplicates += sum(count - 1 for count in printed.values())
    if sum(printed.values()) < sent:
        problems.append("emails marked sent were never handed to the mail backend")
    stuck = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    if stuck:
        problems.append(f"{stuck} tasks never ran")
    print(
        f"journeys={len(clients)} records={len(records)} duplicates={duplicates} lost={lost} "
        f"emails_sent={sent} emails_failed={failed} pdfs_rendered={pdfs} export_ok={export_ok}"
    )
    print(f"   clients served by both app servers: {both} of {len(clients)}")
    for problem in problems:
        print("PROBLEM:", problem)
    if problems or duplicates or lost or failed or not export_ok or len(clients) != JOURNEYS:
        if os.environ.get("CLUSTER_KEEP_LOGS") == "1":
            print(f"   logs kept in {cluster.tmp}")
        return 1
    return 0


def wait_until_idle(*, deadline: float) -> None:
    from django_tasks_db.models import DBTaskResult

    from assessment.models import Delivery

    while time.monotonic() < deadline:
        busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
        unsent = Delivery.objects.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
        ).exists()
        if not busy and not unsent:
            return
        time.sleep(1)


def zip_holds(archive: zipfile.ZipFile, record: Any) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(archive.read(f"pdf/{record.reference}.pdf")))
        (attached,) = reader.attachments[f"record-{record.reference}.json"]
    except (KeyError, ValueError):
        return False
    return hashlib.sha256(attached).hexdigest() == record.sha256


def printed_emails(cluster: Cluster) -> list[tuple[str, str]]:
    """(recipient, subject) of every email the workers handed to the (console) mail backend."""
    found = []
    for name in ("worker-1", "worker-2"):
        for message in cluster.log(name).split("Content-Type: text/plain")[1:]:
            subject = re.search(r"^Subject: (.*)$", message, re.M)
            to = re.search(r"^To: (.*)$", message, re.M)
            if subject and to:
                found.append((to.group(1), subject.group(1)))
    return found


if __name__ == "__main__":
    sys.exit(main())
