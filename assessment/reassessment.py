"""Stored answers under a newer questionnaire version: carried over, and judged again.

Pure Python (no Django), so `manage.py reassess`, the reviewers' impact page and "Start a new
assessment from these answers" share one rule:

- an answer carries over when the newer version asks the same question (same id) and still
  offers the chosen options, or when a newer question names the older one in `carry_from`
  (its chosen options that the newer question offers carry over);
- the carried answers are evaluated by the engine under the newer version: complete, they give
  the outcome the record would get now; incomplete, the record "needs re-answer" at the first
  question that is not answered.

Nothing here changes a record: a record keeps the version and the result it was submitted with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessment import engine
from assessment.questionnaire import Questionnaire, QuestionnaireError, load

CHANGED = "changed"
UNCHANGED = "unchanged"
NEEDS_REANSWER = "needs_reanswer"


def carry_answers(answers: Mapping[str, Any], new: Questionnaire) -> dict[str, Any]:
    """The answers of an older version that `new` can take, pruned to `new`'s live path."""
    return engine.evaluate(new, carry_every_answer(answers, new)).answers


def carry_every_answer(answers: Mapping[str, Any], new: Questionnaire) -> dict[str, Any]:
    """The answers of an older version that `new` can take, on its live path or not: those
    beyond a question `new` asks first are kept to fill in when the respondent gets there."""
    carried: dict[str, Any] = {}
    for question in new.questions.values():
        candidate = _candidate(question, answers)
        if candidate is None:
            continue
        try:
            carried[question.id] = engine.normalize(question, candidate)
        except engine.AnswerError:
            continue  # an option the new version no longer offers, or a mix it refuses
    return carried


def _candidate(question: engine.Question, answers: Mapping[str, Any]) -> Any:
    if question.id in answers:
        return answers[question.id]
    if question.is_text or not question.carry_from:
        return None
    values: list[str] = []
    for source in question.carry_from:
        given = answers.get(source)
        for value in given if isinstance(given, list) else [given]:
            if isinstance(value, str) and question.has_option(value) and value not in values:
                values.append(value)
    if not values:
        return None
    return values if question.takes_list else values[0]


@dataclass(frozen=True)
class Stored:
    """What reassessment needs of a stored record."""

    reference: str
    version: str
    outcome: str
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class Reassessed:
    reference: str
    from_version: str
    from_outcome: str
    status: str  # CHANGED, UNCHANGED or NEEDS_REANSWER
    to_outcome: str | None  # None when it needs re-answer
    needs: str | None  # the first question to answer again (its id), when it needs re-answer
    answers: dict[str, Any]  # the carried answers under the newer version

    @property
    def affected(self) -> bool:
        return self.status != UNCHANGED


def reassess(
    record: Stored, new: Questionnaire, *, load_version: Callable[[str], Questionnaire] = load
) -> Reassessed:
    """How `record` fares under `new`. A version that no longer loads carries nothing."""
    try:
        load_version(record.version)
        answers = carry_answers(record.answers, new)
    except (QuestionnaireError, engine.AnswerError):
        answers = {}
    evaluation = engine.evaluate(new, answers)
    if not evaluation.complete or evaluation.result is None:
        needs = evaluation.next_question.id if evaluation.next_question else None
        return Reassessed(
            record.reference, record.version, record.outcome, NEEDS_REANSWER, None, needs, answers
        )
    kind = evaluation.result.kind
    status = CHANGED if kind != record.outcome else UNCHANGED
    return Reassessed(record.reference, record.version, record.outcome, status, kind, None, answers)


def reassess_all(records: Iterable[Stored], new: Questionnaire) -> list[Reassessed]:
    """Every record answered under another version than `new`, reassessed under it."""
    return [reassess(record, new) for record in records if record.version != new.version]


def impact_report(results: Iterable[Reassessed], new: Questionnaire) -> dict[str, Any]:
    """The JSON of `manage.py reassess --json`: which records would change, which cannot map."""
    results = list(results)
    return {
        "from": sorted({r.from_version for r in results}, key=_version_number),
        "to": new.version,
        "records": len(results),
        "changed": [
            {"reference": r.reference, "from": r.from_outcome, "to": r.to_outcome}
            for r in results
            if r.status == CHANGED
        ],
        "unmappable": [
            {
                "reference": r.reference,
                "version": r.from_version,
                "from": r.from_outcome,
                "needs": r.needs,
            }
            for r in results
            if r.status == NEEDS_REANSWER
        ],
    }


def _version_number(version: str) -> tuple[int, str]:
    digits = "".join(ch for ch in version if ch.isdigit())
    return (int(digits or 0), version)
