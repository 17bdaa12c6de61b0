"""What a PDF summary says, read from one record: plain values for the template.

Everything the respondent saw and answered comes from the hashed `payload`, read by
`records.reader` as every reader reads it (not from the denormalised columns), so the PDF shows
exactly what the printed hash covers; here it only gains each typed text's direction. Only the case
state (status, decision, review trail) comes from the columns and events, which the hash does
not cover by design.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    DECISION_LABELS,
    DECISION_NEXT_STEPS,
    EFFECTIVE_LABELS,
    OUTCOME_LABELS,
    PERMITTED,
    Audience,
    EventAction,
    Record,
    Status,
)
from assessment.records import reader
from assessment.records.reader import Clause

# Events that decide or question the outcome: the ones an auditor reads as "review decisions".
DECISION_ACTIONS = frozenset(
    {
        EventAction.CONFIRMED,
        EventAction.DECIDED,
        EventAction.OVERRIDDEN,
        EventAction.APPROVED,
        EventAction.INFO_REQUESTED,
        EventAction.CLOSED,
    }
)
# What the respondent's PDF shows of the trail: what happened to their case, never the
# reviewers' internal work (assignments, proposals not in effect, internal notes).
RESPONDENT_ACTIONS = frozenset(
    {
        EventAction.SUBMITTED,
        EventAction.CONFIRMED,
        EventAction.DECIDED,
        EventAction.OVERRIDDEN,
        EventAction.APPROVED,
        EventAction.INFO_REQUESTED,
        EventAction.RESPONDENT_REPLIED,
        EventAction.NOTE_ADDED,
        EventAction.CLOSED,
    }
)
# Notes the respondent always reads: their own messages and the reviewers' questions.
OPEN_NOTES = frozenset({EventAction.INFO_REQUESTED, EventAction.RESPONDENT_REPLIED})


@dataclass(frozen=True)
class UserText:
    """Text someone typed, with its direction guessed from its first strong character.

    WeasyPrint does not support `unicode-bidi: plaintext` or `dir="auto"`, so the template
    sets `dir` itself: an Arabic or Hebrew answer then reads and aligns right to left.
    """

    text: str
    dir: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def user_text(value: Any) -> UserText:
    text = "" if value is None else str(value)
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return UserText(text, "rtl")
        if kind == "L":
            break
    return UserText(text, "ltr")


@dataclass(frozen=True)
class AnswerRow:
    number: int
    question: str
    answers: tuple[UserText, ...]
    typed: bool  # the respondent typed it: user text, shown escaped and wrapped
    multiline: bool


@dataclass(frozen=True)
class TrailEntry:
    when: str
    when_iso: str
    who: UserText
    action: str
    change: str
    note: UserText
    is_decision: bool


@dataclass(frozen=True)
class Summary:
    product_name: str
    reference: str
    title: str
    subject: str
    keywords: str
    created_iso: str
    modified_iso: str
    questionnaire_version: str
    status: str
    started: str
    submitted: str
    decided: str
    respondent: dict[str, UserText]
    outcome: str
    outcome_label: str
    automatic_outcome: str
    automatic_label: str
    changed_by_reviewer: bool
    confirmed_by_reviewer: bool
    categories: tuple[str, ...]
    clauses: tuple[Clause, ...]
    # As the record reader gives them: an outcome answers lead to comes from a choice, whose
    # labels are the questionnaire's own text, so nothing typed needs a direction here.
    findings: tuple[reader.Finding, ...]
    answers: tuple[AnswerRow, ...]
    trail: tuple[TrailEntry, ...]
    sha256: str
    verify_url: str
    attachment_name: str
    # The review state this document states, and when it was produced (see /verify/).
    produced: str = ""
    review_state: str = ""
    state_code: str = ""
    for_reviewers: bool = False
    decision_label: str = ""
    decision_message: UserText = field(default_factory=lambda: UserText("", "ltr"))
    decision_next_steps: tuple[str, ...] = ()
    decided_by: str = ""
    approved_by: str = ""
    integrity_problems: tuple[str, ...] = field(default=())
    # Which kind of seal the record carries: keyed (with its key id) or legacy (unkeyed).
    seal: str = ""


def attachment_name(record: Record) -> str:
    return f"record-{record.reference}.json"


def review_state(record: Record) -> str:
    """The review state in words, as a document states it."""
    decision = DECISION_LABELS.get(record.decided_outcome or "", "")
    if record.status == Status.CLOSED:
        return f"Closed: {decision or EFFECTIVE_LABELS[record.effective_outcome]}"
    if decision:
        return f"Decided: {decision}"
    if record.outcome == PERMITTED:
        # As the result page says: every permitted result waits for a reviewer's confirmation,
        # and the API's gate clears only that (a walker read "stands" as leave to go ahead).
        return "Not decided yet: a permitted result waits for a compliance reviewer's confirmation"
    return "Not decided yet: the automatic result stands until a reviewer decides"


def _shown_to_respondent(event: Any) -> bool:
    if event.action not in RESPONDENT_ACTIONS:
        return False
    if event.action == EventAction.NOTE_ADDED:
        return event.audience == Audience.RESPONDENT
    return True


def build_summary(record: Record, *, for_reviewers: bool = False) -> Summary:
    """The template's context for one record; reads events once (prefetched in bulk exports).

    The respondent's summary (the default) leaves out the reviewers' internal work: internal
    notes, assignments, proposals not in effect. `for_reviewers` keeps the whole trail."""
    view = reader.read_record(record)
    product = settings.ASSESSMENT_PRODUCT_NAME
    events = list(record.events.all())
    shown = events if for_reviewers else [e for e in events if _shown_to_respondent(e)]
    decision = record.decided_outcome or ""
    automatic = record.outcome
    effective = record.effective_outcome
    categories = view.categories
    submitted_at = view.submitted_at or record.submitted_at
    last_change = max([submitted_at, *(e.created_at for e in events)])
    respondent = {
        "name": user_text(view.respondent.name),
        "email": user_text(view.respondent.email),
        "organisation": user_text(view.respondent.organisation),
        "project_name": user_text(view.respondent.project_name),
        "project_description": user_text(view.respondent.project_description),
    }
    outcome_label = EFFECTIVE_LABELS.get(effective, effective)
    return Summary(
        product_name=product,
        reference=record.reference,
        title=f"Assessment {record.reference}: {outcome_label}",
        subject=(
            f"{product}: self-assessment of “{respondent.get('project_name', '')}” "
            f"against the policy {settings.ASSESSMENT_POLICY_NAME}"
        ),
        keywords=", ".join(
            [record.reference, outcome_label, *categories, record.questionnaire_version]
        ),
        created_iso=_iso(submitted_at),
        modified_iso=_iso(last_change),
        questionnaire_version=record.questionnaire_version,
        status=record.get_status_display(),
        started=_when(view.started_at or record.started_at),
        submitted=_when(submitted_at),
        decided=_when(record.decided_at) if record.decided_at else "",
        respondent=respondent,
        outcome=effective,
        outcome_label=outcome_label,
        automatic_outcome=automatic,
        automatic_label=OUTCOME_LABELS.get(automatic, automatic),
        changed_by_reviewer=bool(decision) and decision != automatic,
        confirmed_by_reviewer=decision == automatic,
        categories=categories,
        clauses=view.clauses,
        findings=view.findings,
        answers=tuple(_answer_row(n, answer) for n, answer in enumerate(view.answers, 1)),
        trail=tuple(_trail_entry(e, for_reviewers=for_reviewers) for e in shown),
        sha256=record.sha256,
        verify_url=settings.ASSESSMENT_PUBLIC_URL + reverse("verify"),
        attachment_name=attachment_name(record),
        produced=_when(timezone.now()),
        review_state=review_state(record),
        state_code=record.review_state_code(),
        for_reviewers=for_reviewers,
        decision_label=DECISION_LABELS.get(decision, ""),
        decision_message=user_text(record.decision_message),
        decision_next_steps=DECISION_NEXT_STEPS.get(decision, ()),
        decided_by=_username(record.decided_by) if for_reviewers else "",
        approved_by=_username(record.approved_by) if for_reviewers else "",
        integrity_problems=view.integrity_problems,
        seal=record.seal_label,
    )


def _username(user: Any) -> str:
    return user.get_username() if user is not None else ""


def _answer_row(number: int, answer: reader.Answer) -> AnswerRow:
    return AnswerRow(
        number=number,
        question=answer.question,
        answers=tuple(user_text(label) for label in answer.labels) or (user_text("(no answer)"),),
        typed=answer.is_text,
        multiline=answer.multiline,
    )


def _trail_entry(event: Any, *, for_reviewers: bool) -> TrailEntry:
    changes = []
    if event.from_outcome and event.to_outcome and event.from_outcome != event.to_outcome:
        changes.append(
            f"Outcome {OUTCOME_LABELS.get(event.from_outcome, event.from_outcome)} → "
            f"{OUTCOME_LABELS.get(event.to_outcome, event.to_outcome)}"
        )
    elif event.to_outcome and event.action == EventAction.CONFIRMED:
        changes.append(f"Outcome {OUTCOME_LABELS.get(event.to_outcome, event.to_outcome)}")
    return TrailEntry(
        when=_when(event.created_at),
        when_iso=_iso(event.created_at),
        who=user_text(event.actor_label),
        action=event.get_action_display(),
        change="; ".join(changes),
        note=user_text(_note_for(event, for_reviewers=for_reviewers)),
        is_decision=event.action in DECISION_ACTIONS,
    )


def _note_for(event: Any, *, for_reviewers: bool) -> str:
    """A note the document's reader may read: all of them for reviewers; for the respondent,
    their own messages, the reviewers' questions and notes written for them."""
    if for_reviewers or event.action in OPEN_NOTES or event.audience == Audience.RESPONDENT:
        return str(event.note)
    return ""


def _when(value: datetime) -> str:
    """Unambiguous for a reader anywhere: day, month name, 24-hour time, in UTC."""
    value = value.astimezone(UTC)
    return f"{value.day} {value:%B %Y, %H:%M} UTC"


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
