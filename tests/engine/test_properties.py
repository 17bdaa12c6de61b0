"""Property-based tests on v1: random answers never break the engine or its pruning."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import engine
from assessment.questionnaire import Question, load

QUESTIONNAIRE = load("v1")  # strategies are built at import time, before fixtures exist
QUESTION_IDS = list(QUESTIONNAIRE.questions)
OPTION_VALUES = sorted({o.value for q in QUESTIONNAIRE.questions.values() for o in q.options})

question_ids = st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=12))
raw_values = st.one_of(
    st.none(),
    st.sampled_from(OPTION_VALUES),
    st.text(max_size=250),
    st.lists(st.one_of(st.sampled_from(OPTION_VALUES), st.text(max_size=5)), max_size=4),
    st.integers(),
    st.booleans(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def without_dropped(evaluation: engine.Evaluation) -> engine.Evaluation:
    return replace(evaluation, dropped=())


@st.composite
def valid_answer(draw: st.DrawFn, question: Question) -> Any:
    if question.is_text:
        return draw(st.text(min_size=1, max_size=question.max_length or 10).filter(str.strip))
    if question.kind == "multiple":
        exclusive = [o.value for o in question.options if o.exclusive]
        combinable = [o.value for o in question.options if not o.exclusive]
        if exclusive:
            only_exclusive: bool = draw(st.booleans())
            if only_exclusive:
                return [draw(st.sampled_from(exclusive))]
        return draw(st.lists(st.sampled_from(combinable), min_size=1, unique=True))
    if question.kind == "facts":
        return [draw(st.sampled_from([o.value for o in s.options])) for s in question.statements]
    return draw(st.sampled_from([o.value for o in question.options]))


@st.composite
def walked_answers(draw: st.DrawFn) -> dict[str, Any]:
    """Valid answers along one random path, stopping at a random point or at the end."""
    answers: dict[str, Any] = {}
    evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    while evaluation.next_question is not None and draw(st.integers(0, 9)) > 0:
        question = evaluation.next_question
        answers[question.id] = draw(valid_answer(question))
        evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    return answers


@SETTINGS
@given(st.dictionaries(question_ids, raw_values, max_size=8))
def test_evaluate_raises_nothing_but_answer_error(answers: dict[str, Any]) -> None:
    with contextlib.suppress(engine.AnswerError):
        engine.evaluate(QUESTIONNAIRE, answers)


@SETTINGS
@given(st.lists(st.tuples(question_ids, raw_values), max_size=15))
def test_answer_sequence_raises_nothing_but_answer_error(
    moves: list[tuple[str, Any]],
) -> None:
    answers: dict[str, Any] = {}
    for question_id, raw in moves:
        try:
            evaluation = engine.answer(QUESTIONNAIRE, answers, question_id, raw)
        except engine.AnswerError:
            continue
        answers = evaluation.answers


@SETTINGS
@given(walked_answers(), st.data())
def test_answering_again_the_same_way_gives_the_same_evaluation(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    if not evaluation.path:
        return
    step = data.draw(st.sampled_from(evaluation.path))
    again = engine.answer(QUESTIONNAIRE, answers, step.question.id, answers[step.question.id])
    assert again == evaluation


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(QUESTION_IDS), raw_values), max_size=20))
def test_evaluating_the_pruned_answers_gives_the_same_evaluation(
    moves: list[tuple[str, Any]],
) -> None:
    answers: dict[str, Any] = {}
    evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    for question_id, raw in moves:
        try:
            evaluation = engine.answer(QUESTIONNAIRE, answers, question_id, raw)
        except engine.AnswerError:
            continue
        answers = evaluation.answers
        assert engine.evaluate(QUESTIONNAIRE, evaluation.answers) == without_dropped(evaluation)


@SETTINGS
@given(walked_answers(), st.data())
def test_dropped_answers_never_influence_the_result(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    walked = {step.question.id for step in evaluation.path}
    off_path = [q for q in QUESTIONNAIRE.questions.values() if q.id not in walked]
    extra = {
        question.id: data.draw(valid_answer(question))
        for question in data.draw(st.lists(st.sampled_from(off_path), unique=True))
        if evaluation.next_question is None or question.id != evaluation.next_question.id
    }
    noisy = engine.evaluate(QUESTIONNAIRE, {**extra, **answers})
    assert without_dropped(noisy) == evaluation
    assert set(noisy.dropped) == set(extra)


@SETTINGS
@given(walked_answers())
def test_a_complete_walk_with_a_not_sure_answer_is_never_permitted(
    answers: dict[str, Any],
) -> None:
    evaluation = engine.evaluate(QUESTIONNAIRE, answers)
    said_not_sure = any(
        value == "not_sure" or (isinstance(value, list) and "not_sure" in value)
        for value in evaluation.answers.values()
    )
    if evaluation.result is not None and said_not_sure:
        assert evaluation.result.kind != "permitted"
