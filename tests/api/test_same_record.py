"""The API, the result page and the PDF describe one record with one hash, byte for byte."""

from __future__ import annotations

import hashlib
import re

import pytest

from assessment.canonical import canonical_json
from assessment.models import Record
from assessment.pdf.summary import attachment_name
from tests.api.conftest import bearer
from tests.pdf.conftest import pdf_text, read_pdf, squashed

pytestmark = pytest.mark.django_db


def test_api_page_and_pdf_carry_the_same_sha256_and_the_same_record(api, client, submit, own_token):
    created = submit("review", own_token)
    gate = api.get(f"/api/v1/assessments/{created['reference']}", **bearer(own_token)).json()
    record = Record.objects.get(reference=created["reference"])

    page = client.get(created["private_link"]).content.decode()
    shown = re.search(r"Record hash \(SHA-256\)</dt><dd[^>]*>([0-9a-f]{64})<", page).group(1)

    pdf = read_pdf(client.get(created["pdf_url"]).content)
    (attached,) = pdf.attachments[attachment_name(record)]

    assert created["sha256"] == gate["sha256"] == shown == record.sha256
    assert gate["sha256"] in squashed(pdf_text(pdf))
    # The PDF's embedded JSON is the record the API returns, in its canonical bytes.
    assert canonical_json(gate["record"]) == attached
    assert hashlib.sha256(attached).hexdigest() == gate["sha256"]
    assert gate["findings"] == created["findings"]
