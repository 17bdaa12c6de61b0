"""CSV and JSON exports: the documented columns, the filters, the history, no formula injection."""

import csv
import io
import json

import pytest
from django.urls import reverse

from assessment.exports import COLUMNS, safe_cell
from assessment.models import Record
from assessment.services import review
from tests.factories import make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db

EXPECTED_COLUMNS = [
    "reference",
    "submitted_at",
    "started_at",
    "questionnaire_version",
    "respondent_name",
    "respondent_email",
    "organisation",
    "project_name",
    "project_description",
    "automatic_outcome",
    "outcome_ids",
    "categories",
    "status",
    "assigned_to",
    "decided_outcome",
    "effective_outcome",
    "decided_at",
    "decision_note",
    "decision_history",
    "event_count",
    "sha256",
]


@pytest.fixture
def rita():
    return make_reviewer()


@pytest.fixture
def signed_in(client, rita):
    client.force_login(rita)
    return client


def _csv(client, **params) -> list[dict[str, str]]:
    response = client.get(reverse("review:export_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _json(client, **params) -> dict:
    response = client.get(reverse("review:export_json"), params)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_the_column_set_is_stable():
    assert list(COLUMNS) == EXPECTED_COLUMNS


def test_the_csv_has_the_documented_columns_and_the_decision_history(signed_in, rita):
    record = make_record(kind="review")
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    review.decide(
        record=record,
        user=rita,
        expected_revision=1,
        outcome="prohibited",
        note="Why.",
        audience="internal",
    )
    [row] = _csv(signed_in)
    assert list(row) == EXPECTED_COLUMNS
    assert row["reference"] == record.reference
    assert row["automatic_outcome"] == "review"
    assert row["decided_outcome"] == row["effective_outcome"] == "prohibited"
    assert row["status"] == "decided"
    assert row["assigned_to"] == "rita"
    assert row["decision_note"] == "Why."
    assert "decided by rita: in_review→decided, review→prohibited" in row["decision_history"]
    assert row["event_count"] == "3"
    assert row["sha256"] == record.sha256
    assert row["submitted_at"].endswith("Z")


def test_exports_follow_the_queue_filters(signed_in):
    make_record(kind="permitted")
    prohibited = make_record(kind="prohibited")
    assert [r["reference"] for r in _csv(signed_in, outcome="prohibited")] == [prohibited.reference]
    data = _json(signed_in, outcome="prohibited")
    assert [r["reference"] for r in data["records"]] == [prohibited.reference]


def test_the_json_export_has_the_columns_and_the_full_trail(signed_in, rita):
    record = make_record(kind="review")
    review.request_information(record=record, user=rita, expected_revision=0, message="Which?")
    data = _json(signed_in)
    assert data["columns"] == [*EXPECTED_COLUMNS, "events"]
    [row] = data["records"]
    assert set(row) == {*EXPECTED_COLUMNS, "events"}
    assert [e["action"] for e in row["events"]] == ["submitted", "info_requested"]
    assert row["events"][1]["note"] == "Which?"
    assert {e["record_sha256"] for e in row["events"]} == {record.sha256}
    assert isinstance(row["categories"], list)


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"])
def test_every_text_cell_is_safe_from_formula_injection(signed_in, dangerous):
    record = make_record()
    text_columns = {
        "respondent_name": dangerous,
        "respondent_email": dangerous,
        "organisation": dangerous,
        "project_name": dangerous,
        "project_description": dangerous,
    }
    # Whatever is stored (the forms strip spaces, but imports or old data may not).
    Record.objects.filter(pk=record.pk).update(**text_columns)
    [row] = _csv(signed_in)
    for column in text_columns:
        assert row[column] == "'" + dangerous, (column, row[column])


def test_harmless_cells_are_left_alone():
    assert safe_cell("Ada Lovelace") == "Ada Lovelace"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(3) == 3
    assert safe_cell("=HYPERLINK()") == "'=HYPERLINK()"
