"""Every complete path of questionnaire v1, checked exhaustively."""

from __future__ import annotations

import random

import pytest

from assessment import engine
from assessment.questionnaire import Questionnaire

# The outcomes and categories POLICY-MAP.md says the product must reach, with their kind and
# the clause that must be cited.
POLICY_MAP_CATEGORIES = [
    ("Used in applications, no training", "permitted", "C4"),
    ("No Outputs in training data", "permitted", "C2"),
    ("Sentiment analysis", "permitted", "C3"),
    ("Content categorization", "permitted", "C3"),
    ("Summarization tool", "permitted", "C3"),
    ("Information extraction", "permitted", "C3"),
    ("Semantic search", "permitted", "C3"),
    ("Anomaly detection", "permitted", "C3"),
    ("General-purpose chatbot", "prohibited", "C7a"),
    ("Open-ended text generation", "prohibited", "C7b"),
    ("Training targets / distillation", "prohibited", "C7c"),
    ("Reverse-engineering training methods", "prohibited", "C7d"),
    ("Supporting a third party's competing model", "prohibited", "C6"),
    ("Translation model", "review", "C2"),
    ("Code completion or generation", "review", "C2"),
    ("Model kind the policy does not name", "review", "C2"),
    ("Client's purpose unknown", "review", "C2"),
    ("Not sure", "review", "C2"),
    ("Written agreement claimed", "review", "C2"),
    ("Open dataset publication", "review", "C2"),
]


def test_every_path_ends_in_a_result_citing_a_clause(all_paths: list[engine.Evaluation]) -> None:
    assert all_paths
    for evaluation in all_paths:
        assert evaluation.complete and evaluation.result is not None
        assert evaluation.result.findings, evaluation.answers
        assert evaluation.result.clauses, evaluation.answers


def test_every_outcome_kind_is_reached(all_paths: list[engine.Evaluation]) -> None:
    kinds = {evaluation.result.kind for evaluation in all_paths if evaluation.result}
    assert kinds == set(engine.OUTCOME_KINDS)


def test_every_outcome_in_the_file_is_reached(
    questionnaire: Questionnaire, all_paths: list[engine.Evaluation]
) -> None:
    reached = {
        outcome.id
        for evaluation in all_paths
        if evaluation.result
        for outcome in evaluation.result.outcomes
    }
    assert reached == set(questionnaire.outcomes)


def test_every_outcome_is_reached_as_the_deciding_one(all_paths: list[engine.Evaluation]) -> None:
    deciding = {
        outcome.id
        for evaluation in all_paths
        if evaluation.result
        for outcome in evaluation.result.deciding
    }
    reached = {o.id for e in all_paths if e.result for o in e.result.outcomes}
    assert deciding == reached


@pytest.mark.parametrize(("category", "kind", "clause"), POLICY_MAP_CATEGORIES)
def test_every_policy_map_category_is_reached(
    questionnaire: Questionnaire,
    all_paths: list[engine.Evaluation],
    category: str,
    kind: str,
    clause: str,
) -> None:
    outcomes = [o for o in questionnaire.outcomes.values() if o.category == category]
    assert outcomes, f"no outcome has category {category!r}"
    assert all(o.kind == kind and clause in o.clauses for o in outcomes)
    assert any(
        evaluation.result and category in evaluation.result.categories for evaluation in all_paths
    )


def test_not_sure_never_permits(all_paths: list[engine.Evaluation]) -> None:
    unsure = [e for e in all_paths if any(_has_not_sure(step.value) for step in e.path)]
    assert unsure
    for evaluation in unsure:
        assert evaluation.result is not None
        assert evaluation.result.kind != "permitted", evaluation.answers


def test_every_path_is_short_enough_for_a_respondent(all_paths: list[engine.Evaluation]) -> None:
    assert max(len(evaluation.path) for evaluation in all_paths) <= 8


def test_generative_models_are_never_permitted(all_paths: list[engine.Evaluation]) -> None:
    # Narrow but generative (support bot, product-description writer, code) must not pass, and
    # only a narrow summarizer may, under C3.
    for evaluation in all_paths:
        written = set(evaluation.answers.get("generation_kinds", ()))
        narrow_summarizer = written == {"summarization"} and (
            evaluation.answers.get("summary_scope") == "narrow"
        )
        if written and not narrow_summarizer:
            assert evaluation.result is not None
            assert evaluation.result.kind != "permitted", evaluation.answers


def test_enumerated_paths_evaluate_to_the_same_evaluation(
    questionnaire: Questionnaire, all_paths: list[engine.Evaluation]
) -> None:
    for evaluation in random.Random(3).sample(all_paths, 500):
        assert engine.evaluate(questionnaire, evaluation.answers) == evaluation


def _has_not_sure(value: str | tuple[str, ...]) -> bool:
    return value == "not_sure" or (isinstance(value, tuple) and "not_sure" in value)
