"""Reads for the respondent's result page: the stored record, put in the words shown.

What was asked, answered and found is read by `records.reader` (the hashed payload, as every
reader reads it); this adds the case state reviewers have moved since and the conversation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, F, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.db.models.sql.compiler import SQLCompiler
from django.utils.dates import MONTHS
from django.utils.timezone import localtime, make_aware

from assessment import access, compiled
from assessment.models import (
    DECISION_LABELS,
    DECISION_NEXT_STEPS,
    EFFECTIVE_LABELS,
    Attachment,
    Event,
    EventAction,
    Record,
    Status,
)
from assessment.questionnaire import CURRENT_VERSION
from assessment.records.reader import Answer, Finding, Reason, read_record

# What the respondent is shown of each status: a proposal awaiting a second reviewer is not
# in effect, so to them the case is still in review.
RESPONDENT_STATUS_LABELS = {**dict(Status.choices), Status.PENDING_APPROVAL: "In review"}


@dataclass(frozen=True)
class Message:
    """A reviewer's request or message, or one of the respondent's messages."""

    created_at: datetime
    from_reviewer: bool
    text: str
    is_request: bool = False
    attachment_name: str = ""


@dataclass(frozen=True)
class ResultPage:
    """The hashed record as every reader reads it (`records.reader`), plus what the respondent
    is shown of the case: the decision in effect and the conversation with the reviewers."""

    record: Record
    automatic_outcome_label: str
    outcome: str  # what the banner shows: the decision in effect if any, else the automatic one
    outcome_label: str
    decided_by_reviewer: bool
    decision_label: str
    decision_message: str
    decision_next_steps: tuple[str, ...]
    close_reason: str
    categories: tuple[str, ...]
    findings: tuple[Finding, ...]
    reasons: tuple[Reason, ...]
    answers: tuple[Answer, ...]
    status_label: str
    awaiting_reply: bool
    can_write: bool  # the reviewers have asked something, and the case is not closed
    conversation: tuple[Message, ...]
    submitted: str  # when, as the page says it
    current_version: str = CURRENT_VERSION  # "Start a new assessment" asks this version
    revises_reference: str = ""  # the earlier assessment this one revises, if any


class _JSONList(Aggregate):
    """The aggregated values as one JSON array, in no particular order: PostgreSQL's `jsonb`
    (which Django's backend hands to JSONField as text, to decode) or SQLite's text."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)


def _conversation_column() -> Subquery:
    """The record's conversation as a JSON array, one object per message (id, action, note,
    time, name of the file attached), to read in the record's own row."""
    attached = Attachment.objects.filter(event=OuterRef("pk")).values("name")
    said = (
        Event.objects.filter(record=OuterRef("pk"))
        .for_respondent()
        .order_by()
        .values("record")
        .annotate(
            messages=_JSONList(
                JSONObject(
                    id="pk",
                    action="action",
                    note="note",
                    at="created_at",
                    attached=Subquery(attached),
                )
            )
        )
        .values("messages")
    )
    return Subquery(said, output_field=JSONField())


# The record's statement is compiled with this in place of its token; no record has it (a token
# is 43 characters of base64).
_NO_SUCH_LINK = "record-of-any-link"


def _case_columns() -> dict[str, Subquery | F]:
    """What the result page shows beyond the record's own row: its conversation, and the
    reference of the assessment it revises (or None)."""
    return {"said": _conversation_column(), "earlier": F("revises__reference")}


def _by_token() -> QuerySet[Record]:
    return Record.objects.filter(token=_NO_SUCH_LINK).order_by().annotate(**_case_columns())


@functools.cache
def _page_lookup() -> tuple[compiled.Lookup, tuple[str | int, ...]]:
    """The record, its conversation and the reference it revises in one statement, compiled
    once (assessment/compiled.py), with the parameters it takes. On PostgreSQL a statement costs
    the worker about 75 µs of CPU before it reads a row: two statements, even in one round
    trip, cost the result page 140 µs more than one (issue 15). On first use, not at import:
    compiling may need the database's version."""
    compiled_with = _by_token().query.sql_with_params()[1]
    parameters = tuple(p if isinstance(p, int) else str(p) for p in compiled_with)
    return compiled.Lookup(_by_token, parameters, Record, annotations=2), parameters


def _moment(value: str) -> datetime:
    """A time as the conversation's JSON holds it: PostgreSQL writes the offset, SQLite
    writes the time in the database's time zone without one (as its DateTimeField does)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else make_aware(moment, connection.timezone)


def result_page_for_respondent(token: str) -> ResultPage:
    """The result page of the record whose private link this is (Http404 if none), the record
    and its conversation read in one statement."""
    lookup, parameters = _page_lookup()
    record, said, earlier = access.record_row_for_respondent(
        token, lookup, tuple(token if p == _NO_SUCH_LINK else p for p in parameters)
    )
    return _page(record, said, earlier)


def when(moment: datetime | None) -> str:
    """`moment` as the `date` filter shows it with "j F Y, H:i e" ("26 November 2026, 20:28 UTC"),
    said here so that the result page, drawn from parts, can take it as a value. Django's
    formatter took 30 µs, as much as filling in the whole page (issue 15); this takes a sixth of
    that, with the same translated month names, and tests/web/test_respondent_result_cache.py
    holds the two equal."""
    if moment is None:
        return ""
    local = localtime(moment)
    return (
        f"{local.day} {MONTHS[local.month]} {local.year:04d}, {local:%H:%M} {local.tzname() or ''}"
    )


def result_page(record: Record) -> ResultPage:
    """The page of `record`, its case read afresh (a refused reply is shown with its errors)."""
    case = Record.objects.filter(pk=record.pk)
    said, earlier = case.values_list(*_case_columns().values())[0]
    return _page(record, said, earlier)


def _page(record: Record, said: list[dict[str, Any]] | None, earlier: str | None) -> ResultPage:
    """The page of `record`, whose conversation is `said` (its JSON; None for none) and which
    revises the assessment `earlier` (its reference; None for none)."""
    view = read_record(record)
    # The conversation's order, which the aggregate does not keep; none is an empty array.
    dated = sorted(
        ((_moment(item["at"]), item["id"], item) for item in said or ()), key=itemgetter(0, 1)
    )
    conversation = tuple(
        Message(
            created_at=at,
            from_reviewer=item["action"] != EventAction.RESPONDENT_REPLIED,
            text=item["note"],
            is_request=item["action"] == EventAction.INFO_REQUESTED,
            attachment_name=item["attached"] or "",
        )
        for at, _, item in dated
    )
    # A respondent-facing CLOSED event is part of the conversation: the last one says why.
    closing = max(
        (item for item in said or () if item["action"] == EventAction.CLOSED),
        key=lambda item: item["id"],
        default=None,
    )
    decision = record.decided_outcome or ""
    outcome = record.effective_outcome
    return ResultPage(
        record=record,
        automatic_outcome_label=view.review.automatic_label,
        outcome=outcome,
        outcome_label=EFFECTIVE_LABELS.get(outcome, outcome),
        decided_by_reviewer=record.decided_outcome is not None,
        decision_label=DECISION_LABELS.get(decision, ""),
        decision_message=record.decision_message,
        decision_next_steps=DECISION_NEXT_STEPS.get(decision, ()),
        close_reason=closing["note"] if closing is not None else "",
        categories=view.categories,
        findings=view.findings,
        reasons=view.reasons,
        answers=view.answers,
        status_label=RESPONDENT_STATUS_LABELS[record.status],
        awaiting_reply=record.status == Status.AWAITING_RESPONDENT,
        can_write=record.status != Status.CLOSED and any(m.is_request for m in conversation),
        conversation=conversation,
        submitted=when(record.submitted_at),
        revises_reference=earlier or "",
    )
