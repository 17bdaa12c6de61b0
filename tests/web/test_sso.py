"""Single sign-on against a real OpenID Connect provider: django-oauth-toolkit's, in its own
Django project (tests/oidc_provider/) served by gunicorn in a second process. The service under
test is driven with the test client; every call between it and the provider (the browser's
redirects, the code exchange, the keys, the userinfo) is real HTTP."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment import sso
from assessment.roles import APPROVERS_GROUP, REVIEWERS_GROUP
from tests.review_support import totp_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/sso/callback/"
PASSWORD = "provider password 42"
USERS = [
    {"username": "ada", "groups": ["idp-reviewers"]},
    {"username": "april", "groups": ["idp-approvers"]},
    {"username": "bob", "groups": ["idp-staff"]},
    {"username": "mia", "groups": ["idp-reviewers", "signed-in-with-mfa"]},
]


@dataclass(frozen=True)
class Provider:
    base: str
    discovery: dict
    client_id: str
    client_secret: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """Migrates a fresh provider database, registers this service as a client and the users
    above, and serves the provider on a free port until the session ends."""
    folder = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": pem,
        "PYTHONPATH": str(ROOT),
    }
    client_id, client_secret = "self-assessment", secrets.token_urlsafe(32)
    django = [sys.executable, "-m", "django"]
    for command in (
        [*django, "migrate", "--no-input", "-v", "0"],
        [
            *django,
            "provider_setup",
            "--client-id",
            client_id,
            # One argument: a secret may start with "-", which argparse would take for an option.
            f"--client-secret={client_secret}",
            "--redirect-uri",
            CALLBACK,
            "--users",
            json.dumps([{**u, "password": PASSWORD} for u in USERS]),
        ],
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (folder / "provider.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.oidc_provider.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        discovery = _wait_for_discovery(f"{base}/o/.well-known/openid-configuration", server)
        yield Provider(base, discovery, client_id, client_secret)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for_discovery(url: str, server: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the test OIDC provider stopped; see its provider.log")
        try:
            response = requests.get(url, timeout=2)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the test OIDC provider did not answer at {url}")


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Single sign-on configured as an operator would, from the provider's discovery document."""
    discovery = oidc_provider.discovery
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.ASSESSMENT_OIDC_REVIEWER_GROUPS = ["idp-reviewers"]
    settings.ASSESSMENT_OIDC_APPROVER_GROUPS = ["idp-approvers"]
    settings.ASSESSMENT_OIDC_TRUSTED_AMR = []
    return oidc_provider


def sso_sign_in(client, provider: Provider, username: str, next_url: str = ""):
    """The browser's part, over real HTTP: to the provider, its sign-in form, back with a code.
    Returns the service's response to the callback."""
    start = client.get(reverse("sso_start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(provider.discovery["authorization_endpoint"])
    assert "code_challenge=" in authorize and "nonce=" in authorize and "state=" in authorize
    browser = requests.Session()
    response = browser.get(authorize, allow_redirects=False, timeout=10)
    login_url = urljoin(provider.base, response.headers["Location"])
    page = browser.get(login_url, timeout=10).text
    csrf = _field(page, "csrfmiddlewaretoken")
    after = _field(page, "next").replace("&amp;", "&")
    response = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": username,
            "password": PASSWORD,
            "next": after,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    response = browser.get(
        urljoin(provider.base, response.headers["Location"]), allow_redirects=False, timeout=10
    )
    back = response.headers["Location"]
    assert back.startswith(CALLBACK), back
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


def _field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} field on the provider's page"
    return found.group(1)


def _group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_a_mapped_user_joins_the_reviewers_and_still_proves_a_second_factor(client, sso_on):
    response = sso_sign_in(client, sso_on, "ada")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")
    user = get_user_model().objects.get(email="ada@idp.example")
    assert user.username.startswith(sso.USERNAME_PREFIX)
    assert not user.has_usable_password()
    assert _group_names(user) == {REVIEWERS_GROUP}
    # No MFA asserted by the provider (and none trusted): the service's own second factor.
    queue = client.get(reverse("review:queue"), follow=True)
    setup_url, _ = queue.redirect_chain[-1]
    assert setup_url.startswith(reverse("second_factor_setup"))
    device = user.totpdevice_set.get()
    client.post(reverse("second_factor_setup"), {"code": totp_code(device)})
    assert client.get(reverse("review:queue")).status_code == 200


def test_an_approver_group_maps_to_both_groups(client, sso_on):
    sso_sign_in(client, sso_on, "april")
    user = get_user_model().objects.get(email="april@idp.example")
    assert _group_names(user) == {REVIEWERS_GROUP, APPROVERS_GROUP}


def test_an_unmapped_user_gets_no_account_and_no_access(client, sso_on):
    response = sso_sign_in(client, sso_on, "bob")
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not get_user_model().objects.filter(email="bob@idp.example").exists()
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "Single sign-on did not sign you in" in page


def test_a_user_who_lost_the_mapping_loses_the_groups(client, sso_on, settings):
    sso_sign_in(client, sso_on, "ada")
    user = get_user_model().objects.get(email="ada@idp.example")
    assert _group_names(user) == {REVIEWERS_GROUP}
    settings.ASSESSMENT_OIDC_REVIEWER_GROUPS = ["someone-else"]
    client.post(reverse("logout"))
    response = sso_sign_in(client, sso_on, "ada")
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert _group_names(user) == set()


def test_multi_factor_asserted_by_the_provider_counts_only_when_trusted(client, sso_on, settings):
    sso_sign_in(client, sso_on, "mia")
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("second_factor"))
    client.post(reverse("logout"))
    settings.ASSESSMENT_OIDC_TRUSTED_AMR = ["mfa"]
    sso_sign_in(client, sso_on, "mia")
    assert client.get(reverse("review:queue")).status_code == 200
    # A user for whom the provider asserts no MFA still proves ours.
    client.post(reverse("logout"))
    sso_sign_in(client, sso_on, "ada")
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("second_factor"))


def test_an_id_token_from_another_issuer_is_refused(client, sso_on, settings):
    settings.OIDC_OP_ISSUER = "https://another-issuer.example"
    response = sso_sign_in(client, sso_on, "ada")
    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="ada@idp.example").exists()


def test_a_local_account_is_never_taken_over(client, sso_on):
    sso_sign_in(client, sso_on, "ada")
    name = get_user_model().objects.get(email="ada@idp.example").username
    get_user_model().objects.filter(username=name).delete()
    local = get_user_model().objects.create_user(name, password="a local password 42")
    client.post(reverse("logout"))
    response = sso_sign_in(client, sso_on, "ada")
    assert response["Location"] == "/accounts/login/?sso=failed"
    local.refresh_from_db()
    assert _group_names(local) == set() and local.email == ""


def test_the_login_page_offers_sso_only_when_configured(client, settings, sso_on):
    page = client.get(reverse("login")).content.decode()
    assert "data-sso" in page and "Sign in with your organisation" in page
    assert 'name="password"' in page  # local sign-in stays
    settings.OIDC_RP_CLIENT_ID = ""
    page = client.get(reverse("login")).content.decode()
    assert "data-sso" not in page
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback") + "?code=x&state=y").status_code == 404
