"""The result: worst finding wins, and its stable dictionary form."""

from __future__ import annotations

import json

from assessment import engine
from assessment.questionnaire import Questionnaire
from tests.engine.conftest import model_answers


def test_result_to_dict_is_json_serializable_and_stable(questionnaire: Questionnaire) -> None:
    answers = model_answers(kinds=("sentiment",), agreement="yes", reference="AGR-123")
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None
    data = json.loads(json.dumps(result.to_dict()))
    assert data["outcome"] == "review"
    assert data["categories"] == ["Written agreement claimed", "Sentiment analysis"]
    assert data["clauses"] == ["C2", "C3"]
    assert [o["id"] for o in data["outcomes"]] == [
        "review_written_agreement",
        "permitted_sentiment",
    ]
    assert set(data["outcomes"][0]) == {
        "id",
        "kind",
        "category",
        "clauses",
        "title",
        "explanation",
        "next_steps",
    }
    assert data["trace"] == [
        {
            "question_id": "analysis_kinds",
            "question": questionnaire.questions["analysis_kinds"].text,
            "answer": ["Sentiment analysis"],
            "outcome_id": "permitted_sentiment",
            "kind": "permitted",
            "category": "Sentiment analysis",
            "clauses": ["C3"],
        },
        {
            "question_id": "agreement",
            "question": questionnaire.questions["agreement"].text,
            "answer": ["Yes"],
            "outcome_id": "review_written_agreement",
            "kind": "review",
            "category": "Written agreement claimed",
            "clauses": ["C2"],
        },
    ]


def test_options_leading_to_one_outcome_make_one_finding(questionnaire: Questionnaire) -> None:
    answers = model_answers(output="text", kinds=("support_chatbot", "narrow_writer"))
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None
    assert len(result.findings) == 1
    assert result.findings[0].answer_labels == (
        "Chat replies about one product, service or topic",
        "Text for one narrow job",
    )


def test_clauses_are_distinct_and_in_clause_order(questionnaire: Questionnaire) -> None:
    answers = model_answers(output="text", kinds=("support_chatbot", "chatbot", "open_text"))
    result = engine.evaluate(questionnaire, answers).result
    assert result is not None
    assert result.clauses == ("C5", "C7a", "C7b", "C7c")


def test_every_clause_cited_has_a_paraphrase(questionnaire: Questionnaire) -> None:
    for outcome in questionnaire.outcomes.values():
        for clause in outcome.clauses:
            assert questionnaire.clauses[clause]
