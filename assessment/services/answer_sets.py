"""Submitting a complete set of answers in one call (the API), through the browser's services.

The answers are checked by the engine first, so nothing is stored for a set that is partial,
off its path or invalid; then the same services as the browser flow run in one transaction:
start a draft (the same drafts-per-hour limit), save the details, save each answer on the path,
submit. The record is the same immutable, hashed record a browser submission makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from assessment import engine
from assessment.models import ApiSubmission, ApiToken, Record
from assessment.questionnaire import Question, load
from assessment.services import drafts, submission

OFF_PATH = "This question is not part of your assessment"  # the browser flow's words (engine)


class InvalidAnswerSet(Exception):
    """The answers do not make a complete, valid assessment. `errors` maps question ids to
    what is wrong; `next_question` is the first one still to answer, if any."""

    def __init__(self, errors: dict[str, list[str]], next_question: Question | None) -> None:
        super().__init__("; ".join(f"{qid}: {' '.join(m)}" for qid, m in errors.items()))
        self.errors = errors
        self.next_question = next_question


def _missing_message(question: Question) -> str:
    # The message the browser shows when the question is left empty; an optional text question
    # accepts an empty answer there, but an API client must still say so: no guessing.
    try:
        engine.normalize(question, None)
    except engine.AnswerError as error:
        return error.message
    return 'Answer this question (send "" to leave it blank)'


def check_answer_set(*, version: str, answers: Mapping[str, Any]) -> engine.Evaluation:
    """The complete evaluation of `answers`, or InvalidAnswerSet saying what to fix."""
    questionnaire = load(version)
    try:
        evaluation = engine.evaluate(questionnaire, answers)
    except engine.AnswerError as error:
        raise InvalidAnswerSet({error.question_id or "answers": [error.message]}, None) from None
    errors = {qid: [OFF_PATH] for qid in evaluation.dropped}
    question = evaluation.next_question
    if question is not None:
        errors[question.id] = [_missing_message(question)]
    if errors:
        raise InvalidAnswerSet(errors, question)
    return evaluation


@transaction.atomic
def submit_answer_set(
    *,
    client_address: str,
    version: str,
    details: dict[str, str],
    answers: Mapping[str, Any],
    user: User | None = None,
    token: ApiToken | None = None,
) -> Record:
    """Store the record of a complete answer set; `user` (with `token`) may then read it back.

    Raises InvalidAnswerSet, or drafts.DraftLimitReached when the client is over the limit.
    """
    evaluation = check_answer_set(version=version, answers=answers)
    draft = drafts.start_draft(client_address=client_address, version=version)
    drafts.save_details(token=draft.token, details=details)
    for step in evaluation.path:
        value = evaluation.answers[step.question.id]
        drafts.answer_question(token=draft.token, question_id=step.question.id, raw=value)
    record = submission.submit(draft=draft)
    if user is not None:
        ApiSubmission.objects.create(record=record, user=user, token=token)
    return record
