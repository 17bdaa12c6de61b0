"""The README's "Gate a training job" snippets, run as written against a live server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessment.models import Record
from assessment.questionnaire import CURRENT_VERSION
from assessment.services import answer_sets, review, tokens
from tests.conftest import skip_or_fail
from tests.factories import DETAILS, answers_for
from tests.review_support import make_reviewer

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet(language: str) -> str:
    """The first `language` code block of the README's "Gate a training job" section."""
    section = README.read_text().split("### Gate a training job", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, f"no {language} block in the README's gate section"
    return match.group(1)


@pytest.fixture
def gate_env(live_server, transactional_db):
    """A pipeline's token and a submitted assessment; returns (environment, record)."""
    owner = get_user_model().objects.create_user("pipeline", password="x" * 20)
    new = tokens.create_token(user=owner, name="CI", scope="read:own", expires_at=None)
    record = answer_sets.submit_answer_set(
        client_address="127.0.0.9",
        version=CURRENT_VERSION,
        details=dict(DETAILS),
        answers=answers_for("permitted"),
        user=owner,
        token=new.token,
    )
    env = {
        "PATH": os.environ["PATH"],
        "ASSESSMENT_API": live_server.url,
        "ASSESSMENT_TOKEN": new.secret,
        "ASSESSMENT_REFERENCE": record.reference,
    }
    return env, record


def run_shell(env: dict[str, str]) -> subprocess.CompletedProcess:
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (apt-get install {tool})")
    return subprocess.run(
        ["bash", "-c", snippet("sh")], env=env, capture_output=True, text=True, timeout=60
    )


def run_python(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", snippet("python")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def confirm(record: Record) -> None:
    record.refresh_from_db()
    review.confirm(record=record, user=make_reviewer(), expected_revision=record.revision)


@pytest.mark.parametrize("run", [run_shell, run_python], ids=["shell", "python"])
def test_the_gate_stops_a_job_until_a_reviewer_confirms_permitted(gate_env, run):
    env, record = gate_env
    stopped = run(env)
    assert stopped.returncode != 0
    assert "not cleared" in stopped.stderr or "does not clear" in stopped.stderr
    confirm(record)
    allowed = run(env)
    assert allowed.returncode == 0, allowed.stderr
    assert record.reference in allowed.stdout and record.sha256 in allowed.stdout


@pytest.mark.parametrize("run", [run_shell, run_python], ids=["shell", "python"])
def test_the_gate_stops_a_job_on_a_bad_token_or_reference(gate_env, run):
    env, record = gate_env
    confirm(record)
    assert run({**env, "ASSESSMENT_TOKEN": "ast_revoked"}).returncode != 0
    assert run({**env, "ASSESSMENT_REFERENCE": "AS-2099-00001"}).returncode != 0
