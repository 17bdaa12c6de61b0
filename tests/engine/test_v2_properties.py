"""Property-based tests on v2: random complete walks, with any combination of options."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import engine
from tests.engine.test_properties import valid_answer
from tests.engine.v2_support import NARROW_SUMMARY, TEXT_WRITING, V2, chosen, said_not_sure

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def complete_walks(draw: st.DrawFn) -> dict[str, Any]:
    """Valid answers along one random path of v2, to the end."""
    answers: dict[str, Any] = {}
    evaluation = engine.evaluate(V2, answers)
    while evaluation.next_question is not None:
        question = evaluation.next_question
        answers[question.id] = draw(valid_answer(question))
        evaluation = engine.evaluate(V2, answers)
    return answers


@SETTINGS
@given(complete_walks())
def test_a_combination_gets_the_worst_of_its_one_option_paths(answers: dict[str, Any]) -> None:
    evaluation = engine.evaluate(V2, answers)
    assert evaluation.result is not None
    worst = max(f.outcome.severity for f in evaluation.result.findings)
    assert evaluation.result.kind == engine.OUTCOME_KINDS[worst]


@SETTINGS
@given(complete_walks())
def test_not_sure_in_any_answer_is_never_permitted(answers: dict[str, Any]) -> None:
    result = engine.evaluate(V2, answers).result
    if said_not_sure(answers):
        assert result is not None and result.kind != "permitted"


@SETTINGS
@given(complete_walks())
def test_a_text_writing_capability_among_others_is_never_permitted(
    answers: dict[str, Any],
) -> None:
    result = engine.evaluate(V2, answers).result
    writing = chosen(answers, "capabilities") & TEXT_WRITING
    if writing and writing != {NARROW_SUMMARY}:
        assert result is not None and result.kind != "permitted"
    if writing and result is not None and result.kind == "permitted":
        assert answers["summary_scope"] == "narrow"
        assert "text_targets" not in chosen(answers, "outputs_role")


@SETTINGS
@given(complete_walks())
def test_serving_a_general_assistant_among_other_systems_is_prohibited(
    answers: dict[str, Any],
) -> None:
    result = engine.evaluate(V2, answers).result
    if "general_assistant" in chosen(answers, "serves"):
        assert result is not None and result.kind == "prohibited"


@SETTINGS
@given(complete_walks())
def test_every_finding_names_the_answer_that_triggered_it(answers: dict[str, Any]) -> None:
    evaluation = engine.evaluate(V2, answers)
    assert evaluation.result is not None
    labels = {step.question.id: step.labels for step in evaluation.path}
    for finding in evaluation.result.findings:
        assert finding.answer_labels
        assert set(finding.answer_labels) <= set(labels[finding.question_id])
