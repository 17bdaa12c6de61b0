"""The seal keys: parsed from ASSESSMENT_SEAL_KEYS; development works without them; production
refuses to start without real ones; every production-mode process of the suite is given keys."""

from __future__ import annotations

import base64
import secrets

import pytest

from assessment.integrity.keys import SealKeyError, parse_seal_keys
from tests.web.test_security_headers import production_env, real_secret, run_python

SECRET = base64.b64encode(b"k" * 32).decode()


def test_keys_are_parsed_in_order_the_first_being_current():
    other = base64.b64encode(b"o" * 40).decode()
    keys = parse_seal_keys(f" k2026:{SECRET} , k2025:{other}")
    assert list(keys) == ["k2026", "k2025"]
    assert keys["k2026"] == b"k" * 32 and keys["k2025"] == b"o" * 40
    assert parse_seal_keys("") == {}


@pytest.mark.parametrize(
    "value",
    [
        "k2026",  # no secret
        f"bad id:{SECRET}",
        "k2026:not base64!",
        "k2026:" + base64.b64encode(b"short").decode(),
        f"k1:{SECRET},k1:{SECRET}",
    ],
)
def test_malformed_keys_are_refused(value):
    with pytest.raises(SealKeyError):
        parse_seal_keys(value)


@pytest.mark.parametrize(
    "keys",
    [
        "",
        "k1:" + base64.b64encode(b"short").decode(),
        "dev:ZGV2ZWxvcG1lbnQtb25seS1zZWFsLWtleS1uZXZlci11c2UtaW4tcHJvZHVjdGlvbg==",
    ],
    ids=["missing", "short", "development-key"],
)
def test_production_refuses_to_start_without_real_seal_keys(keys):
    env = production_env(
        DJANGO_SECRET_KEY=real_secret(),
        DJANGO_ALLOWED_HOSTS="example.com",
        ASSESSMENT_SEAL_KEYS=keys,
    )
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "ASSESSMENT_SEAL_KEYS" in result.stderr


def test_development_runs_with_a_fixed_key_and_no_environment():
    env = production_env(DJANGO_DEBUG="1", ASSESSMENT_SEAL_KEYS="")
    code = "from django.conf import settings; print(list(settings.ASSESSMENT_SEAL_KEYS))"
    result = run_python(["-c", f"import django; django.setup(); {code}"], env)
    assert result.stdout.strip() == "['dev']", result.stderr


def test_production_starts_with_real_keys():
    keys = f"k2026:{base64.b64encode(secrets.token_bytes(32)).decode()},k2025:{SECRET}"
    env = production_env(
        DJANGO_SECRET_KEY=real_secret(),
        DJANGO_ALLOWED_HOSTS="example.com",
        ASSESSMENT_SEAL_KEYS=keys,
    )
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
