"""Realistic plans, as respondents describe them, answered in v2 and run through the engine.

Each id is the plan in the respondent's words; the answers are what that person would choose
from the page wording. `BROWSER_PLANS` names the ones the browser tests also walk.
"""

from __future__ import annotations

from typing import Any

import pytest

from assessment import engine
from tests.engine.v2_support import V2, plan

NO_MODEL = {"training_use": "no"}

PLANS: dict[str, tuple[dict[str, Any], str, set[str]]] = {
    # plan in the respondent's words: (answers, outcome, categories that must be among the result's)
    "Claude answers customers live in our app; no model is trained": (
        {**NO_MODEL, "integration_use": ["product_features", "workflows"]},
        "permitted",
        {"Used in applications, no training"},
    ),
    "Our fraud model learns only from our own transactions; Claude writes our reports": (
        {**NO_MODEL, "integration_use": ["customer_content", "own_models_other_data"]},
        "permitted",
        {"No Outputs in training data"},
    ),
    "Claude rewrites help articles and something else we describe": (
        {**NO_MODEL, "integration_use": ["other"], "other_use_description": "Help articles."},
        "review",
        {"Other use of outputs"},
    ),
    "Claude labelled 20,000 tickets by sentiment; we train a BERT classifier for our help desk": (
        plan(does=("sentiment",)),
        "permitted",
        {"Sentiment analysis"},
    ),
    "A consultancy trains a review-sentiment classifier for a retailer and hands it over": (
        plan(does=("sentiment",), serves=("client_product",), receives=("client",)),
        "permitted",
        {"Sentiment analysis"},
    ),
    "A detector of AI-written essays, trained on Claude's essays as examples to recognise": (
        plan(does=("categorization",), outputs=("inputs_only",)),
        "permitted",
        {"Content categorization"},
    ),
    "An invoice field extractor; Claude labels fields and checks a sample of results": (
        plan(does=("extraction",), outputs=("labels", "judgments")),
        "permitted",
        {"Information extraction"},
    ),
    "A help-centre embedding model; Claude ranks which articles answer which question": (
        plan(does=("semantic_search",), outputs=("labels", "filtering")),
        "permitted",
        {"Semantic search"},
    ),
    "A payments anomaly detector; Claude explained 5,000 flagged cases as labels": (
        plan(does=("anomaly_detection",)),
        "permitted",
        {"Anomaly detection"},
    ),
    "Ticket summaries in three bullets; trained on human summaries, Claude grades them": (
        plan(does=("summarization",), scope="narrow", outputs=("judgments",)),
        "permitted",
        {"Summarization tool"},
    ),
    "Ticket summaries in three bullets, trained on Claude's own summaries": (
        plan(does=("summarization",), scope="narrow", outputs=("text_targets",)),
        "review",
        {"Summarization tool", "Claude's text as training targets"},
    ),
    "A summarizer of any web page in any style, trained on Claude's summaries": (
        plan(does=("summarization",), scope="general", outputs=("text_targets",)),
        "prohibited",
        {"Training targets / distillation"},
    ),
    "A model that labels ticket urgency and drafts the reply": (
        plan(does=("categorization", "narrow_writer"), outputs=("labels", "text_targets")),
        "prohibited",
        {"Content categorization", "Narrow text generator"},
    ),
    "A support bot for our app only, fine-tuned on Claude's answers": (
        plan(does=("support_chatbot",), outputs=("text_targets",)),
        "prohibited",
        {"Narrow text generator"},
    ),
    "A company-wide assistant fine-tuned on Claude conversations": (
        plan(does=("chatbot",), outputs=("text_targets",)),
        "prohibited",
        {"General-purpose chatbot"},
    ),
    "Distil Claude's step-by-step reasoning into a 7B model we publish openly": (
        plan(does=("imitate_claude",), outputs=("text_targets",), receives=("publish_weights",)),
        "prohibited",
        {"Training targets / distillation", "Open model release"},
    ),
    "A reward model trained on Claude's preferences, to improve our general chatbot with RL": (
        plan(does=("scoring",), outputs=("reward",), serves=("general_assistant",)),
        "prohibited",
        {"Helps build a general assistant or foundation model"},
    ),
    "A quality filter built with Claude's ratings that picks pre-training data for our LLM": (
        plan(does=("scoring",), outputs=("labels", "filtering"), serves=("general_assistant",)),
        "prohibited",
        {"Helps build a general assistant or foundation model"},
    ),
    "Claude grades another company's assistant while they develop it (we are a contractor)": (
        plan(
            does=("scoring",),
            outputs=("judgments",),
            serves=("general_assistant",),
            receives=("ai_developer",),
        ),
        "prohibited",
        {"Supporting a third party's competing model"},
    ),
    "A reward model for our own toxicity classifier, trained on Claude's scores": (
        plan(does=("scoring", "categorization"), outputs=("reward",)),
        "review",
        {"Scoring, reward or filter model", "Content categorization"},
    ),
    "We sell Claude-written instruction data to an AI lab": (
        plan(
            does=("not_sure",),
            outputs=("text_targets",),
            serves=("unknown",),
            receives=("ai_developer",),
        ),
        "prohibited",
        {"Supporting a third party's competing model"},
    ),
    "We publish a Claude-labelled sentiment corpus with our paper": (
        plan(does=("sentiment",), receives=("publish_data",)),
        "review",
        {"Open dataset publication"},
    ),
    "We release the weights of our Claude-labelled spam classifier openly": (
        plan(does=("categorization",), receives=("publish_weights",)),
        "review",
        {"Open model release"},
    ),
    "Labelled data sold on a marketplace; buyers decide what to train": (
        plan(does=("not_sure",), serves=("unknown",), receives=("unknown_buyers",)),
        "review",
        {"Client's purpose unknown", "Not sure"},
    ),
    "Labels for another company's image-tagging model": (
        plan(does=("categorization",), serves=("other_ai_model",), receives=("client",)),
        "review",
        {"Another company's model"},
    ),
    "A German-English translation model for our product listings": (
        plan(does=("translation",), outputs=("text_targets",)),
        "review",
        {"Translation model"},
    ),
    "A SQL autocomplete model for our BI tool, trained on Claude's queries": (
        plan(does=("code",), outputs=("text_targets",)),
        "review",
        {"Code completion or generation"},
    ),
    "Probing Claude to reconstruct its reward model": (
        plan(does=("research",), outputs=("inputs_only",)),
        "prohibited",
        {"Reverse-engineering training methods"},
    ),
    "A sentiment classifier under our signed agreement AGR-2025-0042": (
        plan(does=("sentiment",), agreement="yes", reference="AGR-2025-0042"),
        "review",
        {"Written agreement claimed", "Sentiment analysis"},
    ),
    "A support bot under a claimed agreement: the agreement does not lift the prohibition": (
        plan(does=("support_chatbot",), agreement="yes", reference="Email, 3 March 2025"),
        "prohibited",
        {"Narrow text generator", "Written agreement claimed"},
    ),
    "Not sure whether the intent classifier's data goes outside the company": (
        plan(does=("categorization",), receives=("not_sure",)),
        "review",
        {"Not sure"},
    ),
    "A sentiment model where we are not sure the outputs train anything": (
        plan(training="not_sure", does=("sentiment",)),
        "review",
        {"Not sure"},
    ),
}

# Walked in a real browser too (tests/browser/test_v2_plans.py).
BROWSER_PLANS = (
    "A model that labels ticket urgency and drafts the reply",
    "A reward model trained on Claude's preferences, to improve our general chatbot with RL",
    "We release the weights of our Claude-labelled spam classifier openly",
    "A consultancy trains a review-sentiment classifier for a retailer and hands it over",
)


@pytest.mark.parametrize("description", list(PLANS))
def test_a_realistic_plan_gets_its_expected_outcome(description: str) -> None:
    answers, outcome, categories = PLANS[description]
    evaluation = engine.evaluate(V2, answers)
    assert evaluation.complete, evaluation.next_question
    assert not evaluation.dropped
    assert evaluation.result is not None
    assert evaluation.result.kind == outcome
    assert categories <= set(evaluation.result.categories)


def test_the_plans_cover_every_outcome_kind_and_many_categories() -> None:
    kinds = {outcome for _answers, outcome, _categories in PLANS.values()}
    assert kinds == set(engine.OUTCOME_KINDS)
    reached = {c for _answers, _outcome, categories in PLANS.values() for c in categories}
    assert len(reached) >= 20
    assert len(PLANS) >= 30
    assert set(BROWSER_PLANS) <= set(PLANS)


def test_a_plan_is_judged_on_every_capability_it_has() -> None:
    answers, _outcome, _categories = PLANS[
        "A model that labels ticket urgency and drafts the reply"
    ]
    result = engine.evaluate(V2, answers).result
    assert result is not None
    by_answer = {f.answer_labels: f.outcome.kind for f in result.findings}
    labels = V2.questions["capabilities"]
    assert by_answer[(labels.option("categorization").label,)] == "permitted"
    assert by_answer[(labels.option("narrow_writer").label,)] == "prohibited"
