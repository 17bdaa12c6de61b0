"""CSV and JSON exports: the documented columns (labels as on screen, codes beside them), UTF-8
that csv.DictReader reads as the README says, who decided / approved / closed, the messages
with the respondent, the answers, the filters, no formula injection. Files are read back with
csv.DictReader and json, as an auditor would."""

import csv
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import exports
from assessment.exports import COLUMNS, safe_cell
from assessment.models import Record
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.services import review
from tests.factories import answers_for, make_record
from tests.review_support import make_approver

pytestmark = pytest.mark.django_db

# The public CSV/JSON column order, written out again on purpose (not imported from
# exports.COLUMNS): a change to the format must change this test too.
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
    "automatic_outcome_code",
    "status_code",
    "decided_outcome_code",
    "effective_outcome_code",
    "decided_by",
    "approved_by",
    "approved_at",
    "closed_by",
    "closed_at",
    "close_reason",
    "decision_message",
    "messages",
]
WHY = "The signed agreement AGR-2026-7 covers exactly this use."


def _download(client, name: str, tmp_path: Path, **params) -> Path:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / f"export.{name.rsplit('_', 1)[-1]}"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _csv(client, tmp_path: Path, **params) -> list[dict[str, str]]:
    path = _download(client, "review:export_csv", tmp_path, **params)
    # Exactly as the README says to read it.
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _json(client, tmp_path: Path, **params) -> dict:
    with open(_download(client, "review:export_json", tmp_path, **params), encoding="utf-8") as f:
        return json.load(f)


def test_the_column_set_is_stable():
    assert list(COLUMNS) == EXPECTED_COLUMNS


def test_the_csv_is_utf8_without_a_bom_and_reads_as_the_readme_says(signed_in, tmp_path):
    make_record(kind="review", details={"respondent_name": "José García", "organisation": "Ünï"})
    path = _download(signed_in, "review:export_csv", tmp_path)
    assert path.read_bytes().startswith(b"reference,")  # no byte order mark
    # Both ways of opening it in Python give the first column its name.
    for newline in ("", None):
        with open(path, encoding="utf-8", newline=newline) as file:
            [row] = csv.DictReader(file)
        assert row["reference"].startswith("AS-")
        assert (row["respondent_name"], row["organisation"]) == ("José García", "Ünï")


def test_labels_as_on_screen_with_the_codes_beside_them(signed_in, rita, tmp_path):
    record = make_record(kind="review")
    review.request_information(record=record, user=rita, expected_revision=0, message="Which?")
    [row] = _csv(signed_in, tmp_path)
    assert (row["status"], row["status_code"]) == ("Information requested", "awaiting_respondent")
    assert (row["automatic_outcome"], row["automatic_outcome_code"]) == ("Needs review", "review")
    assert (row["effective_outcome"], row["effective_outcome_code"]) == ("Needs review", "review")
    assert (row["decided_outcome"], row["decided_outcome_code"]) == ("", "")


def test_who_decided_approved_and_closed_and_why(signed_in, rita, tmp_path):
    april = make_approver()
    record = make_record(kind="prohibited")
    review.override(
        record=record, user=rita, expected_revision=0, outcome="permitted", justification=WHY
    )
    review.approve(
        record=record,
        user=april,
        expected_revision=1,
        note="Agreement checked: go ahead.",
        audience="respondent",
    )
    review.close(record=record, user=rita, expected_revision=2, reason="Done, agreement on file.")
    record.refresh_from_db()
    [row] = _csv(signed_in, tmp_path)
    assert row["decided_outcome"] == row["effective_outcome"] == "Permitted"
    assert (row["decided_by"], row["approved_by"], row["closed_by"]) == ("rita", "april", "rita")
    assert row["close_reason"] == "Done, agreement on file."
    assert row["decision_message"] == "Agreement checked: go ahead."
    assert row["approved_at"].endswith("Z") and row["closed_at"].endswith("Z")
    assert row["status"] == "Closed"
    assert (
        "Proposed a decision for approval by rita: Decided→Awaiting approval"
        not in row["decision_history"]
    )  # the proposal came from "New"
    assert (
        "Proposed a decision for approval by rita: New→Awaiting approval, Prohibited→Prohibited"
        in (row["decision_history"])
    )
    assert (
        "Approved the proposed decision by april: Awaiting approval→Decided, Prohibited→Permitted"
        in (row["decision_history"])
    )


def test_messages_to_and_from_the_respondent_with_their_audience(signed_in, rita, tmp_path):
    record = make_record(kind="review")
    review.request_information(
        record=record, user=rita, expected_revision=0, message="Which languages?"
    )
    review.respondent_reply(record=record, message="English and Welsh.")
    review.add_note(record=record, user=rita, note="Internal: looks fine.", audience="internal")
    review.add_note(record=record, user=rita, note="Thanks, we are on it.", audience="respondent")

    [row] = _csv(signed_in, tmp_path)
    messages = row["messages"].split(" | ")
    assert len(messages) == 3
    assert "To the respondent (Requested more information, rita): Which languages?" in messages[0]
    assert "To the reviewers (Respondent wrote, Respondent): English and Welsh." in messages[1]
    assert "To the respondent (Wrote a note, rita): Thanks, we are on it." in messages[2]
    assert "Internal" not in row["messages"]

    [data] = _json(signed_in, tmp_path)["records"]
    assert [(m["audience"], m["by"], m["text"]) for m in data["messages"]] == [
        ("To the respondent", "rita", "Which languages?"),
        ("To the reviewers", "Respondent", "English and Welsh."),
        ("To the respondent", "rita", "Thanks, we are on it."),
    ]
    # The full trail keeps the internal note, with its audience.
    assert ("Internal: looks fine.", "internal") in [
        (e["note"], e["audience"]) for e in data["events"]
    ]


def test_one_column_per_question_of_each_version_with_the_answers(signed_in, tmp_path):
    current = make_record(kind="review")
    older = make_record(kind="prohibited", version="v1")
    rows = {row["reference"]: row for row in _csv(signed_in, tmp_path)}

    header = list(rows[current.reference])
    answer_headers = header[len(EXPECTED_COLUMNS) :]
    expected_headers = [
        f"{version} {question.id}: {question.text}"
        for version in ("v1", CURRENT_VERSION)
        for question in load(version).questions.values()
    ]
    assert answer_headers == expected_headers

    for record in (current, older):
        row = rows[record.reference]
        asked = {a["question_id"]: a for a in record.payload["answers"]}
        for version in ("v1", CURRENT_VERSION):
            for question in load(version).questions.values():
                cell = row[f"{version} {question.id}: {question.text}"]
                if version == record.questionnaire_version and question.id in asked:
                    assert cell == "; ".join(asked[question.id]["answer"]), question.id
                else:
                    assert cell == "", (record.questionnaire_version, version, question.id)

    data = _json(signed_in, tmp_path)
    by_reference = {row["reference"]: row for row in data["records"]}
    for record in (current, older):
        assert [
            (a["question_id"], a["question"], a["value"], a["answer"])
            for a in by_reference[record.reference]["answers"]
        ] == [
            (a["question_id"], a["question"], a["value"], a["answer"])
            for a in record.payload["answers"]
        ]


def test_an_export_of_one_version_has_only_its_questions(signed_in, tmp_path):
    make_record(kind="review")
    [row] = _csv(signed_in, tmp_path)
    assert not [column for column in row if column.startswith("v1 ")]
    assert not [column for column in row if column.startswith("v2 ")]
    assert [column for column in row if column.startswith(f"{CURRENT_VERSION} ")]


def test_a_typed_answer_cannot_run_as_a_formula(signed_in, tmp_path):
    answers = dict(answers_for("review"))
    text_questions = [qid for qid in answers if load().questions[qid].kind in ("text", "long_text")]
    assert text_questions
    for qid in text_questions:
        answers[qid] = '=HYPERLINK("http://x")'
    record = make_record(kind="review", answers=answers)
    [row] = _csv(signed_in, tmp_path)
    for qid in text_questions:
        question = load().questions[qid]
        assert row[f"{CURRENT_VERSION} {qid}: {question.text}"] == '\'=HYPERLINK("http://x")'
    [data] = _json(signed_in, tmp_path)["records"]
    assert {a["value"] for a in data["answers"] if a["question_id"] in text_questions} == {
        '=HYPERLINK("http://x")'
    }
    assert record.reference == row["reference"]


def test_exports_follow_the_queue_filters(signed_in, tmp_path):
    make_record(kind="permitted")
    prohibited = make_record(kind="prohibited")
    rows = _csv(signed_in, tmp_path, outcome="prohibited")
    assert [r["reference"] for r in rows] == [prohibited.reference]
    data = _json(signed_in, tmp_path, outcome="prohibited")
    assert [r["reference"] for r in data["records"]] == [prohibited.reference]


def test_the_json_export_has_the_columns_and_the_full_trail(signed_in, rita, tmp_path):
    record = make_record(kind="review")
    review.request_information(record=record, user=rita, expected_revision=0, message="Which?")
    data = _json(signed_in, tmp_path)
    assert data["columns"] == [*EXPECTED_COLUMNS, "answers", "events"]
    [row] = data["records"]
    assert set(row) == {*EXPECTED_COLUMNS, "answers", "events"}
    assert [e["action"] for e in row["events"]] == ["submitted", "info_requested"]
    assert row["events"][1]["note"] == "Which?"
    assert {e["record_sha256"] for e in row["events"]} == {record.sha256}
    assert isinstance(row["categories"], list)
    assert row["status"] == "Information requested"


def test_the_csv_has_the_decision_history(signed_in, rita, tmp_path):
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
    [row] = _csv(signed_in, tmp_path)
    assert row["reference"] == record.reference
    assert row["decided_outcome"] == row["effective_outcome"] == "Prohibited"
    assert row["decided_by"] == row["assigned_to"] == "rita"
    assert row["decision_note"] == "Why."
    assert "Decided by rita: In review→Decided, Needs review→Prohibited" in row["decision_history"]
    assert row["event_count"] == "3"
    assert row["sha256"] == record.sha256
    assert row["submitted_at"].endswith("Z")


def test_queries_per_chunk_stay_constant(rita, monkeypatch):
    """Streamed in chunks: the queries grow with the number of chunks, not of records."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    april = make_approver()
    for n in range(9):
        record = make_record(kind="prohibited" if n % 3 == 0 else "review")
        review.request_information(record=record, user=rita, expected_revision=0, message="?")
        review.respondent_reply(record=record, message="Answer.")
        if n % 3 == 0:
            review.override(
                record=record,
                user=rita,
                expected_revision=record.revision,
                outcome="permitted",
                justification=WHY,
            )
            review.approve(record=record, user=april, expected_revision=record.revision)

    def queries(count: int, full_trail: bool) -> int:
        queryset = Record.objects.order_by("pk")[:count]
        ids = list(queryset.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as captured:
            rows = list(exports.rows(Record.objects.filter(pk__in=ids), full_trail=full_trail))
        assert len(rows) == count
        return len(captured)

    for full_trail in (False, True):
        one, two, three = (queries(n, full_trail) for n in (3, 6, 9))
        per_chunk = two - one
        assert three - two == per_chunk <= 2, (full_trail, one, two, three)


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"])
def test_every_text_cell_is_safe_from_formula_injection(signed_in, tmp_path, dangerous):
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
    [row] = _csv(signed_in, tmp_path)
    for column in text_columns:
        assert row[column] == "'" + dangerous, (column, row[column])


def test_harmless_cells_are_left_alone():
    assert safe_cell("Ada Lovelace") == "Ada Lovelace"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(3) == 3
    assert safe_cell("=HYPERLINK()") == "'=HYPERLINK()"
