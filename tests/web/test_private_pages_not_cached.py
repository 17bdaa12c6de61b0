"""Reviewer pages and /verify/ answers hold private data: no cache may keep them."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import parse_http_date
from django.views.decorators.cache import never_cache as djangos_never_cache

from assessment.views.caching import NEVER_CACHE_HEADERS
from tests.factories import make_draft, make_record
from tests.respondent_steps import question_url, steps_for

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_reviewer_page_is_private_and_not_stored(signed_in):
    record = make_record()
    urls = [
        reverse("review:queue"),
        reverse("review:queue") + "?submitted_from=bad",
        reverse("review:record", args=[record.reference]),
        reverse("review:stats"),
        reverse("review:versions"),
        reverse("review:version_compare") + "?old=v1&new=v2",
        reverse("review:version_impact", args=["v2"]),
        reverse("review:background"),
        reverse("review:export_csv"),
        reverse("review:export_json"),
    ]
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_a_reviewer_action_redirect_is_not_stored_either(signed_in, record):
    response = signed_in.post(
        reverse("review:action", args=[record.reference]),
        {"action": "assign", "assign-revision": "999"},
    )
    assert _no_store(response)


def test_the_verification_page_and_its_verdicts_are_not_stored(client):
    record = make_record()
    assert _no_store(client.get(reverse("verify")))
    verdict = client.post(reverse("verify"), {"reference": record.reference, "sha256": "0" * 64})
    assert verdict.status_code == 200
    assert _no_store(verdict)


def test_a_respondents_question_and_answer_are_not_stored_as_djangos_never_cache_says(client):
    """The respondent's pages use assessment/views/caching.py's never_cache: Django's headers,
    written once. Its Cache-Control is Django's, word for word, and its Expires already past."""
    djangos = djangos_never_cache(lambda request: HttpResponse())(HttpRequest())
    first = steps_for("permitted")[0]
    url = question_url(make_draft(answers={}), first.question.id)
    for response in (client.get(url), client.post(url, {"answer": first.value})):
        assert response.status_code in (200, 302)
        assert response["Cache-Control"] == djangos["Cache-Control"] == NEVER_CACHE_HEADERS[0][1]
        assert parse_http_date(response["Expires"]) <= parse_http_date(djangos["Expires"])
