"""Writes on drafts: start one, save the respondent's details, answer a question.

Answers go through the engine, so a draft never holds an answer that is off its live path.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from assessment import compiled, engine
from assessment.access import draft_for_respondent
from assessment.models import Draft
from assessment.questionnaire import CURRENT_VERSION, Question, load

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


class DraftAlreadySubmitted(Exception):
    """A submitted assessment cannot be changed."""

    def __init__(self, draft: Draft) -> None:
        super().__init__("This assessment has already been submitted.")
        self.draft = draft


class UnknownQuestion(Exception):
    """No question of this id in the draft's questionnaire version."""


class DetailsMissing(Exception):
    """Questions wait until the respondent's details are given."""

    def __init__(self, draft: Draft) -> None:
        super().__init__("Your details are missing.")
        self.draft = draft


class QuestionNotOnPath(Exception):
    """The question is not part of the assessment with the answers given: nothing was saved.

    An old bookmark, a back button after a change of path, another tab, or a forged POST.
    """

    def __init__(self, draft: Draft) -> None:
        super().__init__("That question is not part of your assessment.")
        self.draft = draft


class InvalidAnswer(Exception):
    """The engine refused the answer. Unless `forged` (a value no control on the page could
    send), what was typed and the message were kept on the draft, to be shown again."""

    def __init__(self, message: str, *, forged: bool) -> None:
        super().__init__(message)
        self.message = message
        self.forged = forged


def open_draft(token: str) -> Draft:
    """The respondent's draft, to show a step of it; DraftAlreadySubmitted once submitted."""
    draft = draft_for_respondent(token)
    if draft.is_submitted:
        raise DraftAlreadySubmitted(draft)
    return draft


def _locked_open_draft(token: str) -> Draft:
    draft = draft_for_respondent(token, for_update=True)
    if draft.is_submitted:
        raise DraftAlreadySubmitted(draft)
    return draft


# Refused details are kept verbatim so the page can show them again, but not without bound: a
# value this long is refused anyway, and the draft is no place for megabytes.
_KEPT_CHARACTERS = 20_000


@transaction.atomic
def save_details(*, token: str, details: dict[str, str]) -> Draft:
    draft = _locked_open_draft(token)
    for field in DETAIL_FIELDS:
        setattr(draft, field, details.get(field, "").strip())
    fields = [*DETAIL_FIELDS, "updated_at"]
    if pending_details(draft) is not None:
        draft.pending = None
        fields.append("pending")
    draft.save(update_fields=fields)
    return draft


@transaction.atomic
def keep_refused_details(*, token: str, sent: dict[str, str]) -> Draft:
    """Keep details that failed validation on the draft, as typed, so the details page can show
    them and their errors again after a redirect: nothing is lost, and Back never meets a POST."""
    draft = _locked_open_draft(token)
    draft.pending = {
        "details": {field: sent.get(field, "")[:_KEPT_CHARACTERS] for field in DETAIL_FIELDS}
    }
    draft.save(update_fields=["pending", "updated_at"])
    return draft


def pending_details(draft: Draft) -> dict[str, str] | None:
    """The details the respondent last sent and were refused, if they were."""
    pending = draft.pending
    if not pending or not isinstance(pending.get("details"), dict):
        return None
    return {field: str(pending["details"].get(field, "")) for field in DETAIL_FIELDS}


@dataclass(frozen=True)
class AnswerSaved:
    draft: Draft
    evaluation: engine.Evaluation
    dropped: tuple[str, ...]  # question texts whose answers fell off the path


def _is_forged(question: Question, raw: str | list[str] | None) -> bool:
    """A value no radio or checkbox on the page could have sent."""
    if not question.is_choice or raw is None:
        return False
    values = [raw] if isinstance(raw, str) else raw
    return any(value and not question.has_option(value) for value in values)


def answer_question(*, token: str, question_id: str, raw: str | list[str] | None) -> AnswerSaved:
    """Check one answer with the engine (once), store the pruned answers, report what dropped.

    Two tabs answering at once cannot interleave their path changes: the answers are written
    only if the draft is as it was read (`_save_if_unchanged`), else read and judged again.
    An invalid answer is kept on the draft with its message (`Draft.pending`), so the question
    page can show it again after a redirect: nothing typed is lost, and Back never meets a POST.
    Raises DraftAlreadySubmitted, UnknownQuestion, DetailsMissing, QuestionNotOnPath or
    InvalidAnswer.
    """
    # Optimistic rather than locked (issue 15): a lock held the draft, and on SQLite the whole
    # database, through the engine's work and two more round trips (BEGIN, COMMIT), so answers
    # from different respondents queued behind each other. A write that finds the draft changed
    # since it was read writes nothing, and each retry means another write of this draft landed.
    for _ in range(_OPTIMISTIC_ATTEMPTS):
        judged = _judge_answer(open_draft(token), question_id, raw, _save_if_unchanged)
        if judged is not None:
            return judged.outcome()
    # Still changing under us (a script hammering one draft): take the lock after all.
    with transaction.atomic():
        judged = _judge_answer(_locked_open_draft(token), question_id, raw, _save)
    assert judged is not None  # _save always writes
    return judged.outcome()


_OPTIMISTIC_ATTEMPTS = 3


@dataclass(frozen=True)
class _Judged:
    """An answer judged and written: saved, or refused and kept to be shown again."""

    saved: AnswerSaved | None
    refused: InvalidAnswer | None

    def outcome(self) -> AnswerSaved:
        if self.refused is not None:
            raise self.refused  # after the write: the refused input stays on the draft
        assert self.saved is not None
        return self.saved


def _judge_answer(
    draft: Draft,
    question_id: str,
    raw: str | list[str] | None,
    write: Callable[[Draft, list[str]], bool],
) -> _Judged | None:
    """The engine's verdict on one answer to `draft` as read, written with `write`; None when
    `write` found the draft changed since it was read (nothing was written)."""
    questionnaire = load(draft.questionnaire_version)
    question = questionnaire.questions.get(question_id)
    if question is None:
        raise UnknownQuestion(question_id)
    if not draft.has_details:
        raise DetailsMissing(draft)
    try:
        evaluation = engine.answer(questionnaire, draft.answers, question_id, raw)
    except engine.NotOnPath:
        raise QuestionNotOnPath(draft) from None
    except engine.AnswerError as error:
        refused = InvalidAnswer(error.message, forged=_is_forged(question, raw))
        if refused.forged:
            raise refused from None  # not kept: no control on the page could send it
        draft.pending = {"question_id": question_id, "raw": raw, "message": error.message}
        return _Judged(None, refused) if write(draft, ["pending"]) else None
    dropped_ids = [qid for qid in draft.answers if qid not in evaluation.answers]
    fields = ["answers", "pending"]
    set_aside = _set_aside(draft, dropped_ids, evaluation.answers)
    if set_aside != draft.set_aside:
        draft.set_aside = set_aside
        fields.append("set_aside")  # only then: the usual answer's UPDATE stays as it was
    draft.answers = evaluation.answers
    draft.pending = None
    if not write(draft, fields):
        return None
    dropped = tuple(
        questionnaire.questions[qid].text for qid in dropped_ids if qid in questionnaire.questions
    )
    return _Judged(AnswerSaved(draft=draft, evaluation=evaluation, dropped=dropped), None)


def _set_aside(draft: Draft, dropped_ids: list[str], live: dict[str, Any]) -> dict[str, Any]:
    """The draft's set-aside answers after this answer: those it took off the path join them,
    and any question answered on the path again leaves them (its answer is live)."""
    kept = {**draft.set_aside, **{qid: draft.answers[qid] for qid in dropped_ids}}
    return {qid: value for qid, value in kept.items() if qid not in live}


def set_aside_for(draft: Draft, question_id: str) -> Any:
    """The answer a change took off the path for this question, to fill in again, or None."""
    set_aside = draft.set_aside if isinstance(draft.set_aside, dict) else {}
    return set_aside.get(question_id)


def _save_if_unchanged(draft: Draft, fields: list[str]) -> bool:
    """Write `fields` only if the draft is unsubmitted and nobody wrote it since it was read: a
    compare-and-set on `updated_at`, which every write of a draft sets (auto_now), in one
    UPDATE. Whether it wrote."""
    read_at = draft.updated_at
    now = timezone.now()
    field = _draft_field
    values = [field(name).get_db_prep_save(getattr(draft, name), connection) for name in fields]
    values.append(field("updated_at").get_db_prep_save(now, connection))
    # Asynchronous commit only when the UPDATE is its own transaction: in autocommit mode, which
    # is off inside atomic blocks. In a caller's transaction, set_config would make the whole of
    # that transaction asynchronous, whatever else it writes.
    asynchronous = connection.vendor == "postgresql" and connection.get_autocommit()
    with compiled.prepared_cursor() as cursor:
        cursor.execute(
            _update_if_unchanged_sql(connection.vendor, tuple(fields), asynchronous),
            [*values, draft.pk, field("updated_at").get_db_prep_value(read_at, connection)],
        )
        written = cursor.rowcount
    if written:
        draft.updated_at = now
    return bool(written)


@functools.cache
def _update_if_unchanged_sql(
    vendor: str, fields: tuple[str, ...], asynchronous_commit: bool = False
) -> str:
    """`Draft.objects.filter(pk=, updated_at=, submitted_at=None).update(...)` as one statement
    written once: the ORM took 0.25 ms to build it on every answer, five times the time to run
    it (issue 15). The values still go through the fields (`get_db_prep_save`).

    `asynchronous_commit` (PostgreSQL, the statement being its own transaction): the statement
    turns synchronous_commit off for its own transaction, so its commit does not wait for the
    WAL to reach the disk (issue 15: +36% answers per second, measured server-wide). A crash
    of the database may then lose the last fraction of a second of draft answers: those
    questions show as unanswered again, and the check page shows what is stored, so nothing
    unsaved is ever assessed. Submitted records and reviewers' actions never take this path
    (`submitted_at IS NULL`), and the WAL is flushed in order: a submission's synchronous
    commit also makes durable every answer it read."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        name_in_table = _draft_field(name).column
        assert name_in_table is not None
        return quote(name_in_table)

    assignments = ", ".join(f"{column(name)} = %s" for name in (*fields, "updated_at"))
    # Only the model's own table and column names go into the text; every value is a parameter.
    # set_config(..., true) lasts until the end of the current transaction, here this
    # statement's own, and PostgreSQL reads synchronous_commit at commit: setting it in the
    # statement costs no round trip (a SET first would be one). It is volatile, so it is
    # evaluated on the row, never folded away.
    asynchronous = (
        " AND set_config('synchronous_commit', 'off', true) IS NOT NULL"
        if asynchronous_commit
        else ""
    )
    return (
        f"UPDATE {quote(Draft._meta.db_table)} SET {assignments} WHERE {column('id')} = %s "  # noqa: S608
        f"AND {column('updated_at')} = %s AND {column('submitted_at')} IS NULL{asynchronous}"
    )


def _draft_field(name: str) -> models.Field[Any, Any]:
    field = Draft._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a relation's far side
    return field


def _save(draft: Draft, fields: list[str]) -> bool:
    """Write `fields` of a draft locked by the caller."""
    draft.save(update_fields=[*fields, "updated_at"])
    return True


def pending_for(draft: Draft, question_id: str) -> tuple[str | list[str] | None, str] | None:
    """What the respondent last sent to this question and why it was refused, if they did."""
    pending = draft.pending
    if not pending or pending.get("question_id") != question_id:
        return None
    return pending.get("raw"), str(pending.get("message", ""))


def evaluate_draft(draft: Draft) -> engine.Evaluation:
    return engine.evaluate(load(draft.questionnaire_version), draft.answers)
