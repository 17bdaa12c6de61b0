"""Realistic assessments, one or more per POLICY-MAP category and hard case.

Each case reads as the respondent's situation; the answers are what they would give.
"""

from __future__ import annotations

from typing import Any

import pytest

from assessment import engine
from assessment.questionnaire import Questionnaire
from tests.engine.conftest import integration_answers, model_answers

NOT_PERMITTED = ("review", "prohibited")

CASES: list[Any] = [
    pytest.param(
        integration_answers("product_features", "workflows"),
        "permitted",
        "Used in applications, no training",
        id="Claude answers customers live in our app, no model trained",
    ),
    pytest.param(
        integration_answers("product_features", "own_models_other_data"),
        "permitted",
        "No Outputs in training data",
        id="own fraud model trained without any Claude outputs",
    ),
    pytest.param(
        model_answers(kinds=("sentiment",)),
        "permitted",
        "Sentiment analysis",
        id="sentiment classifier trained on Claude's labels",
    ),
    pytest.param(
        model_answers(model_for="client", kinds=("sentiment",)),
        "permitted",
        "Sentiment analysis",
        id="consultancy sentiment classifier for a client",
    ),
    pytest.param(
        model_answers(kinds=("categorization",)),
        "permitted",
        "Content categorization",
        id="ticket router trained on Claude's categories",
    ),
    pytest.param(
        model_answers(kinds=("categorization",), role=("inputs_only",)),
        "permitted",
        "Content categorization",
        id="AI-text detector with Claude's text only as training inputs",
    ),
    pytest.param(
        model_answers(kinds=("extraction",), role=("labels", "judgments")),
        "permitted",
        "Information extraction",
        id="invoice field extractor, Claude also checks a sample",
    ),
    pytest.param(
        model_answers(kinds=("semantic_search",)),
        "permitted",
        "Semantic search",
        id="help-centre embedding model",
    ),
    pytest.param(
        model_answers(kinds=("anomaly_detection",)),
        "permitted",
        "Anomaly detection",
        id="payment anomaly detector",
    ),
    pytest.param(
        model_answers(output="text", kinds=("summarization",), scope="narrow"),
        "permitted",
        "Summarization tool",
        id="narrow support-ticket summarizer",
    ),
    pytest.param(
        model_answers(output="text", kinds=("summarization",), scope="general"),
        "prohibited",
        "Training targets / distillation",
        id="summarizer of anything in any style",
    ),
    pytest.param(
        model_answers(output="text", kinds=("imitate_claude",)),
        "prohibited",
        "Training targets / distillation",
        id="distilling Claude into a small open model",
    ),
    pytest.param(
        model_answers(output="text", kinds=("chatbot",)),
        "prohibited",
        "General-purpose chatbot",
        id="general-purpose chatbot",
    ),
    pytest.param(
        model_answers(output="text", kinds=("support_chatbot",)),
        "prohibited",
        "Narrow text generator",
        id="support chatbot for one product",
    ),
    pytest.param(
        model_answers(output="text", kinds=("narrow_writer",)),
        "prohibited",
        "Narrow text generator",
        id="product-description writer",
    ),
    pytest.param(
        model_answers(output="text", kinds=("open_text",)),
        "prohibited",
        "Open-ended text generation",
        id="open-ended writing assistant",
    ),
    pytest.param(
        model_answers(output="research"),
        "prohibited",
        "Reverse-engineering training methods",
        id="reverse-engineering how Claude was trained",
    ),
    pytest.param(
        model_answers(model_for="ai_developer"),
        "prohibited",
        "Supporting a third party's competing model",
        id="data vendor selling instruction data to an AI lab",
    ),
    pytest.param(
        model_answers(model_for="publish"),
        "review",
        "Open dataset publication",
        id="dataset of Claude's outputs published on Hugging Face",
    ),
    pytest.param(
        model_answers(model_for="client_unknown"),
        "review",
        "Client's purpose unknown",
        id="labelled data sold to a client whose purpose is unknown",
    ),
    pytest.param(
        model_answers(output="text", kinds=("translation",)),
        "review",
        "Translation model",
        id="translation model",
    ),
    pytest.param(
        model_answers(output="text", kinds=("code",)),
        "review",
        "Code completion or generation",
        id="code completion model",
    ),
    pytest.param(
        model_answers(kinds=("other",)),
        "review",
        "Model kind the policy does not name",
        id="reward model trained on Claude's preferences",
    ),
    pytest.param(
        model_answers(kinds=("sentiment",), role=("not_sure",)),
        "review",
        "Not sure",
        id="not sure if outputs are used as targets",
    ),
    pytest.param(
        model_answers(training="not_sure", kinds=("sentiment",)),
        "review",
        "Not sure",
        id="not sure whether outputs train a model at all",
    ),
    pytest.param(
        model_answers(kinds=("sentiment",), agreement="not_sure"),
        "review",
        "Not sure",
        id="not sure whether there is a written agreement",
    ),
    pytest.param(
        model_answers(kinds=("sentiment",), role=("text_targets",)),
        "review",
        "Claude's text as training targets",
        id="sentiment model that learns to write Claude's explanations",
    ),
    pytest.param(
        model_answers(kinds=("sentiment",), agreement="yes", reference="AGR-123"),
        "review",
        "Written agreement claimed",
        id="written agreement AGR-123",
    ),
    pytest.param(
        model_answers(output="text", kinds=("chatbot",), agreement="yes", reference="AGR-9"),
        "prohibited",
        "General-purpose chatbot",
        id="chatbot with a claimed agreement stays prohibited until reviewed",
    ),
    pytest.param(
        integration_answers("data_analysis", "other", description="We rewrite help articles."),
        "review",
        "Other use of outputs",
        id="a use of outputs the questionnaire does not list",
    ),
]


@pytest.mark.parametrize(("answers", "kind", "category"), CASES)
def test_realistic_case_gets_its_outcome(
    questionnaire: Questionnaire, answers: dict[str, Any], kind: str, category: str
) -> None:
    evaluation = engine.evaluate(questionnaire, answers)
    assert evaluation.complete and evaluation.result is not None
    assert evaluation.dropped == ()
    assert evaluation.result.kind == kind
    assert category in [outcome.category for outcome in evaluation.result.deciding]


def test_narrow_summarizer_cites_c3_and_shows_c7c_to_the_reviewer(
    questionnaire: Questionnaire,
) -> None:
    answers = model_answers(output="text", kinds=("summarization",), scope="narrow")
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None
    assert result.clauses == ("C3",)
    assert "C7c" in result.outcomes[0].explanation


def test_general_summarizer_is_decided_by_c7c(questionnaire: Questionnaire) -> None:
    answers = model_answers(output="text", kinds=("summarization",), scope="general")
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None and "C7c" in result.clauses


def test_data_vendor_for_an_ai_lab_is_prohibited_under_c6(questionnaire: Questionnaire) -> None:
    result = engine.evaluate(questionnaire, model_answers(model_for="ai_developer")).result
    assert result is not None
    assert result.kind == "prohibited" and "C6" in result.clauses


def test_written_agreement_reference_is_kept_with_the_answers(
    questionnaire: Questionnaire,
) -> None:
    answers = model_answers(kinds=("sentiment",), agreement="yes", reference="  AGR-123 ")
    evaluation = engine.evaluate(questionnaire, answers)
    assert evaluation.answers["agreement_ref"] == "AGR-123"
    assert evaluation.path[-1].labels == ("AGR-123",)
    assert evaluation.result is not None
    assert [f.outcome.id for f in evaluation.result.findings if f.question_id == "agreement"] == [
        "review_written_agreement"
    ]


def test_no_outputs_in_training_says_the_policy_does_not_restrict_it(
    questionnaire: Questionnaire,
) -> None:
    result = engine.evaluate(questionnaire, integration_answers("own_models_other_data")).result
    assert result is not None and result.kind == "permitted"
    assert "are not restricted" in result.outcomes[0].title


def test_worst_capability_decides_and_every_capability_is_listed(
    questionnaire: Questionnaire,
) -> None:
    answers = model_answers(output="text", kinds=("summarization", "chatbot"), scope="narrow")
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None
    assert result.kind == "prohibited"
    assert result.categories == ("General-purpose chatbot", "Summarization tool")
    assert [o.category for o in result.deciding] == ["General-purpose chatbot"]


@pytest.mark.parametrize(
    "kinds", [("support_chatbot",), ("narrow_writer",), ("code",)], ids=lambda k: k[0]
)
def test_narrow_but_generative_models_are_not_permitted(
    questionnaire: Questionnaire, kinds: tuple[str, ...]
) -> None:
    result = engine.evaluate(questionnaire, model_answers(output="text", kinds=kinds)).result
    assert result is not None and result.kind in NOT_PERMITTED
