"""What v3 asks that v2 did not, each a fact that decided an outcome but went unasked (v3.toml),
held in v3 and every later version (`questionnaire`: v3, v4).

The paths of v3 as a whole are held to v2's rules in test_v2_paths.py; these are the new ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from assessment import engine, reassessment
from assessment.questionnaire import Questionnaire, load
from tests.engine.v2_support import closed, plan

SINCE_V3 = ("v3", "v4")


@pytest.fixture(params=SINCE_V3)
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return load(request.param)


def _result(questionnaire: Questionnaire, answers: dict[str, Any]) -> engine.Result:
    evaluation = engine.evaluate(questionnaire, closed(questionnaire, answers))
    assert evaluation.complete, evaluation.next_question
    assert evaluation.result is not None
    return evaluation.result


@pytest.mark.parametrize(
    ("version", "use"),
    [(v, o.value) for v in SINCE_V3 for o in load(v).questions["integration_use"].options],
)
def test_every_use_without_training_is_asked_whether_claude_helps_build_a_model(
    version: str, use: str
) -> None:
    questionnaire = load(version)
    answers: dict[str, Any] = {"training_use": "no", "integration_use": [use]}
    if use == "other":
        answers["other_use_description"] = "Claude rewrites our help articles."
    evaluation = engine.evaluate(questionnaire, answers)
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "develops_with_claude"


def test_claude_writing_a_models_training_code_is_never_permitted(
    questionnaire: Questionnaire,
) -> None:
    """The AI lab whose engineers have Claude write their chatbot's training code, no Claude text
    in its data: v2 said permitted (C1, C2). Developing a model with Claude's services needs
    written permission (C2), so a reviewer decides."""
    result = _result(
        questionnaire,
        {
            "training_use": "no",
            "integration_use": ["own_models_other_data", "workflows"],
            "develops_with_claude": "yes",
            "develops_with_claude_description": "Claude writes our chat model's training code.",
        },
    )
    assert result.kind == "review"
    assert "review_develops_with_claude" in {o.id for o in result.deciding}
    assert "C2" in result.clauses


@pytest.mark.parametrize(("helps", "kind"), [("no", "permitted"), ("not_sure", "review")])
def test_the_answer_on_building_decides_with_the_uses(
    helps: str, kind: str, questionnaire: Questionnaire
) -> None:
    result = _result(
        questionnaire,
        {
            "training_use": "no",
            "integration_use": ["own_models_other_data"],
            "develops_with_claude": helps,
        },
    )
    assert result.kind == kind


def test_content_for_customers_who_may_train_models_needs_a_review(
    questionnaire: Questionnaire,
) -> None:
    result = _result(
        questionnaire,
        {
            "training_use": "no",
            "integration_use": ["customer_content", "customer_training_data"],
            "develops_with_claude": "no",
        },
    )
    assert result.kind == "review"
    assert {"C2", "C6"} <= set(result.clauses)


def test_a_summarizer_between_narrow_and_general_needs_a_review(
    questionnaire: Questionnaire,
) -> None:
    result = _result(questionnaire, plan(does=("summarization",), scope="in_between"))
    assert result.kind == "review"
    assert "review_summary_scope" in {o.id for o in result.deciding}
    assert _result(questionnaire, plan(does=("summarization",), scope="narrow")).kind == "permitted"


def test_a_v2_record_without_training_needs_the_new_question_answered_from_v3_on(
    questionnaire: Questionnaire,
) -> None:
    v2_answers: dict[str, str | list[str]] = {
        "training_use": "no",
        "integration_use": ["own_models_other_data"],
    }
    assert engine.evaluate(load("v2"), v2_answers).result is not None  # complete in v2
    carried = reassessment.carry_answers(v2_answers, questionnaire)
    evaluation = engine.evaluate(questionnaire, carried)
    assert not evaluation.complete
    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "develops_with_claude"


def test_the_first_question_counts_outputs_got_from_others(questionnaire: Questionnaire) -> None:
    """Where the outputs came from decides: the hint says a bought or downloaded dataset, or a
    vendor's data made with Claude, counts, and data of unknown origin is "Not sure"."""
    question = questionnaire.questions["training_use"]
    assert "got from others" in question.hint
    assert 'answer "Not sure"' in question.hint
    unsure = engine.evaluate(questionnaire, {"training_use": "not_sure"})
    assert unsure.next_question is not None and unsure.next_question.id == "describe_model"


def test_every_realistic_v2_plan_keeps_its_outcome_from_v3_on(questionnaire: Questionnaire) -> None:
    """v3 only asks more: a v2 plan, with "no" to the new question where it is asked, gets the
    same outcome and categories (tests/engine/test_v2_plans.py)."""
    from tests.engine.test_v2_plans import PLANS

    for description, (answers, outcome, categories) in PLANS.items():
        carried = dict(reassessment.carry_answers(closed(questionnaire, answers), questionnaire))
        if carried.get("training_use") == "no":
            carried["develops_with_claude"] = "no"
        result = _result(questionnaire, carried)
        assert result.kind == outcome, description
        assert set(categories) <= set(result.categories), description


def test_a_contractor_who_builds_the_model_for_us_is_not_an_ai_developer(
    questionnaire: Questionnaire,
) -> None:
    """v2 had no place for the consultancy a team hires: "a company that builds AI models" read
    as prohibited. A contractor who keeps nothing changes nothing; one that may keep or reuse
    the data goes to a reviewer; one that develops general AI models is still prohibited."""
    assert (
        _result(questionnaire, plan(does=("sentiment",), receives=("contractor",))).kind
        == "permitted"
    )
    assert (
        _result(
            questionnaire, plan(does=("sentiment",), receives=("contractor", "unknown_buyers"))
        ).kind
        == "review"
    )
    assert (
        _result(
            questionnaire, plan(does=("sentiment",), receives=("contractor", "ai_developer"))
        ).kind
        == "prohibited"
    )


def test_the_narrow_text_generator_finding_gives_the_policys_words_and_our_reading(
    questionnaire: Questionnaire,
) -> None:
    explanation = questionnaire.outcomes["prohibited_narrow_generator"].explanation
    assert "open-ended text generation" in explanation and "Our reading" in explanation
