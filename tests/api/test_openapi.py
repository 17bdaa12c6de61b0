"""The OpenAPI document: valid, served by the app, and every status code it documents happens."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from django.contrib.auth import get_user_model
from django.test import override_settings
from openapi_spec_validator import validate

from assessment.models import TokenScope
from assessment.services import drafts, tokens
from tests.api.conftest import submission_body
from tests.factories import make_record
from tests.review_support import make_reviewer

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(api):
    response = api.get(SCHEMA_URL)
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises on any violation of the OpenAPI 3 specification
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/questionnaire",
        "/api/v1/assessments",
        "/api/v1/assessments/{reference}",
        "/api/v1/assessments/{reference}/events",
    }


@pytest.mark.django_db
def test_the_docs_page_loads_its_assets_from_the_app(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html  # nothing inline: the CSP holds
    assert "swagger-ui-bundle.js" in html and "/static/" in html
    assert "//cdn" not in html and "unpkg" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"openapi.json" in script.content


def _documented(schema) -> set[tuple[str, str, str]]:
    return {
        (operation.method.upper(), operation.path, status)
        for operation in (result.ok() for result in schema.get_all_operations())
        for status in operation.definition.raw["responses"]
    }


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2)
def test_every_documented_status_code_is_reachable_and_conforms(live_server, transactional_db):
    """One real request per documented (operation, status), each validated against the schema;
    the set of statuses reached must be exactly the set documented."""
    base = live_server.url
    schema = schemathesis.openapi.from_url(base + SCHEMA_URL)
    reviewer = make_reviewer()
    owner = get_user_model().objects.create_user("pipeline", password="x" * 20)
    all_token = tokens.create_token(
        user=reviewer, name="ci", scope=TokenScope.READ_ALL, expires_at=None
    ).secret
    own_token = tokens.create_token(
        user=owner, name="ci", scope=TokenScope.READ_OWN, expires_at=None
    ).secret
    record = make_record()
    ref = record.reference
    drafts.start_draft(client_address="127.0.0.1")  # with the 201 below: the limit of 2 is met

    def auth(secret: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret}"}

    bad = auth("ast_revoked-or-never-issued")
    assessments = f"{base}/api/v1/assessments"
    requests_by_status = {
        ("GET", "/api/v1/questionnaire", "200"): ("get", f"{base}/api/v1/questionnaire", {}, None),
        ("GET", "/api/v1/questionnaire", "400"): (
            "get",
            f"{base}/api/v1/questionnaire?version=v0",
            {},
            None,
        ),
        ("GET", "/api/v1/questionnaire", "401"): ("get", f"{base}/api/v1/questionnaire", bad, None),
        ("POST", "/api/v1/assessments", "201"): (
            "post",
            assessments,
            auth(own_token),
            submission_body(),
        ),
        ("POST", "/api/v1/assessments", "400"): (
            "post",
            assessments,
            {},
            submission_body(answers={}),
        ),
        ("POST", "/api/v1/assessments", "401"): ("post", assessments, bad, submission_body()),
        ("POST", "/api/v1/assessments", "429"): ("post", assessments, {}, submission_body()),
        ("GET", "/api/v1/assessments", "200"): ("get", assessments, auth(all_token), None),
        ("GET", "/api/v1/assessments", "400"): (
            "get",
            f"{assessments}?submitted_from=yesterday",
            auth(all_token),
            None,
        ),
        ("GET", "/api/v1/assessments", "401"): ("get", assessments, {}, None),
        ("GET", "/api/v1/assessments", "403"): ("get", assessments, auth(own_token), None),
        ("GET", "/api/v1/assessments", "404"): (
            "get",
            f"{assessments}?cursor=not-a-cursor",
            auth(all_token),
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}", "200"): (
            "get",
            f"{assessments}/{ref}",
            auth(all_token),
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}", "401"): (
            "get",
            f"{assessments}/{ref}",
            bad,
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}", "404"): (
            "get",
            f"{assessments}/{ref}",
            auth(own_token),
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}/events", "200"): (
            "get",
            f"{assessments}/{ref}/events",
            auth(all_token),
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}/events", "401"): (
            "get",
            f"{assessments}/{ref}/events",
            {},
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}/events", "403"): (
            "get",
            f"{assessments}/{ref}/events",
            auth(own_token),
            None,
        ),
        ("GET", "/api/v1/assessments/{reference}/events", "404"): (
            "get",
            f"{assessments}/AS-2099-00001/events",
            auth(all_token),
            None,
        ),
    }
    assert set(requests_by_status) == _documented(schema)
    # The 201 runs first and, with the 429 after two submissions, uses the limit up.
    order = sorted(requests_by_status, key=lambda key: key[2] == "429")
    for key in order:
        method, url, headers, body = requests_by_status[key]
        response = requests.request(method, url, headers=headers, json=body, timeout=30)
        assert str(response.status_code) == key[2], (key, response.text[:300])
        schema[key[1]][key[0]].validate_response(response)
