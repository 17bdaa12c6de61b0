"""The one typed reader of a stored record (assessment/records/reader.py)."""

from __future__ import annotations

import hashlib

import pytest

from assessment.models import Record
from assessment.questionnaire import load
from assessment.records import read_record, reader
from assessment.services import review
from tests.engine.v2_support import plan
from tests.factories import make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db


def test_it_reads_findings_with_paraphrased_clauses_and_the_answers_behind_them():
    record = make_record(kind="prohibited")
    view = read_record(record)
    questionnaire = load(record.questionnaire_version)
    assert view.outcome == "prohibited" and view.outcome_label == "Prohibited"
    assert view.findings[0].kind == "prohibited"  # worst first
    for finding in view.findings:
        assert finding.clauses
        for clause in finding.clauses:
            assert clause.paraphrase == questionnaire.clauses[clause.id]
        assert finding.because and all(r.outcome_id == finding.id for r in finding.because)
    assert {r.outcome_id for r in view.reasons} == {f.id for f in view.findings}
    assert [a.question_id for a in view.answers] == list(record.answers)


def test_it_reads_the_respondent_and_dates_from_the_hashed_payload():
    record = make_record(details={"respondent_name": "Grace Hopper"})
    view = read_record(record)
    assert view.respondent.name == "Grace Hopper"
    assert view.submitted_at == record.submitted_at
    assert view.reference == record.reference


def test_its_canonical_json_is_what_the_hash_covers():
    record = make_record()
    view = read_record(record)
    assert hashlib.sha256(view.canonical_json()).hexdigest() == view.sha256 == record.sha256
    assert view.intact


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"result": "not an object", "answers": 7, "respondent": None},
        {"result": {"outcomes": [None, 3, {"clauses": "C1"}], "trace": [[]]}, "answers": [1]},
    ],
    ids=["empty", "wrong-types", "wrong-items"],
)
def test_a_malformed_payload_reads_as_empty_never_as_an_error(payload):
    record = make_record()
    Record.objects.filter(pk=record.pk).update(payload=payload)
    record.refresh_from_db()
    view = read_record(record)
    assert view.integrity_problems  # and it says the record is not intact
    assert view.reference == record.reference  # the column stands in for what is missing
    assert all(isinstance(f.title, str) for f in view.findings)
    assert not view.cleared


def test_only_a_decision_in_a_final_status_is_final():
    reviewer = make_reviewer()
    record = make_record(kind="permitted")
    assert not read_record(record).review.final
    review.assign_to_me(record=record, user=reviewer, expected_revision=record.revision)
    assert not read_record(record).review.final
    review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    view = read_record(record)
    assert view.review.final and view.review.confirmed_by_reviewer
    assert view.cleared


def test_a_permitted_part_of_a_worse_result_does_not_say_proceed():
    """A sentiment classifier that also drafts replies: the sentiment part alone says
    "Proceed once a compliance reviewer has confirmed this result.", which under a prohibited
    result a newcomer read as leave to go ahead."""
    mixed = read_record(make_record(answers=plan(does=("sentiment", "narrow_writer"))))
    assert mixed.outcome == "prohibited"
    by_kind = {finding.kind: finding for finding in mixed.findings}
    assert by_kind["permitted"].next_steps == (reader.OUTWEIGHED_NEXT_STEP,)
    # Its badge does not read as the answer either (walkers skimming a result took it so).
    assert by_kind["permitted"].kind_label == "Permitted on its own"
    assert by_kind["prohibited"].next_steps[0].startswith("Stop")
    stored = next(o for o in mixed.record.payload["result"]["outcomes"] if o["kind"] == "permitted")
    # The record's own words are untouched.
    assert stored["next_steps"][0].startswith("Proceed once a compliance reviewer has confirmed")

    alone = read_record(make_record(answers=plan(does=("sentiment",))))
    assert alone.outcome == "permitted"
    assert alone.findings[0].next_steps[0].startswith("Proceed once a compliance reviewer")
    assert alone.findings[0].kind_label == "Permitted"
