"""Submitting a draft: one immutable, hashed record, however often the form is sent."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessment import engine, notifications
from assessment.canonical import canonical_json, payload_sha256
from assessment.models import Draft, Event, EventAction, Record, ReferenceCounter, Status
from assessment.questionnaire import load
from assessment.references import format_reference
from assessment.search import record_search_text
from assessment.services import drafts, integrity

PAYLOAD_SCHEMA = 1


class StaleCheckPage(Exception):
    """The answers changed since "Check your answers" was shown: nothing was submitted."""


class NotReadyToSubmit(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _next_reference(year: int) -> str:
    # The counter row is locked for the rest of the transaction, so two submissions
    # never take the same number (SQLite serialises writers anyway).
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_reference(year, counter.last)


def _timestamp(value: Any) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def build_payload(
    *, draft: Draft, evaluation: engine.Evaluation, reference: str, submitted_at: Any
) -> dict[str, Any]:
    """The canonical record: what was asked and answered, as shown, and what it decided."""
    assert evaluation.result is not None
    return {
        "schema": PAYLOAD_SCHEMA,
        "reference": reference,
        "questionnaire_version": draft.questionnaire_version,
        "started_at": _timestamp(draft.created_at),
        "submitted_at": _timestamp(submitted_at),
        "respondent": {
            "name": draft.respondent_name,
            "email": draft.respondent_email,
            "organisation": draft.organisation,
            "project_name": draft.project_name,
            "project_description": draft.project_description,
        },
        "answers": [
            {
                "question_id": step.question.id,
                "question": step.question.text,
                "kind": step.question.kind,
                "value": list(step.value) if isinstance(step.value, tuple) else step.value,
                "answer": list(step.labels),
            }
            for step in evaluation.path
        ],
        "result": evaluation.result.to_dict(),
    }


def new_record(
    *, draft: Draft, evaluation: engine.Evaluation, reference: str, submitted_at: Any
) -> Record:
    """The unsaved record of a draft: its hashed payload, and the columns the queue filters on,
    copied from the same values so they always agree with what the hash covers."""
    assert evaluation.result is not None
    result = evaluation.result
    payload = build_payload(
        draft=draft, evaluation=evaluation, reference=reference, submitted_at=submitted_at
    )
    canonical = canonical_json(payload)  # once, for both the SHA-256 and the seal
    seal_key_id, seal = integrity.seal_canonical(canonical)
    return Record(
        draft=draft,
        reference=reference,
        token=draft.token,
        questionnaire_version=draft.questionnaire_version,
        started_at=draft.created_at,
        submitted_at=submitted_at,
        respondent_name=draft.respondent_name,
        respondent_email=draft.respondent_email,
        organisation=draft.organisation,
        project_name=draft.project_name,
        project_description=draft.project_description,
        search_text=record_search_text(payload),
        outcome=result.kind,
        outcome_ids="".join(f";{outcome.id}" for outcome in result.outcomes) + ";",
        categories=list(result.categories),
        answers=evaluation.answers,
        payload=payload,
        sha256=hashlib.sha256(canonical).hexdigest(),
        seal=seal,
        seal_key_id=seal_key_id,
        revises_id=draft.revises_id,
        status=Status.NEW,
    )


def submitted_event(record: Record, **fields: Any) -> Event:
    """The unsaved first entry of a record's trail: the respondent submitted it. Once saved,
    it goes into the hash chain (`integrity.chain_events`) in the same transaction."""
    return Event(
        record=record,
        actor=None,
        actor_label="Respondent",
        action=EventAction.SUBMITTED,
        to_status=Status.NEW,
        to_outcome=record.outcome,
        record_sha256=record.sha256,
        **fields,
    )


def fingerprint(draft: Draft) -> str:
    """A fingerprint of what "Check your answers" showed, so a stale page cannot submit other
    answers than the ones it showed."""
    return payload_sha256(
        {
            "answers": draft.answers,
            "details": {field: getattr(draft, field) for field in drafts.DETAIL_FIELDS},
        }
    )


@transaction.atomic
def submit(*, draft: Draft, shown_digest: str | None = None) -> Record:
    """Create the one record of a draft, under the draft's lock.

    `shown_digest` is the fingerprint the check page showed; None (a script using the
    documented "POST submits" interface, or the API) submits the answers as they stand.
    Raises DraftAlreadySubmitted (a double click, a resent form), NotReadyToSubmit, or
    StaleCheckPage (the answers changed since the page was shown, perhaps in another tab).
    """
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_submitted:
        raise drafts.DraftAlreadySubmitted(draft)
    if not draft.has_details:
        raise NotReadyToSubmit("Your details are missing.")
    evaluation = engine.evaluate(load(draft.questionnaire_version), draft.answers)
    if not evaluation.complete or evaluation.result is None:
        raise NotReadyToSubmit("Some questions still need an answer.")
    if shown_digest is not None and not hmac.compare_digest(
        shown_digest.encode(), fingerprint(draft).encode()
    ):
        raise StaleCheckPage

    now = timezone.now()
    record = new_record(
        draft=draft, evaluation=evaluation, reference=_next_reference(now.year), submitted_at=now
    )
    record.save()
    event = submitted_event(record)
    event.save()
    integrity.chain_events([event])
    draft.submitted_at = now
    draft.save(update_fields=["submitted_at", "updated_at"])
    # Reviewers hear of it once the transaction has committed, never for a rolled-back record.
    transaction.on_commit(lambda: notifications.new_submission(record.pk))
    return record
