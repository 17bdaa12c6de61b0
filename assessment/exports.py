"""Streamed CSV and JSON exports of the filtered queue, for auditors.

The column set is stable and documented in the README ("Reviewers"); add columns at the end,
never rename or reorder them. Rows are read in chunks, and each chunk's events in one query, so
memory stays flat and the number of queries grows with rows / CHUNK_SIZE only.

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
from django.http import StreamingHttpResponse
from django.utils import timezone

from assessment.models import Event, EventAction, Record, effective_outcome_expression

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
)

_RECORD_FIELDS = (
    "pk",
    "reference",
    "submitted_at",
    "started_at",
    "questionnaire_version",
    "respondent_name",
    "respondent_email",
    "organisation",
    "project_name",
    "project_description",
    "outcome",
    "outcome_ids",
    "categories",
    "status",
    "assigned_to__username",
    "decided_outcome",
    "decided_at",
    "sha256",
)
_EVENT_FIELDS = (
    "record_id",
    "created_at",
    "actor_label",
    "action",
    "from_status",
    "to_status",
    "from_outcome",
    "to_outcome",
    "note",
    "record_sha256",
)


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _timestamp(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _history_line(event: dict[str, Any]) -> str:
    line = (
        f"{_timestamp(event['created_at'])} {event['action']} by {event['actor_label']}: "
        f"{event['from_status'] or '-'}→{event['to_status'] or '-'}, "
        f"{event['from_outcome'] or '-'}→{event['to_outcome'] or '-'}"
    )
    return line


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
        trail = trail.filter(action__in=DECISIONS)
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
    row = {
        "reference": record["reference"],
        "submitted_at": _timestamp(record["submitted_at"]),
        "started_at": _timestamp(record["started_at"]),
        "questionnaire_version": record["questionnaire_version"],
        "respondent_name": record["respondent_name"],
        "respondent_email": record["respondent_email"],
        "organisation": record["organisation"],
        "project_name": record["project_name"],
        "project_description": record["project_description"],
        "automatic_outcome": record["outcome"],
        "outcome_ids": [oid for oid in record["outcome_ids"].split(";") if oid],
        "categories": list(record["categories"] or []),
        "status": record["status"],
        "assigned_to": record["assigned_to__username"] or "",
        "decided_outcome": record["decided_outcome"] or "",
        "effective_outcome": record["effective"],
        "decided_at": _timestamp(record["decided_at"]),
        "decision_note": decisions[-1]["note"] if decisions else "",
        "decision_history": [_history_line(event) for event in decisions],
        "event_count": event_count,
        "sha256": record["sha256"],
    }
    if full_trail:
        row["events"] = [
            {
                "at": _timestamp(event["created_at"]),
                "actor": event["actor_label"],
                "action": event["action"],
                "from_status": event["from_status"],
                "to_status": event["to_status"],
                "from_outcome": event["from_outcome"],
                "to_outcome": event["to_outcome"],
                "note": event["note"],
                "record_sha256": event["record_sha256"],
            }
            for event in events
        ]
    return row


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer feeds a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheets read the file as UTF-8
    yield writer.writerow(COLUMNS)
    joins = [
        (COLUMNS.index(column), " | " if column == "decision_history" else "; ")
        for column in ("outcome_ids", "categories", "decision_history")
    ]
    for row in records:
        cells = [row[column] for column in COLUMNS]
        for index, separator in joins:
            cells[index] = separator.join(cells[index])
        yield writer.writerow([safe_cell(cell) for cell in cells])


def json_chunks(records: Iterable[dict[str, Any]], *, exported_at: datetime) -> Iterator[str]:
    yield '{"schema":1,"exported_at":' + json.dumps(_timestamp(exported_at))
    yield ',"columns":' + json.dumps([*COLUMNS, "events"]) + ',"records":['
    for index, row in enumerate(records):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}\n"


def _filename(extension: str, now: datetime) -> str:
    return f"assessments-{now.strftime('%Y%m%d-%H%M%S')}.{extension}"


def csv_response(queryset: QuerySet[Record]) -> StreamingHttpResponse:
    now = timezone.now()
    response = StreamingHttpResponse(
        csv_lines(rows(queryset, full_trail=False)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv", now)}"'
    response["Cache-Control"] = "no-store"
    return response


def json_response(queryset: QuerySet[Record]) -> StreamingHttpResponse:
    now = timezone.now()
    response = StreamingHttpResponse(
        json_chunks(rows(queryset), exported_at=now), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json", now)}"'
    response["Cache-Control"] = "no-store"
    return response
