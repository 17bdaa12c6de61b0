"""A PDF summary says everything that matters on its own, and carries its record."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.conf import settings

from assessment.canonical import canonical_json
from assessment.models import Record
from assessment.pdf import render_record_pdf
from assessment.questionnaire import load
from assessment.services import review
from tests.factories import make_record
from tests.pdf.conftest import pdf_text, read_pdf, squashed
from tests.review_support import make_approver

pytestmark = pytest.mark.django_db


def test_text_carries_reference_outcome_and_every_answer():
    record = make_record(kind="review")
    text = pdf_text(read_pdf(render_record_pdf(record)))
    flat = squashed(text)

    assert record.reference in text
    assert "Needs review" in text
    for category in record.payload["result"]["categories"]:
        assert squashed(category) in flat
    for answer in record.payload["answers"]:
        assert squashed(answer["question"]) in flat
        for label in answer["answer"]:
            assert squashed(label) in flat


def test_each_deciding_fact_is_listed_with_its_answer():
    """An auditor reading the PDF years later sees every fact the respondent was asked, each
    with its own answer, as the record's questionnaire version words them."""
    record = make_record(kind="permitted")  # factories answer "No" to every statement
    facts = load(record.questionnaire_version).questions["model_facts"]
    flat = squashed(pdf_text(read_pdf(render_record_pdf(record))))
    for statement in facts.statements:
        assert squashed(f"{statement.label}: No") in flat, statement.value


def test_an_undecided_permitted_result_waits_for_a_reviewer_in_its_pdf():
    """A walker read "the automatic result stands until a reviewer decides" beside "Proceed once
    a compliance reviewer has confirmed this result" as leave to go ahead: a permitted record's
    PDF says it waits for that confirmation, as the result page does."""
    permitted = squashed(pdf_text(read_pdf(render_record_pdf(make_record(kind="permitted")))))
    waits = "Review state when produced: Not decided yet: a permitted result waits for a compliance"
    assert squashed(waits) in permitted
    assert squashed("Proceed once a compliance reviewer has confirmed this result") in permitted
    assert "stands until" not in permitted


def test_every_page_names_the_product_and_reference_and_counts_pages():
    reader = read_pdf(render_record_pdf(make_record(kind="review")))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert settings.ASSESSMENT_PRODUCT_NAME in text
        assert "AS-" in text
        assert f"Page {number} of {total}" in text


def test_explanation_paraphrases_the_deciding_clauses():
    record = make_record(kind="prohibited")
    flat = squashed(pdf_text(read_pdf(render_record_pdf(record))))
    clauses = load(record.questionnaire_version).clauses
    assert record.payload["result"]["clauses"]
    for clause_id in record.payload["result"]["clauses"]:
        assert squashed(clauses[clause_id]) in flat
    for outcome in record.payload["result"]["outcomes"]:
        assert squashed(outcome["title"]) in flat


def test_dates_version_hash_and_where_to_verify_are_printed():
    record = make_record(kind="permitted")
    text = pdf_text(read_pdf(render_record_pdf(record)))
    assert "Started" in text and "Submitted" in text and "Decided" in text
    assert f"Version {record.questionnaire_version}" in text
    assert record.sha256 in squashed(text)
    assert f"{settings.ASSESSMENT_PUBLIC_URL}/verify/" in text


def test_an_approved_override_shows_both_outcomes_the_reviewers_and_the_justification(reviewer):
    record = make_record(kind="permitted")
    review.override(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        outcome="prohibited",
        justification="The model writes open-ended replies to customers.",
    )
    review.approve(record=record, user=make_approver(), expected_revision=record.revision)
    record = Record.objects.get(pk=record.pk)
    flat = squashed(pdf_text(read_pdf(render_record_pdf(record, for_reviewers=True))))

    assert squashed("changed the automatic result, Permitted, to Prohibited") in flat
    assert squashed("Proposed a decision for approval") in flat
    assert squashed("Approved the proposed decision") in flat
    assert squashed("Grace Hopper (grace)") in flat
    assert squashed("The model writes open-ended replies to customers.") in flat
    assert squashed("Permitted → Prohibited") in flat


def test_metadata_and_pdfa_identification_are_present():
    record = make_record(kind="permitted")
    reader = read_pdf(render_record_pdf(record))
    meta = reader.metadata

    assert meta.title == f"Assessment {record.reference}: Permitted"
    assert meta.author == settings.ASSESSMENT_PRODUCT_NAME
    assert record.payload["respondent"]["project_name"] in meta.subject
    assert record.reference in meta["/Keywords"]
    assert meta.creation_date is not None and meta.modification_date is not None
    assert meta.creation_date.replace(microsecond=0) == record.submitted_at.replace(microsecond=0)

    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_pdf_is_tagged_and_declares_its_language():
    reader = read_pdf(render_record_pdf(make_record(kind="permitted")))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"


def test_embedded_json_is_the_canonical_record_and_matches_its_hash():
    record = make_record(kind="review")
    reader = read_pdf(render_record_pdf(record))
    name = f"record-{record.reference}.json"

    (attached,) = reader.attachments[name]
    assert attached == canonical_json(record.payload)
    assert hashlib.sha256(attached).hexdigest() == record.sha256
    assert json.loads(attached)["reference"] == record.reference


def test_attachment_is_an_associated_file_with_its_hash_in_the_description():
    record = make_record(kind="review")
    root = read_pdf(render_record_pdf(record)).trailer["/Root"]
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    filespec = names[1].get_object()

    assert filespec["/AFRelationship"] == "/Source"
    assert record.sha256 in filespec["/Desc"]
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    # PDF/A-3: the catalog lists each associated file, once.
    assert [ref.idnum for ref in root["/AF"]] == [names[1].idnum]


def test_a_tampered_record_is_flagged_in_its_pdf():
    record = make_record(kind="permitted")
    Record.objects.filter(pk=record.pk).update(
        payload={**record.payload, "respondent": {**record.payload["respondent"], "name": "X"}}
    )
    text = pdf_text(read_pdf(render_record_pdf(Record.objects.get(pk=record.pk))))
    assert "failed its integrity check" in text


def test_every_pdf_prints_its_review_state_when_and_the_decision_with_matching_next_steps(
    reviewer,
):
    record = make_record(kind="review")
    before = squashed(pdf_text(read_pdf(render_record_pdf(record))))
    assert squashed("Review state when produced: Not decided yet") in before
    assert "Produced" in before and record.review_state_code() in before
    review.decide(
        record=record,
        user=reviewer,
        expected_revision=0,
        outcome="prohibited",
        note="A chatbot, whatever its name.",
        audience="respondent",
    )
    review.add_note(record=record, user=reviewer, note="Internal: ask legal.", audience="internal")
    record = Record.objects.get(pk=record.pk)
    flat = squashed(pdf_text(read_pdf(render_record_pdf(record))))
    assert squashed("Review state when produced: Decided: Prohibited") in flat
    assert squashed("The reviewers’ decision: Prohibited") in flat
    assert squashed("A chatbot, whatever its name.") in flat
    assert squashed("Do not train the model as described.") in flat
    assert squashed("Internal: ask legal.") not in flat  # the respondent's PDF
    for finding in record.payload["result"]["outcomes"]:
        for step in finding["next_steps"]:
            assert squashed(step) not in flat
    for_reviewers = squashed(pdf_text(read_pdf(render_record_pdf(record, for_reviewers=True))))
    assert squashed("Internal: ask legal.") in for_reviewers
