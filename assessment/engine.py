"""The assessment engine: next question, pruning, and the result with its trace.

Pure Python on purpose (no Django): the same code serves the respondent's pages, the reviewer's
record, `manage.py reassess` and the exhaustive tests, and it can be enumerated in seconds.

Answers are plain JSON-friendly data, `{question_id: value}`: a list of option values for a
`multiple` question, an option value or the typed text otherwise. `evaluate` walks from the first
question following the answers and only ever uses answers on that walk; anything else is
reported in `dropped` and left out of `Evaluation.answers`, so a branch change can never leave a
stale answer deciding the result.
"""

from __future__ import annotations

import itertools
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from assessment.questionnaire.schema import (
    OUTCOME_KINDS,
    Outcome,
    Question,
    Questionnaire,
)

__all__ = [
    "OUTCOME_KINDS",
    "AnswerError",
    "Answers",
    "Evaluation",
    "Finding",
    "NotOnPath",
    "Result",
    "Step",
    "answer",
    "count_paths",
    "enumerate_paths",
    "evaluate",
    "normalize",
]

Answers = Mapping[str, str | list[str]]
TEXT_PLACEHOLDER = "Example answer"  # what enumerate_paths types into text questions


class AnswerError(ValueError):
    """Bad input: an unknown or off-path question, or an answer the question does not accept.

    `message` is written for the respondent ("Select an option"); `question_id` says which
    question it belongs to, so a form can show it beside the field.
    """

    def __init__(self, message: str, question_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.question_id = question_id


@dataclass(frozen=True)
class Step:
    """One answered question on the walked path."""

    question: Question
    value: str | tuple[str, ...]
    labels: tuple[str, ...]  # option labels as shown, or (text,) for a text question


@dataclass(frozen=True)
class Finding:
    """An outcome contributed by an answer, with the answer that contributed it."""

    outcome: Outcome
    question_id: str
    question_text: str
    answer_labels: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    kind: str
    findings: tuple[Finding, ...]
    outcomes: tuple[Outcome, ...]  # distinct, worst first, then in path order

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(outcome.category for outcome in self.outcomes))

    @property
    def clauses(self) -> tuple[str, ...]:
        distinct = {clause for outcome in self.outcomes for clause in outcome.clauses}
        return tuple(sorted(distinct, key=_clause_order))

    @property
    def deciding(self) -> tuple[Outcome, ...]:
        """The outcomes that set the result's kind (the worst ones)."""
        return tuple(outcome for outcome in self.outcomes if outcome.kind == self.kind)

    def to_dict(self) -> dict:
        """A stable, JSON-serializable form, for storing with a record and for exports."""
        return {
            "outcome": self.kind,
            "categories": list(self.categories),
            "clauses": list(self.clauses),
            "outcomes": [
                {
                    "id": outcome.id,
                    "kind": outcome.kind,
                    "category": outcome.category,
                    "clauses": list(outcome.clauses),
                    "title": outcome.title,
                    "explanation": outcome.explanation,
                    "next_steps": list(outcome.next_steps),
                }
                for outcome in self.outcomes
            ],
            "trace": [
                {
                    "question_id": finding.question_id,
                    "question": finding.question_text,
                    "answer": list(finding.answer_labels),
                    "outcome_id": finding.outcome.id,
                    "kind": finding.outcome.kind,
                    "category": finding.outcome.category,
                    "clauses": list(finding.outcome.clauses),
                }
                for finding in self.findings
            ],
        }


@dataclass(frozen=True)
class Evaluation:
    version: str
    path: tuple[Step, ...]
    next_question: Question | None  # the first unanswered question, None once complete
    complete: bool
    result: Result | None  # set only when complete
    answers: dict[str, str | list[str]]  # the live answers only (a fresh dict, safe to store)
    dropped: tuple[str, ...]  # question ids given but not on the walked path


def _clause_order(clause: str) -> tuple[int, str]:
    # "C7a" sorts after "C6" and before "C8", and "C10" would sort after "C9".
    digits = "".join(ch for ch in clause[1:] if ch.isdigit())
    return (int(digits or 0), clause)


# -- validating one answer ------------------------------------------------------------------------


def normalize(question: Question, raw: object) -> str | list[str]:
    """The stored form of a respondent's answer to `question`, or AnswerError saying what to fix.

    Text is stripped; a `multiple` answer becomes a list in the order the options are shown, a
    `facts` answer one value per statement, in the statements' order.
    """
    if question.is_text:
        return _normalize_text(question, raw)
    if question.kind == "multiple":
        return _normalize_multiple(question, raw)
    if question.kind == "facts":
        return _normalize_facts(question, raw)
    if not isinstance(raw, str) or not raw:
        raise AnswerError("Select an option", question.id)
    if not question.has_option(raw):
        raise AnswerError("Select one of the options shown", question.id)
    return raw


def _normalize_text(question: Question, raw: object) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise AnswerError("Enter your answer as text", question.id)
    text = raw.strip()
    if not text and question.required:
        raise AnswerError("Enter an answer", question.id)
    if question.max_length is not None and len(text) > question.max_length:
        raise AnswerError(f"Enter {question.max_length} characters or fewer", question.id)
    return text


def _given_values(question: Question, raw: object, *, missing: str, unknown: str) -> list[str]:
    """The values sent for a question answered with a list (one value alone as a string, as
    some form libraries send a single ticked checkbox), each one of its options."""
    if raw is None or raw == "":
        values: Sequence[object] = ()
    elif isinstance(raw, str):
        values = (raw,)
    elif isinstance(raw, list | tuple):
        values = raw
    else:
        raise AnswerError(missing, question.id)
    checked: list[str] = []
    for value in values:
        if not isinstance(value, str) or not question.has_option(value):
            raise AnswerError(unknown, question.id)
        checked.append(value)
    return checked


def _normalize_multiple(question: Question, raw: object) -> list[str]:
    missing = "Select at least one option"
    values = _given_values(question, raw, missing=missing, unknown="Select from the options shown")
    if not values:
        raise AnswerError(missing, question.id)
    chosen = [option for option in question.options if option.value in values]
    if len(chosen) > 1:
        for option in chosen:
            if option.exclusive:
                raise AnswerError(f"Select “{option.label}” on its own, or remove it", question.id)
    return [option.value for option in chosen]


# Every statement needs its own answer: "No" is an answer a respondent gives, never a default.
FACTS_UNANSWERED = "Select yes, no or not sure for every statement"


def _normalize_facts(question: Question, raw: object) -> list[str]:
    values = _given_values(
        question, raw, missing=FACTS_UNANSWERED, unknown="Select from the answers shown"
    )
    answered = []
    for statement in question.statements:
        given = [option.value for option in statement.options if option.value in values]
        if len(given) > 1:
            raise AnswerError(f"Select one answer for “{statement.label}”", question.id)
        answered.extend(given)
    if len(answered) < len(question.statements):
        raise AnswerError(FACTS_UNANSWERED, question.id)
    return answered


# -- walking the questionnaire ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Move:
    """What one answer to one question does: its step, its findings, and where it leads."""

    step: Step
    findings: tuple[Finding, ...]
    target: str | None


class _Compiled:
    """Moves for a questionnaire, computed once per answer value: evaluating is then lookups."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire  # held so its id() stays unique while cached
        self.moves: dict[str, dict[str | tuple[str, ...], _Move]] = {
            qid: {} for qid in questionnaire.questions
        }

    def move(self, question: Question, value: str | tuple[str, ...]) -> _Move:
        if question.is_text:
            # Free text: never cached (unbounded), never contributes a finding.
            assert isinstance(value, str), "a text answer is one string"
            return _Move(Step(question, value, (value,)), (), question.next)
        moves = self.moves[question.id]
        cached = moves.get(value)
        if cached is None:
            cached = moves[value] = self._choice_move(question, value)
        return cached

    def _choice_move(self, question: Question, value: str | tuple[str, ...]) -> _Move:
        values = value if isinstance(value, tuple) else (value,)
        options = [question.option(v) for v in values]
        # Options of one question that lead to the same outcome make one finding.
        by_outcome: dict[str, list[str]] = {}
        for option in options:
            if option.outcome:
                by_outcome.setdefault(option.outcome, []).append(option.label)
        findings = tuple(
            Finding(
                outcome=self.questionnaire.outcomes[oid],
                question_id=question.id,
                question_text=question.text,
                answer_labels=tuple(labels),
            )
            for oid, labels in by_outcome.items()
        )
        step = Step(question, value, tuple(option.label for option in options))
        return _Move(step, findings, question.next_after(values))


_COMPILED: OrderedDict[int, _Compiled] = OrderedDict()
_COMPILED_MAX = 16  # a few versions, plus questionnaires built by tests


def _compiled(questionnaire: Questionnaire) -> _Compiled:
    # Keyed by id(): Questionnaire holds mappings and is not hashable. An entry keeps its
    # questionnaire alive, so the id cannot be reused by another object while it is cached.
    compiled = _COMPILED.get(id(questionnaire))
    if compiled is None or compiled.questionnaire is not questionnaire:
        compiled = _COMPILED[id(questionnaire)] = _Compiled(questionnaire)
        if len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return compiled


def _as_value(question: Question, normalized: str | list[str]) -> str | tuple[str, ...]:
    return tuple(normalized) if isinstance(normalized, list) else normalized


def evaluate(questionnaire: Questionnaire, answers: Answers) -> Evaluation:
    """Walk from the first question following `answers`, to the first unanswered question or
    to the end. Unknown question ids and invalid values on the walk raise AnswerError."""
    if not isinstance(answers, Mapping):
        raise AnswerError("Answers must map question ids to values")
    questions = questionnaire.questions
    for qid in answers:
        if not isinstance(qid, str) or qid not in questions:
            raise AnswerError(f"Unknown question {qid!r}", qid if isinstance(qid, str) else None)
    return _walk(questionnaire, answers, questions[questionnaire.first], [], [], {})


def _walk(
    questionnaire: Questionnaire,
    answers: Answers,
    question: Question | None,
    path: list[Step],
    findings: list[Finding],
    live: dict[str, str | list[str]],
    given: tuple[str, str | list[str]] | None = None,
) -> Evaluation:
    """Continue a walk at `question`, after `path`. `given` is an answer already normalized
    (the one `answer` just checked), taken as it is instead of being checked again."""
    compiled = _compiled(questionnaire)
    questions = questionnaire.questions
    while question is not None:
        if given is not None and question.id == given[0]:
            normalized = given[1]
        elif question.id in answers:
            normalized = normalize(question, answers[question.id])
        else:
            break
        move = compiled.move(question, _as_value(question, normalized))
        live[question.id] = normalized
        path.append(move.step)
        findings.extend(move.findings)
        question = questions[move.target] if move.target else None
    return _evaluation(questionnaire, path, findings, live, question, answers)


def _evaluation(
    questionnaire: Questionnaire,
    path: list[Step],
    findings: list[Finding],
    live: dict[str, str | list[str]],
    next_question: Question | None,
    given: Answers,
) -> Evaluation:
    complete = next_question is None
    return Evaluation(
        version=questionnaire.version,
        path=tuple(path),
        next_question=next_question,
        complete=complete,
        result=_result(findings) if complete else None,
        answers=live,
        dropped=tuple(qid for qid in given if qid not in live) if len(given) > len(live) else (),
    )


def _result(findings: list[Finding]) -> Result:
    # Validation guarantees every complete path has a finding; an empty list would be a bug in
    # a questionnaire built without validation, and "review" is the only safe answer to it.
    distinct = list(dict.fromkeys(finding.outcome for finding in findings))
    distinct.sort(key=lambda outcome: -outcome.severity)  # stable: path order within a kind
    kind = distinct[0].kind if distinct else "review"
    return Result(kind=kind, findings=tuple(findings), outcomes=tuple(distinct))


class NotOnPath(AnswerError):
    """The question exists but is not on the live path: neither answered on it nor next."""


def answer(
    questionnaire: Questionnaire,
    answers: Answers,
    question_id: str,
    raw: str | list[str] | None,
) -> Evaluation:
    """Set one answer and re-evaluate. The question must be on the live path (answered on it, or
    the next question), else NotOnPath; answers that the change takes off the path are dropped.

    The new answer is checked once, and the walk before it is not repeated: the steps up to
    the question depend only on earlier answers, which this one cannot change.
    """
    if not isinstance(question_id, str) or question_id not in questionnaire.questions:
        raise AnswerError("This question does not exist", None)
    current = evaluate(questionnaire, answers)
    position = next(
        (index for index, step in enumerate(current.path) if step.question.id == question_id),
        None,
    )
    if position is None:
        if current.next_question is None or current.next_question.id != question_id:
            raise NotOnPath("This question is not part of your assessment", question_id)
        position = len(current.path)
    question = questionnaire.questions[question_id]
    normalized = normalize(question, raw)
    compiled = _compiled(questionnaire)
    before = current.path[:position]
    findings = [
        finding for step in before for finding in compiled.move(step.question, step.value).findings
    ]
    live = {step.question.id: current.answers[step.question.id] for step in before}
    updated = _walk(
        questionnaire,
        {**current.answers, question_id: normalized},
        question,
        list(before),
        findings,
        live,
        given=(question_id, normalized),
    )
    dropped = tuple(dict.fromkeys((*current.dropped, *updated.dropped)))
    return replace(updated, dropped=dropped) if dropped != updated.dropped else updated


# -- every path ------------------------------------------------------------------------------------


def _choices(question: Question, *, combinations: bool = True) -> Iterator[str | tuple[str, ...]]:
    """Every answer a respondent can give to `question` (text: one placeholder).

    With `combinations=False`, a `multiple` question yields each option on its own: enough to
    walk every option and every route, since a combination's findings are the union of its
    options' findings and it goes where its first routed option goes (tested for every subset).
    A `facts` question then yields "No" to every statement, "Yes" to each one alone and "Not
    sure" to every one: each finding it can add, on its own (every answer goes to `next`).
    """
    if question.is_text:
        limit = question.max_length or len(TEXT_PLACEHOLDER)
        yield TEXT_PLACEHOLDER[:limit]
    elif question.kind == "multiple":
        combinable = [o.value for o in question.options if not o.exclusive]
        sizes = range(1, len(combinable) + 1) if combinations else (1,)
        for size in sizes:
            yield from itertools.combinations(combinable, size)
        for option in question.options:
            if option.exclusive:
                yield (option.value,)
    elif question.kind == "facts":
        answers = [statement.options for statement in question.statements]  # yes, no, not sure
        if combinations:
            # "No" first, so the first paths listed are those the statements add nothing to.
            by_no_first = [(options[1], options[0], options[2]) for options in answers]
            yield from (
                tuple(o.value for o in chosen) for chosen in itertools.product(*by_no_first)
            )
            return
        yield tuple(options[1].value for options in answers)
        for index in range(len(answers)):
            yield tuple(
                options[0 if position == index else 1].value
                for position, options in enumerate(answers)
            )
        yield tuple(options[2].value for options in answers)
    else:
        for option in question.options:
            yield option.value


def enumerate_paths(
    questionnaire: Questionnaire, *, combinations: bool = True
) -> Iterator[Evaluation]:
    """Every complete path, exhaustively, depth first in option order.

    Equivalent to `evaluate` on each path's answers, but walks incrementally so the whole
    questionnaire can be checked in a test run. A version with long multiple-choice questions
    has too many combinations to list (v2: billions); `combinations=False` gives each option of
    a multiple-choice question on its own, and `count_paths` counts every combination.
    """
    compiled = _compiled(questionnaire)
    questions = questionnaire.questions

    def walk(
        question: Question,
        path: tuple[Step, ...],
        findings: tuple[Finding, ...],
        live: dict[str, str | list[str]],
    ) -> Iterator[Evaluation]:
        for value in _choices(question, combinations=combinations):
            move = compiled.move(question, value)
            stored = list(value) if isinstance(value, tuple) else value
            answers = {**live, question.id: stored}
            steps, found = (*path, move.step), findings + move.findings
            if move.target is None:
                yield Evaluation(
                    version=questionnaire.version,
                    path=steps,
                    next_question=None,
                    complete=True,
                    result=_result(list(found)),
                    answers=answers,
                    dropped=(),
                )
            else:
                yield from walk(questions[move.target], steps, found, answers)

    yield from walk(questions[questionnaire.first], (), (), {})


def count_paths(questionnaire: Questionnaire) -> dict[str, int]:
    """The number of complete paths ending in each outcome kind, counting every combination of
    a multiple-choice question, without listing the paths.

    Where the walk goes next depends only on the current answer, and a path's kind is the worst
    finding on it, so the count from a question on depends only on that question and the worst
    kind so far: memoised on that pair, the count is exact and takes a moment.
    """
    questions = questionnaire.questions
    # Per question: how many answers lead to each (next question, worst finding of the answer).
    # A 15-option multiple choice has 32,768 answers but only a handful of such groups.
    groups: dict[str, Counter[tuple[str | None, int]]] = {}
    memo: dict[tuple[str, int], tuple[int, ...]] = {}

    def grouped(question: Question) -> Counter[tuple[str | None, int]]:
        if question.id not in groups:
            counter: Counter[tuple[str | None, int]] = Counter()
            if question.is_text:
                counter[question.next, -1] = 1
            else:
                # An answer's findings are those of its options (see _choice_move), so its worst
                # is the worst of its options' own.
                severity = {
                    o.value: questionnaire.outcomes[o.outcome].severity if o.outcome else -1
                    for o in question.options
                }
                for value in _choices(question):
                    values = value if isinstance(value, tuple) else (value,)
                    worst = max(severity[v] for v in values)
                    counter[question.next_after(values), worst] += 1
            groups[question.id] = counter
        return groups[question.id]

    def count(qid: str, worst: int) -> tuple[int, ...]:
        key = (qid, worst)
        if key not in memo:
            totals = [0] * len(OUTCOME_KINDS)
            for (target, severity), answers in grouped(questions[qid]).items():
                reached = max(worst, severity)
                if target is None:
                    # A path without findings is "review" in _result; validation forbids them.
                    totals[reached if reached >= 0 else OUTCOME_KINDS.index("review")] += answers
                else:
                    for kind, n in enumerate(count(target, reached)):
                        totals[kind] += answers * n
            memo[key] = tuple(totals)
        return memo[key]

    totals = count(questionnaire.first, -1)
    return {kind: totals[index] for index, kind in enumerate(OUTCOME_KINDS)}
