"""Anyone holding a PDF can check its reference and hash, and learn nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.models import Record
from tests.factories import make_record

pytestmark = pytest.mark.django_db

NO_MATCH = b"No stored record matches"


def verify(client, reference: str, sha256: str):
    return client.post(reverse("verify"), {"reference": reference, "sha256": sha256})


def test_verify_page_shows_the_form(client):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert b'name="reference"' in response.content and b'name="sha256"' in response.content


def test_correct_reference_and_hash_match(client):
    record = make_record(kind="permitted")
    response = verify(client, record.reference, record.sha256)
    assert response.status_code == 200
    assert b'data-verdict="match"' in response.content


def test_hash_copied_with_spaces_and_capitals_still_matches(client):
    record = make_record(kind="permitted")
    copied = f" {record.sha256[:32].upper()}\n{record.sha256[32:]} "
    response = verify(client, record.reference.lower(), copied)
    assert b'data-verdict="match"' in response.content


def test_wrong_hash_and_unknown_reference_get_the_same_answer(client):
    record = make_record(kind="permitted")
    wrong_hash = verify(client, record.reference, "0" * 64)
    unknown_reference = verify(client, "AS-2026-99999", record.sha256)

    for response in (wrong_hash, unknown_reference):
        assert response.status_code == 200
        assert b'data-verdict="no-match"' in response.content
        assert NO_MATCH in response.content
        # Nothing about any record: no name, project or outcome.
        assert record.respondent_name.encode() not in response.content
        assert record.project_name.encode() not in response.content
    assert _verdict_block(wrong_hash) == _verdict_block(unknown_reference)


def test_tampered_payload_no_longer_matches(client):
    record = make_record(kind="review")
    tampered = {**record.payload, "result": {**record.payload["result"], "outcome": "permitted"}}
    Record.objects.filter(pk=record.pk).update(payload=tampered)
    response = verify(client, record.reference, record.sha256)
    assert b'data-verdict="no-match"' in response.content


def test_tampered_hash_column_no_longer_matches(client):
    record = make_record(kind="review")
    Record.objects.filter(pk=record.pk).update(sha256="f" * 64)
    assert b'data-verdict="no-match"' in verify(client, record.reference, "f" * 64).content


@pytest.mark.parametrize(
    ("reference", "sha256", "message"),
    [
        ("", "a" * 64, b"Enter the reference printed on the PDF"),
        ("AS-2026-00001", "", b"Enter the record hash printed on the PDF"),
        ("not a reference", "a" * 64, b"Enter the reference as printed on the PDF"),
        ("AS-2026-00001", "xyz", b"Enter the record hash exactly as printed on the PDF"),
        ("AS-2026-00001", "a" * 63, b"Enter the record hash exactly as printed on the PDF"),
    ],
)
def test_bad_input_is_400_with_the_error_summary(client, reference, sha256, message):
    response = verify(client, reference, sha256)
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert message in response.content
    assert b"<title>Error: Verify a PDF summary" in response.content
    assert b"data-verdict" not in response.content


def _verdict_block(response) -> bytes:
    start = response.content.index(b"data-verdict")
    return response.content[start : response.content.index(b"</div>", start)]


def _state_code_printed_on(record) -> str:
    from assessment.pdf import render_record_pdf
    from tests.pdf.conftest import pdf_text, read_pdf, squashed

    flat = squashed(pdf_text(read_pdf(render_record_pdf(record))))
    marker = "Reviewstatecode"
    start = flat.index(marker) + len(marker)
    return flat[start : start + 12]


def test_a_pdf_whose_decision_is_still_in_effect_is_current(client):
    record = make_record(kind="prohibited")
    code = _state_code_printed_on(record)
    response = client.post(
        reverse("verify"), {"reference": record.reference, "sha256": record.sha256, "state": code}
    )
    assert b'data-verdict="current"' in response.content


def test_a_pdf_printed_before_a_later_decision_is_superseded(client):
    from assessment.services import review
    from tests.review_support import make_approver, make_reviewer

    record = make_record(kind="prohibited")
    code = _state_code_printed_on(record)
    review.override(
        record=record,
        user=make_reviewer(),
        expected_revision=0,
        outcome="permitted",
        justification="The signed agreement AGR-9 covers it.",
    )
    # A proposal not yet approved changes nothing a document states.
    data = {"reference": record.reference, "sha256": record.sha256, "state": code}
    assert b'data-verdict="current"' in client.post(reverse("verify"), data).content
    review.approve(record=record, user=make_approver(), expected_revision=1)
    response = client.post(reverse("verify"), data)
    assert b'data-verdict="superseded"' in response.content
    assert b"the current decision differs" in response.content
    assert b"ask the compliance team for the current summary" in response.content
    # A wrong hash with the same code still reveals nothing.
    wrong = client.post(reverse("verify"), {**data, "sha256": "0" * 64})
    assert b'data-verdict="no-match"' in wrong.content
    assert b"superseded" not in wrong.content.lower()
