"""Carrying answers to a newer version and judging them again (pure Python, no database)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from assessment import reassessment
from assessment.questionnaire import load
from assessment.questionnaire.compare import compare
from tests.engine.conftest import integration_answers, model_answers

V1, V2 = load("v1"), load("v2")


def stored(answers: dict, outcome: str, reference: str = "AS-2026-00001") -> reassessment.Stored:
    return reassessment.Stored(reference, "v1", outcome, answers)


def test_answers_to_the_same_question_carry_over() -> None:
    carried = reassessment.carry_answers(integration_answers("product_features", "workflows"), V2)
    assert carried == {"training_use": "no", "integration_use": ["product_features", "workflows"]}


def test_v1_capabilities_carry_into_the_one_v2_capabilities_question() -> None:
    answers = model_answers(kinds=("sentiment", "extraction"), role=("labels",))
    carried = reassessment.carry_answers(answers, V2)
    assert carried["capabilities"] == ["sentiment", "extraction"]
    assert carried["outputs_role"] == ["labels"]
    assert "serves" not in carried  # v1 never asked it


def test_a_v1_text_model_carries_its_kinds_and_summary_scope() -> None:
    answers = model_answers(output="text", kinds=("summarization", "code"), scope="narrow")
    carried = reassessment.carry_answers(answers, V2)
    assert carried["capabilities"] == ["summarization", "code"]
    assert carried["summary_scope"] == "narrow"


def test_a_record_whose_answers_complete_the_new_version_with_the_same_outcome_is_unchanged() -> (
    None
):
    result = reassessment.reassess(stored(integration_answers("data_analysis"), "permitted"), V2)
    assert result.status == reassessment.UNCHANGED and result.to_outcome == "permitted"


def test_a_record_the_new_version_asks_more_of_needs_re_answer_at_the_first_new_question() -> None:
    result = reassessment.reassess(stored(model_answers(kinds=("sentiment",)), "permitted"), V2)
    assert result.status == reassessment.NEEDS_REANSWER
    assert result.needs == "serves" and result.to_outcome is None


def test_a_record_whose_outcome_would_change_is_reported_as_changed() -> None:
    stricter = replace(
        V2,
        outcomes=MappingProxyType(
            {
                **V2.outcomes,
                "permitted_no_training": replace(
                    V2.outcomes["permitted_no_training"], kind="review"
                ),
            }
        ),
    )
    result = reassessment.reassess(stored(integration_answers("workflows"), "permitted"), stricter)
    assert result.status == reassessment.CHANGED
    assert (result.from_outcome, result.to_outcome) == ("permitted", "review")


def test_the_impact_report_has_the_documented_shape() -> None:
    records = [
        stored(integration_answers("workflows"), "permitted", "AS-2026-00001"),
        stored(model_answers(kinds=("sentiment",)), "permitted", "AS-2026-00002"),
        reassessment.Stored("AS-2026-00003", "v2", "review", {}),  # the target version itself
    ]
    report = reassessment.impact_report(reassessment.reassess_all(records, V2), V2)
    assert report == {
        "from": ["v1"],
        "to": "v2",
        "records": 2,
        "changed": [],
        "unmappable": [
            {"reference": "AS-2026-00002", "version": "v1", "from": "permitted", "needs": "serves"}
        ],
    }


def test_a_version_compared_with_itself_has_no_change() -> None:
    assert compare(V2, V2).is_empty
    assert not compare(V1, V2).is_empty
