"""No path reports a record as permitted unless a permitted decision took effect after a
second reviewer approved it, or the questionnaire said permitted and no reviewer changed it:
the respondent's page, the reviewer's page, the PDF, the CSV and the JSON all agree."""

import csv
import io
import json

import pytest
from django.urls import reverse

from assessment.models import EventAction, Record, TokenScope
from assessment.pdf import render_record_pdf
from assessment.selectors.stats import statistics
from assessment.services import review, tokens
from tests.factories import make_record
from tests.pdf.conftest import read_pdf
from tests.review_support import make_approver, make_reviewer, sign_in

pytestmark = pytest.mark.django_db

WHY = "The signed agreement AGR-2026-7 covers exactly this use."


def _scenarios() -> dict[str, Record]:
    rita, april = make_reviewer(), make_approver()
    made = {}

    made["automatic permitted, untouched"] = make_record(kind="permitted")

    record = make_record(kind="review")
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    made["decided permitted, awaiting approval"] = record

    record = make_record(kind="review")
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    review.reject(record=record, user=april, expected_revision=1, note="No agreement on file.")
    made["decided permitted, sent back"] = record

    record = make_record(kind="prohibited")
    review.override(
        record=record, user=rita, expected_revision=0, outcome="permitted", justification=WHY
    )
    made["overridden to permitted, awaiting approval"] = record

    record = make_record(kind="permitted")
    review.close(
        record=record, user=rita, expected_revision=0, reason="Duplicate.", ending="not_assessable"
    )
    made["automatic permitted, closed without a decision"] = record

    record = make_record(kind="permitted")
    review.override(
        record=record, user=rita, expected_revision=0, outcome="prohibited", justification=WHY
    )
    review.approve(record=record, user=april, expected_revision=1)
    made["automatic permitted, overridden to prohibited"] = record

    record = make_record(kind="review")
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    review.approve(record=record, user=april, expected_revision=1)
    made["decided permitted, approved"] = record

    record = make_record(kind="review")
    review.close(
        record=record, user=rita, expected_revision=0, reason="Withdrawn.", ending="withdrawn"
    )
    made["withdrawn"] = record
    return made


def _established(record: Record) -> bool:
    """Computed from the trail alone, independently of the code under test."""
    effective = list(record.events.decisions().order_by("created_at", "pk"))
    if effective:
        last = effective[-1]
        return last.decision == "permitted" and (
            last.action == EventAction.APPROVED or record.outcome == "permitted"
        )
    closed = record.events.filter(action=EventAction.CLOSED).exists()
    return record.outcome == "permitted" and not closed


def test_no_page_document_or_export_says_permitted_unless_it_was_established(client):
    records = _scenarios()
    expected = {name: _established(r) for name, r in records.items()}
    assert expected == {
        "automatic permitted, untouched": True,
        "decided permitted, awaiting approval": False,
        "decided permitted, sent back": False,
        "overridden to permitted, awaiting approval": False,
        "automatic permitted, closed without a decision": False,
        "automatic permitted, overridden to prohibited": False,
        "decided permitted, approved": True,
        "withdrawn": False,
    }

    auditor = make_reviewer("auditor", "auditor@example.com")
    secret = tokens.create_token(
        user=auditor, name="gate", scope=TokenScope.READ_ALL, expires_at=None
    ).secret
    sign_in(client, auditor)
    response = client.get(reverse("review:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8")
    csv_rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(text))}
    response = client.get(reverse("review:export_json"))
    json_rows = {
        row["reference"]: row for row in json.loads(b"".join(response.streaming_content))["records"]
    }

    for name, record in records.items():
        record = Record.objects.get(pk=record.pk)
        said_permitted = {
            "model": record.effective_outcome == "permitted",
            "respondent page": 'data-outcome="permitted"'
            in client.get(reverse("result", args=[record.token])).content.decode(),
            "reviewer page": 'data-effective="permitted"'
            in client.get(reverse("review:record", args=[record.reference])).content.decode(),
            "csv": csv_rows[record.reference]["effective_outcome_code"] == "permitted",
            "csv label": csv_rows[record.reference]["effective_outcome"] == "Permitted",
            "json": json_rows[record.reference]["effective_outcome_code"] == "permitted",
            "pdf": read_pdf(render_record_pdf(record)).metadata.title.endswith(": Permitted"),
            "api": client.get(
                f"/api/v1/assessments/{record.reference}",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            ).json()["effective_outcome"]
            == "permitted",
        }
        assert said_permitted == dict.fromkeys(said_permitted, expected[name]), name

    # Statistics count a permitted decision only where one took effect (approved).
    permitted = next(f for f in statistics().by_decision if f.label == "Permitted")
    approved = [r for n, r in records.items() if expected[n] and r.events.decisions().exists()]
    assert permitted.count == len(approved) == 1
