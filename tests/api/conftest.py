"""Fixtures for the API tests: users, tokens of each scope, and a JSON client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from assessment.models import TokenScope
from assessment.services import tokens
from tests.factories import DETAILS, answers_for
from tests.review_support import make_reviewer


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def pipeline_user(db):
    """An account that runs training pipelines: not a reviewer."""
    return get_user_model().objects.create_user("pipeline", password="not a reviewer 42")


@pytest.fixture
def reviewer(db):
    return make_reviewer()


@pytest.fixture
def make_token() -> Callable[..., str]:
    def make(user, scope: str = TokenScope.READ_OWN, expires_at: datetime | None = None) -> str:
        return tokens.create_token(
            user=user, name=f"{scope} token", scope=scope, expires_at=expires_at
        ).secret

    return make


@pytest.fixture
def own_token(pipeline_user, make_token) -> str:
    return make_token(pipeline_user)


@pytest.fixture
def all_token(reviewer, make_token) -> str:
    return make_token(reviewer, TokenScope.READ_ALL)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def submission_body(kind: str = "permitted", **overrides: Any) -> dict[str, Any]:
    return {"details": dict(DETAILS), "answers": dict(answers_for(kind)), **overrides}


@pytest.fixture
def submit(api) -> Callable[..., dict[str, Any]]:
    """POST a complete assessment (with a token, if given); returns the 201 body."""

    def post(kind: str = "permitted", secret: str | None = None, **overrides: Any) -> dict:
        headers = bearer(secret) if secret else {}
        response = api.post(
            "/api/v1/assessments", submission_body(kind, **overrides), format="json", **headers
        )
        assert response.status_code == 201, response.content
        return response.json()

    return post
