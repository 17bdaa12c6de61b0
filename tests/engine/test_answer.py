"""answer(), evaluate() and normalize(): walking, validating and pruning answers."""

from __future__ import annotations

import pytest

from assessment import engine
from assessment.questionnaire import Questionnaire
from tests.engine.conftest import model_answers


def test_evaluate_starts_at_the_first_question(questionnaire: Questionnaire) -> None:
    evaluation = engine.evaluate(questionnaire, {})
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == questionnaire.first
    assert not evaluation.complete and evaluation.result is None


def test_evaluate_stops_at_the_first_unanswered_question(questionnaire: Questionnaire) -> None:
    evaluation = engine.evaluate(questionnaire, {"training_use": "yes"})
    assert [step.question.id for step in evaluation.path] == ["training_use"]
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "describe_model"


def test_evaluate_drops_answers_beyond_an_unanswered_question(
    questionnaire: Questionnaire,
) -> None:
    evaluation = engine.evaluate(questionnaire, {"training_use": "yes", "model_for": "own"})
    assert evaluation.answers == {"training_use": "yes"}
    assert evaluation.dropped == ("model_for",)


def test_evaluate_rejects_an_unknown_question_id(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError) as raised:
        engine.evaluate(questionnaire, {"training_use": "yes", "favourite_colour": "blue"})
    assert raised.value.question_id == "favourite_colour"


def test_evaluate_rejects_an_invalid_value_on_the_path(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError) as raised:
        engine.evaluate(questionnaire, {"training_use": "maybe"})
    assert raised.value.question_id == "training_use"


def test_answer_rejects_a_question_off_the_path(questionnaire: Questionnaire) -> None:
    answers = {"training_use": "no"}
    with pytest.raises(engine.AnswerError) as raised:
        engine.answer(questionnaire, answers, "model_for", "own")
    assert raised.value.question_id == "model_for"


def test_answer_rejects_a_question_beyond_the_next_one(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError):
        engine.answer(questionnaire, {"training_use": "yes"}, "model_for", "own")


def test_answer_rejects_an_unknown_question(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError):
        engine.answer(questionnaire, {}, "no_such_question", "yes")


def test_answer_rejects_an_option_the_question_does_not_have(
    questionnaire: Questionnaire,
) -> None:
    with pytest.raises(engine.AnswerError) as raised:
        engine.answer(questionnaire, {}, "training_use", "probably")
    assert raised.value.message == "Select one of the options shown"


def test_answer_sets_the_next_question(questionnaire: Questionnaire) -> None:
    evaluation = engine.answer(questionnaire, {}, "training_use", "no")
    assert evaluation.answers == {"training_use": "no"}
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "integration_use"


def test_changing_an_earlier_answer_drops_answers_off_the_new_path(
    questionnaire: Questionnaire,
) -> None:
    answers = model_answers(kinds=("sentiment",))
    evaluation = engine.answer(questionnaire, answers, "model_output", "text")
    assert "analysis_kinds" not in evaluation.answers
    assert "outputs_role" not in evaluation.answers
    assert set(evaluation.dropped) == {"analysis_kinds", "outputs_role", "agreement"}
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "generation_kinds"


def test_changing_an_earlier_answer_keeps_answers_still_on_the_path(
    questionnaire: Questionnaire,
) -> None:
    answers = model_answers(kinds=("sentiment",))
    evaluation = engine.answer(questionnaire, answers, "model_for", "client")
    assert evaluation.complete and evaluation.dropped == ()
    assert evaluation.answers == {**answers, "model_for": "client"}


def test_a_multiple_answer_is_stored_in_option_order(questionnaire: Questionnaire) -> None:
    question = questionnaire.questions["analysis_kinds"]
    assert engine.normalize(question, ["extraction", "sentiment", "sentiment"]) == [
        "sentiment",
        "extraction",
    ]


def test_a_multiple_answer_needs_at_least_one_option(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError, match="Select at least one option"):
        engine.normalize(questionnaire.questions["analysis_kinds"], [])


def test_an_exclusive_option_cannot_be_combined(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError, match="on its own"):
        engine.normalize(questionnaire.questions["analysis_kinds"], ["sentiment", "not_sure"])


def test_a_single_choice_needs_an_option(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError, match="Select an option"):
        engine.normalize(questionnaire.questions["model_for"], None)


def test_text_is_stripped(questionnaire: Questionnaire) -> None:
    assert engine.normalize(questionnaire.questions["agreement_ref"], "  AGR-1 \n") == "AGR-1"


def test_required_text_cannot_be_blank(questionnaire: Questionnaire) -> None:
    with pytest.raises(engine.AnswerError, match="Enter an answer"):
        engine.normalize(questionnaire.questions["agreement_ref"], "   ")


def test_text_longer_than_its_limit_is_rejected(questionnaire: Questionnaire) -> None:
    question = questionnaire.questions["agreement_ref"]
    assert question.max_length == 200
    with pytest.raises(engine.AnswerError, match="Enter 200 characters or fewer"):
        engine.normalize(question, "x" * 201)


def test_yes_no_questions_offer_yes_no_and_not_sure(questionnaire: Questionnaire) -> None:
    for question in questionnaire.questions.values():
        if question.kind == "yes_no":
            assert [(o.value, o.label) for o in question.options] == [
                ("yes", "Yes"),
                ("no", "No"),
                ("not_sure", "Not sure"),
            ]
