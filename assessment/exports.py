"""Streamed CSV and JSON exports of the filtered queue, for auditors and spreadsheet users.

The column set is stable and documented in the README ("Exports"); add columns at the end,
never rename or reorder them. Cells show what the pages show (labels); the codes behind them
are in `*_code` columns. After the fixed columns, the CSV has one column per question of each
questionnaire version in the export (the JSON has the same answers as a list per record).
Rows are read in chunks, and each chunk's events in one query, so memory stays flat and the
number of queries grows with rows / CHUNK_SIZE only.

The CSV is UTF-8 without a byte order mark, so `csv.DictReader(open(path, encoding="utf-8",
newline=""))` reads the first column's name as written (a BOM would make it "\ufeffreference").

CSV cells are neutralised against formula injection (OWASP): a text cell starting with
= + - @ tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as text.
JSON keeps the exact values (it is not opened by spreadsheets).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, QuerySet

from assessment.models import (
    EFFECTIVE_LABELS,
    OUTCOME_LABELS,
    Audience,
    Event,
    EventAction,
    Record,
    Status,
    effective_outcome_expression,
)
from assessment.questionnaire import available_versions, load
from assessment.services.drafts import DETAIL_FIELDS

CHUNK_SIZE = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DECISIONS = (
    EventAction.CONFIRMED,
    EventAction.DECIDED,
    EventAction.OVERRIDDEN,
    EventAction.PROPOSED,
    EventAction.APPROVED,
    EventAction.REJECTED,
)

COLUMNS: tuple[str, ...] = (
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
    # Appended with four eyes and the respondent's channel (issue 18).
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
)
# The columns whose cell is a list (CSV: joined with its separator).
_JOINED = {
    "outcome_ids": "; ",
    "categories": "; ",
    "decision_history": " | ",
    "messages": " | ",
}

# The record's fields behind the columns of the same name: copied as stored (the respondent's
# details among them, as entered), written as timestamps, or naming a user (by username).
_COPIED = (
    "reference",
    "questionnaire_version",
    *DETAIL_FIELDS,
    "sha256",
    "close_reason",
    "decision_message",
)
_TIMESTAMPS = ("submitted_at", "started_at", "decided_at", "approved_at", "closed_at")
_USERS = ("assigned_to", "decided_by", "approved_by", "closed_by")
_RECORD_FIELDS = (
    "pk",
    *_COPIED,
    *_TIMESTAMPS,
    *(f"{name}__username" for name in _USERS),
    "outcome",
    "outcome_ids",
    "categories",
    "status",
    "decided_outcome",
    # Only the answers as asked, not the whole hashed payload.
    "payload__answers",
)
# An event in the JSON export: "at" and "actor", then these, as the README lists them.
_EVENT_COPIED = (
    "action",
    "from_status",
    "to_status",
    "from_outcome",
    "to_outcome",
    "note",
    "record_sha256",
    "audience",
    "decision",
)
_EVENT_FIELDS = ("record_id", "created_at", "actor_label", *_EVENT_COPIED)


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _timestamp(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _label(labels: Any, code: str | None) -> str:
    """The label a page shows for `code` ("" stays ""; an unknown code is shown as it is)."""
    return labels.get(code, code) if code else ""


_STATUS_LABELS = dict(Status.choices)
_ACTION_LABELS = dict(EventAction.choices)


def _history_line(event: dict[str, Any]) -> str:
    return (
        f"{_timestamp(event['created_at'])} {_label(_ACTION_LABELS, event['action'])} by "
        f"{event['actor_label']}: "
        f"{_label(_STATUS_LABELS, event['from_status']) or '-'}→"
        f"{_label(_STATUS_LABELS, event['to_status']) or '-'}, "
        f"{_label(EFFECTIVE_LABELS, event['from_outcome']) or '-'}→"
        f"{_label(EFFECTIVE_LABELS, event['to_outcome']) or '-'}"
    )


def _message(event: dict[str, Any]) -> dict[str, str]:
    """A message to or from the respondent: when, who wrote it, who reads it, what it says."""
    from_respondent = event["action"] == EventAction.RESPONDENT_REPLIED
    return {
        "at": _timestamp(event["created_at"]),
        "kind": _label(_ACTION_LABELS, event["action"]),
        "by": event["actor_label"],
        "audience": "To the reviewers" if from_respondent else "To the respondent",
        "text": event["note"],
    }


def _message_line(message: dict[str, str]) -> str:
    return (
        f"{message['at']} {message['audience']} ({message['kind']}, {message['by']}): "
        f"{message['text']}"
    )


def _is_message(event: dict[str, Any]) -> bool:
    """The same rule as `EventQuerySet.for_respondent`, on a row already read."""
    if event["action"] in (EventAction.INFO_REQUESTED, EventAction.RESPONDENT_REPLIED):
        return True
    return (
        event["action"] in (EventAction.NOTE_ADDED, EventAction.CLOSED)
        and event["audience"] == Audience.RESPONDENT
    )


def answer_versions(queryset: QuerySet[Record]) -> list[str]:
    """The questionnaire versions of the records in `queryset`, oldest first: the CSV has a
    column for every question of each (one query, before the rows are streamed)."""
    present = set(queryset.order_by().values_list("questionnaire_version", flat=True).distinct())
    return [version for version in available_versions() if version in present]


def answer_columns(versions: Iterable[str]) -> list[tuple[str, str, str]]:
    """(version, question id, CSV header) for every question of each version, in the
    questionnaire's order. The header is the question's id and its text, prefixed by the
    version: the same id may be worded differently in another version."""
    return [
        (version, question.id, f"{version} {question.id}: {question.text}")
        for version in versions
        for question in load(version).questions.values()
    ]


def rows(queryset: QuerySet[Record], *, full_trail: bool = True) -> Iterator[dict[str, Any]]:
    """One dict per record with the export's columns, and with `full_trail` an "events" list
    (the whole audit trail). Without it only decision events are read, which is what the CSV
    columns need."""
    records = (
        queryset.annotate(effective=effective_outcome_expression())
        .values(*_RECORD_FIELDS, "effective")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    chunk: list[dict[str, Any]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == CHUNK_SIZE:
            yield from _with_events(chunk, full_trail=full_trail)
            chunk = []
    if chunk:
        yield from _with_events(chunk, full_trail=full_trail)


def _with_events(chunk: list[dict[str, Any]], *, full_trail: bool) -> Iterator[dict[str, Any]]:
    trail = Event.objects.filter(record_id__in=[record["pk"] for record in chunk])
    counts: dict[int, int] | None = None
    if not full_trail:
        counts = dict(trail.order_by().values_list("record_id").annotate(n=Count("*")))
        trail = trail.filter(action__in=DECISIONS) | trail.for_respondent()
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in trail.order_by("record_id", "created_at", "pk").values(*_EVENT_FIELDS):
        events[event["record_id"]].append(event)
    for record in chunk:
        found = events[record["pk"]]
        count = counts.get(record["pk"], 0) if counts is not None else len(found)
        yield _row(record, found, event_count=count, full_trail=full_trail)


def _row(
    record: dict[str, Any], events: list[dict[str, Any]], *, event_count: int, full_trail: bool
) -> dict[str, Any]:
    decisions = [event for event in events if event["action"] in DECISIONS]
    effective = record["effective"]
    cells = {
        **{name: record[name] for name in _COPIED},
        **{name: _timestamp(record[name]) for name in _TIMESTAMPS},
        **{name: record[f"{name}__username"] or "" for name in _USERS},
        "automatic_outcome": _label(OUTCOME_LABELS, record["outcome"]),
        "outcome_ids": [oid for oid in record["outcome_ids"].split(";") if oid],
        "categories": list(record["categories"] or []),
        "status": _label(_STATUS_LABELS, record["status"]),
        "decided_outcome": _label(EFFECTIVE_LABELS, record["decided_outcome"]),
        # effective_outcome_expression: never permitted unless a permitted decision took
        # effect, or the automatic permitted was left unchanged.
        "effective_outcome": _label(EFFECTIVE_LABELS, effective),
        "decision_note": decisions[-1]["note"] if decisions else "",
        "decision_history": [_history_line(event) for event in decisions],
        "event_count": event_count,
        "automatic_outcome_code": record["outcome"],
        "status_code": record["status"],
        "decided_outcome_code": record["decided_outcome"] or "",
        "effective_outcome_code": effective,
        "messages": [_message(event) for event in events if _is_message(event)],
    }
    # In the columns' documented order (the JSON objects' keys too).
    row = {column: cells[column] for column in COLUMNS}
    row["answers"] = _answers(record)
    if full_trail:
        row["events"] = [
            {
                "at": _timestamp(event["created_at"]),
                "actor": event["actor_label"],
                **{name: event[name] for name in _EVENT_COPIED},
            }
            for event in events
        ]
    return row


def _answers(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers as asked (the hashed record's own list, in path order): question id and
    text, the value (codes) and the answer as shown (labels, or the typed text)."""
    answers = record["payload__answers"]
    if not isinstance(answers, list):
        return []
    return [
        {
            "question_id": item.get("question_id", ""),
            "question": item.get("question", ""),
            "value": item.get("value"),
            "answer": item.get("answer"),
        }
        for item in answers
        if isinstance(item, dict)
    ]


def _answer_cell(answer: dict[str, Any]) -> str:
    shown = answer["answer"]
    if isinstance(shown, list):
        return "; ".join(str(item) for item in shown)
    return "" if shown is None else str(shown)


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer feeds a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(records: Iterable[dict[str, Any]], *, versions: Iterable[str]) -> Iterator[str]:
    """The CSV, line by line: UTF-8 text without a byte order mark (see the module's doc), the
    fixed columns, then one column per question of each of `versions` (`answer_versions`)."""
    writer = csv.writer(_Echo())
    questions = answer_columns(versions)
    yield writer.writerow([safe_cell(c) for c in [*COLUMNS, *(h for _, _, h in questions)]])
    for row in records:
        cells = [row[column] for column in COLUMNS]
        for index, column in enumerate(COLUMNS):
            if column == "messages":
                cells[index] = " | ".join(_message_line(m) for m in cells[index])
            elif column in _JOINED:
                cells[index] = _JOINED[column].join(cells[index])
        version = row["questionnaire_version"]
        answered = {answer["question_id"]: _answer_cell(answer) for answer in row["answers"]}
        cells += [answered.get(qid, "") if v == version else "" for v, qid, _ in questions]
        yield writer.writerow([safe_cell(cell) for cell in cells])


def json_chunks(records: Iterable[dict[str, Any]], *, exported_at: datetime) -> Iterator[str]:
    yield '{"schema":1,"exported_at":' + json.dumps(_timestamp(exported_at))
    yield ',"columns":' + json.dumps([*COLUMNS, "answers", "events"]) + ',"records":['
    for index, row in enumerate(records):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}\n"
