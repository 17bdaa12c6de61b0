"""Writes on drafts: start one, save the respondent's details, save an answer.

Answers go through the engine, so a draft never holds an answer that is off its live path.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessment import engine
from assessment.models import Draft
from assessment.questionnaire import CURRENT_VERSION, load

DETAIL_FIELDS = (
    "respondent_name",
    "respondent_email",
    "organisation",
    "project_name",
    "project_description",
)


LIMIT_WINDOW = timedelta(hours=1)


class DraftLimitReached(Exception):
    """One client started more drafts in the last hour than ASSESSMENT_DRAFTS_PER_HOUR."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"retry after {retry_after}")
        self.retry_after = retry_after  # until one of this client's drafts leaves the hour


class DraftAlreadySubmitted(Exception):
    """A submitted assessment cannot be changed."""


def client_key(address: str) -> str:
    """A keyed hash of the client's address: enough to rate-limit, useless to identify."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def start_draft(*, client_address: str, version: str = CURRENT_VERSION) -> Draft:
    key = client_key(client_address)
    now = timezone.now()
    recent = Draft.objects.filter(client_key=key, created_at__gte=now - LIMIT_WINDOW)
    count, limit = recent.count(), settings.ASSESSMENT_DRAFTS_PER_HOUR
    if count >= limit:
        # A start is allowed again once enough of the window's drafts have left it.
        times = recent.order_by("created_at").values_list("created_at", flat=True)
        frees_up = times[count - limit] if limit > 0 else now
        raise DraftLimitReached(retry_after=max(frees_up + LIMIT_WINDOW - now, timedelta(0)))
    load(version)  # refuse an unknown version before anything is stored
    return Draft.objects.create(questionnaire_version=version, client_key=key)


def _ensure_open(draft: Draft) -> None:
    if draft.is_submitted:
        raise DraftAlreadySubmitted


@transaction.atomic
def save_details(*, draft: Draft, details: dict[str, str]) -> Draft:
    _ensure_open(draft)
    for field in DETAIL_FIELDS:
        setattr(draft, field, details.get(field, "").strip())
    draft.save(update_fields=[*DETAIL_FIELDS, "updated_at"])
    return draft


@dataclass(frozen=True)
class AnswerSaved:
    evaluation: engine.Evaluation
    dropped: tuple[str, ...]  # question texts whose answers fell off the path


@transaction.atomic
def save_answer(*, draft: Draft, question_id: str, raw: str | list[str] | None) -> AnswerSaved:
    """Validate one answer on the live path, store the pruned answers, report what dropped.

    Raises `engine.AnswerError` for an off-path question or an invalid value.
    """
    _ensure_open(draft)
    questionnaire = load(draft.questionnaire_version)
    evaluation = engine.answer(questionnaire, draft.answers, question_id, raw)
    dropped_ids = [qid for qid in draft.answers if qid not in evaluation.answers]
    draft.answers = evaluation.answers
    draft.save(update_fields=["answers", "updated_at"])
    dropped = tuple(
        questionnaire.questions[qid].text for qid in dropped_ids if qid in questionnaire.questions
    )
    return AnswerSaved(evaluation=evaluation, dropped=dropped)


def evaluate_draft(draft: Draft) -> engine.Evaluation:
    return engine.evaluate(load(draft.questionnaire_version), draft.answers)
