"""Reviewer pages and /verify/ answers hold private data: no cache may keep them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_record

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
