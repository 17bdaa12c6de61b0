"""Reads for the respondent's result page: the stored record, put in the words shown.

Everything comes from the record's hashed payload (what was decided at submission), plus the
case state reviewers have moved since. Clause ids are paraphrased from the questionnaire
version that produced the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from assessment.models import (
    DECISION_LABELS,
    DECISION_NEXT_STEPS,
    EFFECTIVE_LABELS,
    OUTCOME_LABELS,
    EventAction,
    Record,
    Status,
)
from assessment.questionnaire import CURRENT_VERSION, clause_paraphrases

# What the respondent is shown of each status: a proposal awaiting a second reviewer is not
# in effect, so to them the case is still in review.
RESPONDENT_STATUS_LABELS = {**dict(Status.choices), Status.PENDING_APPROVAL: "In review"}


@dataclass(frozen=True)
class Clause:
    id: str
    paraphrase: str


@dataclass(frozen=True)
class Trigger:
    """The respondent's own answer that led to a finding."""

    question: str
    answer: str


@dataclass(frozen=True)
class Finding:
    title: str
    kind: str
    kind_label: str
    category: str
    explanation: str
    clauses: tuple[Clause, ...]
    next_steps: tuple[str, ...]
    because: tuple[Trigger, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One line of "why": this answer to this question led to this outcome."""

    question: str
    answer: str
    kind: str
    kind_label: str
    category: str
    clause_ids: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    question: str
    labels: tuple[str, ...]
    is_text: bool


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
    current_version: str = CURRENT_VERSION  # "Start a new assessment" asks this version
    revises_reference: str = ""  # the earlier assessment this one revises, if any


def _labels(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return (str(value),) if value not in (None, "") else ()


def _attachment_name(event: Any) -> str:
    try:
        return str(event.attachment.name)
    except ObjectDoesNotExist:
        return ""


_CLAUSE_ID = re.compile(r"\bC[1-9][0-9]*[a-z]?\b")


def cited_clause_ids(outcome: dict[str, Any]) -> tuple[str, ...]:
    """The clauses a finding lists, then any its words cite without listing them (some v1
    explanations do), so the page shows every clause its text refers to."""
    listed = [str(cid) for cid in outcome.get("clauses", ()) or ()]
    words = " ".join([outcome.get("explanation", ""), *outcome.get("next_steps", ())])
    return tuple(dict.fromkeys([*listed, *_CLAUSE_ID.findall(words)]))


def triggers(result: dict[str, Any], outcome_id: str) -> tuple[Trigger, ...]:
    """The answers (question, answer as shown) that contributed the finding `outcome_id`."""
    return tuple(
        Trigger(question=item.get("question", ""), answer=", ".join(_labels(item.get("answer"))))
        for item in result.get("trace", ())
        if item.get("outcome_id") == outcome_id
    )


def result_page(record: Record) -> ResultPage:
    payload = record.payload
    result = payload.get("result", {})
    texts = clause_paraphrases(record.questionnaire_version)

    def clauses(ids: Any) -> tuple[Clause, ...]:
        return tuple(Clause(id=cid, paraphrase=texts.get(cid, "")) for cid in ids or ())

    findings = tuple(
        Finding(
            title=item.get("title", ""),
            kind=item.get("kind", ""),
            kind_label=OUTCOME_LABELS.get(item.get("kind", ""), item.get("kind", "")),
            category=item.get("category", ""),
            explanation=item.get("explanation", ""),
            clauses=clauses(cited_clause_ids(item)),
            next_steps=tuple(item.get("next_steps", ())),
            because=triggers(result, item.get("id", "")),
        )
        for item in result.get("outcomes", ())
    )
    reasons = tuple(
        Reason(
            question=item.get("question", ""),
            answer=", ".join(_labels(item.get("answer"))),
            kind=item.get("kind", ""),
            kind_label=OUTCOME_LABELS.get(item.get("kind", ""), item.get("kind", "")),
            category=item.get("category", ""),
            clause_ids=tuple(item.get("clauses", ())),
        )
        for item in result.get("trace", ())
    )
    answers = tuple(
        Answer(
            question=item.get("question", ""),
            labels=_labels(item.get("answer")),
            is_text=item.get("kind") in ("text", "long_text"),
        )
        for item in payload.get("answers", ())
    )
    events = (
        record.events.for_respondent().select_related("attachment").order_by("created_at", "pk")
    )
    conversation = tuple(
        Message(
            created_at=event.created_at,
            from_reviewer=event.action != EventAction.RESPONDENT_REPLIED,
            text=event.note,
            is_request=event.action == EventAction.INFO_REQUESTED,
            attachment_name=_attachment_name(event),
        )
        for event in events
    )
    closing = (
        record.events.for_respondent().filter(action=EventAction.CLOSED).order_by("-pk").first()
    )
    decision = record.decided_outcome or ""
    outcome = record.effective_outcome
    return ResultPage(
        record=record,
        automatic_outcome_label=OUTCOME_LABELS.get(record.outcome, record.outcome),
        outcome=outcome,
        outcome_label=EFFECTIVE_LABELS.get(outcome, outcome),
        decided_by_reviewer=record.decided_outcome is not None,
        decision_label=DECISION_LABELS.get(decision, ""),
        decision_message=record.decision_message,
        decision_next_steps=DECISION_NEXT_STEPS.get(decision, ()),
        close_reason=closing.note if closing is not None else "",
        categories=tuple(result.get("categories", record.categories)),
        findings=findings,
        reasons=reasons,
        answers=answers,
        clauses=clauses(result.get("clauses")),
        status_label=RESPONDENT_STATUS_LABELS[record.status],
        awaiting_reply=record.status == Status.AWAITING_RESPONDENT,
        can_write=record.status != Status.CLOSED and any(m.is_request for m in conversation),
        conversation=conversation,
        revises_reference=record.revises.reference if record.revises is not None else "",
    )
