"""Logs carry a request id and no personal data: no name, email or private link."""

from __future__ import annotations

import base64
import importlib
import logging
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string
from gunicorn.config import Config

from assessment.middleware import (
    ControlCharacterFilter,
    PrivateDataFilter,
    escape_control_characters,
    mask_private_data,
)
from assessment.models import Draft, Record
from config import gunicorn as gunicorn_conf
from tests.database_faults import refuse_queries
from tests.factories import DETAILS, answers_for

ROOT = Path(__file__).resolve().parents[2]


class Collector(logging.Handler):
    """Every log record of the run, through the production handler's filters."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        config: dict[str, Any] = settings.LOGGING
        for name in config["handlers"]["console"]["filters"]:
            self.addFilter(import_string(config["filters"][name]["()"])())
        self.setFormatter(logging.Formatter("%(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        self.lines: list[str] = []
        self.request_ids: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.request_ids.append(vars(record)["request_id"])  # set by RequestIdFilter


@pytest.fixture
def logs() -> Iterator[Collector]:
    collector = Collector()
    root = logging.getLogger()
    level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    yield collector
    root.removeHandler(collector)
    root.setLevel(level)


@pytest.mark.django_db
def test_a_whole_respondent_journey_logs_no_name_email_or_private_link(logs, monkeypatch):
    client = Client(raise_request_exception=False)
    client.post("/start/")
    token = Draft.objects.get().token
    client.post(f"/a/{token}/details/", DETAILS)
    for question_id, value in answers_for("review").items():
        response = client.post(f"/a/{token}/q/{question_id}/", {"answer": value})
        assert response.status_code == 302, question_id
    assert client.post(f"/a/{token}/check/").status_code == 302
    assert client.get(f"/a/{token}/result/").status_code == 200
    assert Record.objects.filter(token=token).exists()
    # Failures are logged with their path and exception: they must not carry private data.
    client.get(f"/a/{token}x/")

    def broken(link):
        raise RuntimeError(f"cannot show {DETAILS['respondent_email']} {link}")

    # The module, not the view function the package exports under the same name.
    views = importlib.import_module("assessment.views.respondent.result")
    monkeypatch.setattr(views, "result_page_for_respondent", broken)
    assert client.get(f"/a/{token}/result/").status_code == 500
    monkeypatch.undo()

    refuse_queries(monkeypatch, f"could not read row for token {token}")
    assert client.get(f"/a/{token}/result/").status_code == 503
    monkeypatch.undo()

    assert any("/a/<token>/result/" in line for line in logs.lines), "failures are logged"
    personal = [token, DETAILS["respondent_name"], DETAILS["respondent_email"]]
    for line in logs.lines:
        for value in personal:
            assert value not in line, line


def test_private_data_is_masked_in_messages_and_tracebacks():
    token = secrets.token_urlsafe(32)
    assert mask_private_data(f"Not Found: /a/{token}/q/x/") == "Not Found: /a/<token>/q/x/"
    assert mask_private_data(f"WHERE token = '{token}'") == "WHERE token = '<token>'"
    assert mask_private_data("DETAIL: (ada@example.com) exists") == "DETAIL: (<email>) exists"
    assert mask_private_data("request 0123456789abcdef0123456789abcdef") == (
        "request 0123456789abcdef0123456789abcdef"
    )
    try:
        raise ValueError(f"bad token {token}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "Failed: %s", (token,), True)
        record.exc_info = __import__("sys").exc_info()
    PrivateDataFilter().filter(record)
    assert token not in record.getMessage()
    assert token not in record.exc_text and "bad token <token>" in record.exc_text


@pytest.mark.django_db
def test_log_lines_written_during_a_request_carry_its_request_id(client, logs, monkeypatch):
    refuse_queries(monkeypatch, "connection refused")
    response = client.get("/healthz")
    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    assert logs.lines, "the outage is logged"
    assert set(logs.request_ids) == {request_id}
    assert all(f"[{request_id}]" in line for line in logs.lines)


@pytest.mark.django_db
def test_a_proxys_request_id_is_reused_only_when_it_looks_like_an_id(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abcd-1234-ef")["X-Request-ID"] == (
        "abcd-1234-ef"
    )
    for forged in ("x\nERROR fake log line", "abcd1234\n", "abcd1234; rm"):
        echoed = client.get("/healthz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", echoed), forged


def access_log_line(path: str, referrer: str) -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    logger = gunicorn_conf.PrivateLinkMaskingLogger(cfg)
    collector = Collector()
    logger.access_log.handlers = [collector]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?from=email",
        "PATH_INFO": path,
        "QUERY_STRING": "from=email",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": referrer,
    }
    response = SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "rid-1234abcd")], sent=5)
    request = SimpleNamespace(headers=[("REFERER", referrer)])
    logger.access(response, request, environ, timedelta(milliseconds=7))
    return "\n".join(collector.lines)


def test_gunicorn_access_log_masks_private_links_and_keeps_the_request_id():
    token = secrets.token_urlsafe(32)
    line = access_log_line(f"/a/{token}/q/purpose/", f"https://example.com/a/{token}/details/")
    assert token not in line
    assert '"GET /a/<token>/q/purpose/" 200' in line
    assert "rid=rid-1234abcd" in line
    assert "203.0.113.7" not in line  # the client's address is personal data


def test_every_access_log_atom_is_masked():
    token = secrets.token_urlsafe(32)
    cfg = Config()
    logger = gunicorn_conf.PrivateLinkMaskingLogger(cfg)
    atoms = logger.atoms(
        SimpleNamespace(status="302 Found", headers=[("Location", f"/a/{token}/check/")], sent=0),
        SimpleNamespace(headers=[("REFERER", f"/a/{token}/")]),
        {
            "REQUEST_METHOD": "POST",
            "RAW_URI": f"/a/{token}/q/x/",
            "PATH_INFO": f"/a/{token}/q/x/",
            "SERVER_PROTOCOL": "HTTP/1.1",
        },
        timedelta(milliseconds=1),
    )
    assert not [key for key, value in atoms.items() if isinstance(value, str) and token in value]


def test_gunicorn_config_file_loads_with_the_app_under_production_settings():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "ASSESSMENT_PUBLIC_URL": "https://assess.example.com",
        "ASSESSMENT_SEAL_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "WEB_CONCURRENCY": "3",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "--print-config",
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PrivateLinkMaskingLogger" in result.stdout
    assert re.search(r"^workers\s+= 3$", result.stdout, re.MULTILINE)


FORGED = "\n2026-11-25 18:00:00,000 ERROR [-] django: forged\x00\r\x1b[2J\u2028"


def test_control_characters_are_shown_escaped():
    assert escape_control_characters(f"/x{FORGED}") == (
        "/x\\n2026-11-25 18:00:00,000 ERROR [-] django: forged\\x00\\r\\x1b[2J\\u2028"
    )
    assert escape_control_characters("Ünïcode, tabs aside: fine") == "Ünïcode, tabs aside: fine"


@pytest.mark.django_db
def test_a_request_cannot_forge_a_line_in_the_app_log(logs):
    client = Client(raise_request_exception=False)
    # Django logs a refused Host header with its value, at ERROR.
    client.get("/", HTTP_HOST=f"evil.example{FORGED}")
    logged = "\n".join(line for line in logs.lines if "evil.example" in line)
    assert "evil.example\\n2026-11-25" in logged, "the refused host is logged, escaped"
    # The message and the traceback keep their own lines; no line is the forged one.
    assert not [line for line in logged.splitlines() if line.startswith("2026-11-25")]
    assert "\x00" not in logged and "\u2028" not in logged and "\x1b" not in logged


def test_control_characters_in_a_traceback_are_escaped_but_its_lines_kept():
    try:
        raise ValueError(f"bad path /x{FORGED}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "Failed: %s", ("/x\x00",), True)
        record.exc_info = sys.exc_info()
    ControlCharacterFilter().filter(record)
    assert record.getMessage() == "Failed: /x\\x00"
    assert record.exc_text.startswith("Traceback (most recent call last):\n")
    assert "bad path /x\\n2026-11-25" in record.exc_text and "\x00" not in record.exc_text


def test_a_request_cannot_forge_a_line_in_the_access_log():
    line = access_log_line(f"/x{FORGED}", "")
    assert "\n" not in line and "\x00" not in line
    assert '"GET /x\\n2026-11-25 18:00:00,000 ERROR [-] django: forged\\x00' in line
