"""Reads for the respondent's result page: the stored record, put in the words shown.

What was asked, answered and found is read by `records.reader` (the hashed payload, as every
reader reads it); this adds the case state reviewers have moved since and the conversation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.timezone import localtime

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
from assessment.records.reader import Answer, Clause, Finding, Reason, read_record

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
    clauses: tuple[Clause, ...]
    status_label: str
    awaiting_reply: bool
    can_write: bool  # the reviewers have asked something, and the case is not closed
    conversation: tuple[Message, ...]
    submitted: str  # when, as the page says it
    current_version: str = CURRENT_VERSION  # "Start a new assessment" asks this version
    revises_reference: str = ""  # the earlier assessment this one revises, if any


# The conversation's statement is compiled with this in place of the record's token; no record
# has it (a token is 43 characters of base64).
_NO_SUCH_LINK = "conversation-of-any-record"


def _conversation_queryset() -> QuerySet[Event]:
    return (
        Event.objects.filter(record__token=_NO_SUCH_LINK)
        .for_respondent()
        .order_by("created_at", "pk")
    )


@functools.cache
def _conversation() -> tuple[compiled.Lookup, tuple[str | int, ...]]:
    """The conversation's statement compiled once (assessment/compiled.py), with the parameters
    it takes: the ORM took about a millisecond to build it on every result page (issue 15),
    against a twentieth of that to run it. On first use, not at import: compiling may need the
    database's version. It names the record by its token, so that it can go to the database
    with the record's own statement (`result_page_for_respondent`)."""
    compiled_with = _conversation_queryset().query.sql_with_params()[1]
    parameters = tuple(p if isinstance(p, int) else str(p) for p in compiled_with)
    return compiled.Lookup(_conversation_queryset, parameters, Event), parameters


def _conversation_parameters(token: str) -> tuple[str | int, ...]:
    return tuple(token if p == _NO_SUCH_LINK else p for p in _conversation()[1])


def _conversation_events(record: Record) -> list[Event]:
    found = _conversation()[0].all(*_conversation_parameters(record.token))
    return [row[0] for row in found]


def _attachment_names(events: list[Event]) -> dict[int, str]:
    """Only the respondent's messages carry attachments: no query for a conversation without."""
    replies = [event.pk for event in events if event.action == EventAction.RESPONDENT_REPLIED]
    if not replies:
        return {}
    return dict(Attachment.objects.filter(event_id__in=replies).values_list("event_id", "name"))


def result_page_for_respondent(token: str) -> ResultPage:
    """The result page of the record whose private link this is (Http404 if none), the record
    and its conversation read in one round trip: on PostgreSQL a second round trip cost the
    page more than anything else it does (issue 15)."""
    record, rows = access.record_and_rows_for_respondent(
        token, _conversation()[0], _conversation_parameters(token)
    )
    return result_page(record, events=[row[0] for row in rows])


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


def result_page(record: Record, *, events: list[Event] | None = None) -> ResultPage:
    """The page of `record`; `events` is its conversation when the caller read it already."""
    view = read_record(record)
    # One query for the conversation and the closing reason (a respondent-facing CLOSED event
    # is part of the conversation): two before, each built by the ORM anew.
    if events is None:
        events = _conversation_events(record)
    attachments = _attachment_names(events)
    conversation = tuple(
        Message(
            created_at=event.created_at,
            from_reviewer=event.action != EventAction.RESPONDENT_REPLIED,
            text=event.note,
            is_request=event.action == EventAction.INFO_REQUESTED,
            attachment_name=attachments.get(event.pk, ""),
        )
        for event in events
    )
    closing = max(
        (event for event in events if event.action == EventAction.CLOSED),
        key=lambda event: event.pk,
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
        close_reason=closing.note if closing is not None else "",
        categories=view.categories,
        findings=view.findings,
        reasons=view.reasons,
        answers=view.answers,
        clauses=view.clauses,
        status_label=RESPONDENT_STATUS_LABELS[record.status],
        awaiting_reply=record.status == Status.AWAITING_RESPONDENT,
        can_write=record.status != Status.CLOSED and any(m.is_request for m in conversation),
        conversation=conversation,
        submitted=when(record.submitted_at),
        revises_reference=record.revises.reference if record.revises is not None else "",
    )
