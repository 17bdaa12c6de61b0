"""Production security headers and cookies, and the refusal to start without a real secret.

The subprocess tests load the real production settings (`config.settings`, DEBUG off) rather
than the test settings, so they check what is deployed, not an override of it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]

# Renders pages under the production settings and prints their headers and cookies. Only the
# static files storage is swapped: the manifest storage needs `collectstatic` to have run.
PRODUCTION_PROBE = """
import json, django
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
django.setup()
from django.test import Client
client = Client()
out = {}
for path in ["/accounts/login/", "/healthz", "/no-such-page/"]:
    response = client.get(path, secure=True)
    out[path] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    }
plain = client.get("/accounts/login/")
out["plain_http"] = {"status": plain.status_code, "location": plain.get("Location", "")}
print(json.dumps(out))
"""


def production_env(**extra: str) -> dict[str, str]:
    """The environment without the test run's own Django settings and knobs."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ASSESSMENT_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "ASSESSMENT_PUBLIC_URL": "https://assess.example.com",
            "ASSESSMENT_SEAL_KEYS": real_seal_keys(),
        }
    )
    env.update(extra)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def real_secret() -> str:
    return secrets.token_urlsafe(50)


def real_seal_keys() -> str:
    return "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(scope="module")
def production_pages() -> dict:
    env = production_env(
        DJANGO_SECRET_KEY=real_secret(),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite://:memory:",
    )
    result = run_python(["-c", PRODUCTION_PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_with_production_settings():
    env = production_env(DJANGO_SECRET_KEY=real_secret(), DJANGO_ALLOWED_HOSTS="example.com")
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret",
    ["", "django-insecure-" + "x" * 60, "too-short-a-secret"],
    ids=["missing", "placeholder", "short"],
)
def test_app_refuses_to_start_without_a_real_secret_key_when_debug_is_off(secret):
    env = production_env(DJANGO_SECRET_KEY=secret, DJANGO_ALLOWED_HOSTS="example.com")
    result = run_python(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("public_url", ["", "assess.example.com", "javascript:alert(1)"])
def test_app_refuses_to_start_without_a_public_url_when_debug_is_off(public_url):
    env = production_env(
        DJANGO_SECRET_KEY=real_secret(),
        DJANGO_ALLOWED_HOSTS="example.com",
        ASSESSMENT_PUBLIC_URL=public_url,
    )
    result = run_python(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ASSESSMENT_PUBLIC_URL must be" in result.stderr


def test_the_public_url_defaults_to_the_local_server_only_in_development():
    env = production_env(DJANGO_DEBUG="1", ASSESSMENT_PUBLIC_URL="")
    code = "from django.conf import settings; print(settings.ASSESSMENT_PUBLIC_URL)"
    result = run_python(["-c", f"import django; django.setup(); {code}"], env)
    assert result.stdout.strip() == "http://127.0.0.1:8000", result.stderr


def test_production_pages_send_every_security_header(production_pages):
    for path in ["/accounts/login/", "/healthz", "/no-such-page/"]:
        headers = production_pages[path]["headers"]
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), path
        assert_every_security_header(headers, path)


def test_production_cookies_are_secure_httponly_and_samesite(production_pages):
    csrf = production_pages["/accounts/login/"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_production_redirects_plain_http_to_https(production_pages):
    assert production_pages["plain_http"]["status"] == 301
    assert production_pages["plain_http"]["location"].startswith("https://")


def test_production_error_page_keeps_its_status_and_shows_no_debug_page(production_pages):
    assert production_pages["/no-such-page/"]["status"] == 404


@pytest.mark.django_db
def test_content_security_policy_allows_no_inline_script_or_style(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/verify/", "/no-such-page/"])
def test_pages_have_no_inline_scripts_or_styles(client, path):
    html = client.get(path).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> body"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "style= attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


@pytest.mark.django_db
@override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
)
def test_session_cookie_after_sign_in_is_secure_httponly_and_samesite(client):
    User.objects.create_user("reviewer", password="a long passphrase 42")
    response = client.post(
        "/accounts/login/",
        {"username": "reviewer", "password": "a long passphrase 42"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def assert_every_security_header(headers, what: str) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["X-Frame-Options"] == "DENY", what
    assert headers["Referrer-Policy"] == "same-origin", what
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", what
    assert "camera=()" in headers["Permissions-Policy"], what
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], what
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"]), what


@pytest.mark.parametrize(
    "path",
    ["/static/css/app.css", "/static/bootstrap/css/bootstrap.min.css", "/static/favicon.svg"],
)
def test_static_files_carry_the_same_security_headers_as_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_every_security_header(response.headers, path)
