"""Records submitted under v1, before v2 existed, still render, export, produce their PDF and
verify, byte for byte: the fixture holds payloads and hashes written by that earlier code."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.urls import reverse

from assessment import engine
from assessment.canonical import payload_sha256
from assessment.pdf import render_record_pdf
from assessment.questionnaire import CURRENT_VERSION, load
from tests.factories import insert_stored_record, stored_v1_records
from tests.pdf.conftest import read_pdf

STORED = stored_v1_records()

pytestmark = pytest.mark.django_db


def test_a_later_version_is_current_and_v1_still_loads() -> None:
    assert CURRENT_VERSION not in {"v1", "v2"}
    assert load("v1").version == "v1" and load("v2").version == "v2"


@pytest.mark.parametrize("stored", STORED, ids=lambda s: s["payload"]["reference"])
def test_v1_answers_still_give_exactly_the_stored_result(stored: dict) -> None:
    evaluation = engine.evaluate(load("v1"), stored["answers"])
    assert evaluation.result is not None
    assert evaluation.result.to_dict() == stored["payload"]["result"]


@pytest.mark.parametrize("stored", STORED, ids=lambda s: s["payload"]["reference"])
def test_a_stored_v1_record_is_intact_and_its_pdf_attachment_is_byte_identical(
    stored: dict,
) -> None:
    record = insert_stored_record(stored)
    assert payload_sha256(record.payload) == stored["sha256"]
    assert record.integrity_problems() == []
    reader = read_pdf(render_record_pdf(record))
    (attached,) = reader.attachments[f"record-{record.reference}.json"]
    assert hashlib.sha256(attached).hexdigest() == stored["sha256"]


def test_a_stored_v1_record_renders_for_its_respondent_with_every_cited_clause(client) -> None:
    # The v1 chatbot explanation mentions C6, which its finding does not list: the page lists it.
    stored = next(s for s in STORED if "prohibited_chatbot" in str(s["payload"]["result"]))
    record = insert_stored_record(stored)
    page = client.get(reverse("result", args=[record.token])).content.decode()
    assert 'data-outcome="prohibited"' in page
    assert "<dt>C6</dt>" in page
    assert record.sha256 in page


def test_a_stored_v1_record_verifies(client) -> None:
    record = insert_stored_record(STORED[0])
    response = client.post(
        reverse("verify"), {"reference": record.reference, "sha256": STORED[0]["sha256"]}
    )
    assert b'data-verdict="match"' in response.content


def test_a_stored_v1_record_exports_with_its_version_and_hash(admin_client) -> None:
    records = [insert_stored_record(stored) for stored in STORED]
    body = b"".join(admin_client.get(reverse("review:export_csv")).streaming_content)
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    for record in records:
        assert rows[record.reference]["questionnaire_version"] == "v1"
        assert rows[record.reference]["sha256"] == record.sha256
