"""Questionnaire validation: each problem is reported naming the file and the question."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from assessment.questionnaire import QuestionnaireError, available_versions, load, loader
from assessment.questionnaire.validation import validate

SOURCE = "assessment/questionnaire/v9.toml"


def minimal() -> dict[str, Any]:
    """A small valid questionnaire: q1 (yes/no) -> q2 (choice) -> q3 (text) -> end."""
    return {
        "version": "v9",
        "title": "Minimal",
        "first": "q1",
        "clauses": {"C2": "Needs written permission.", "C3": "Specialized tools allowed."},
        "questions": [
            {
                "id": "q1",
                "kind": "yes_no",
                "section": "S",
                "text": "Do you train a model?",
                "hint": "Any model.",
                "options": [
                    {"value": "yes", "next": "q2"},
                    {"value": "no", "outcome": "ok"},
                    {"value": "not_sure", "outcome": "unsure"},
                ],
            },
            {
                "id": "q2",
                "kind": "multiple",
                "section": "S",
                "text": "What does it do?",
                "hint": "Choose all.",
                "next": "q3",
                "routes": [{"when_any": ["b"], "next": "q3"}],
                "options": [
                    {"value": "a", "label": "A", "outcome": "ok"},
                    {"value": "b", "label": "B", "outcome": "unsure"},
                ],
            },
            {"id": "q3", "kind": "text", "section": "S", "text": "Describe it", "hint": "Say."},
        ],
        "outcomes": {
            "ok": _outcome("permitted", ["C3"]),
            "unsure": _outcome("review", ["C2"]),
        },
    }


def _outcome(kind: str, clauses: list[str]) -> dict[str, Any]:
    return {
        "kind": kind,
        "category": kind.title(),
        "clauses": clauses,
        "title": "Title",
        "explanation": "Why.",
        "next_steps": ["Do this."],
    }


def problems_with(change: Any) -> list[str]:
    data = copy.deepcopy(minimal())
    change(data)
    return validate(data, SOURCE)


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == qid)


def option(data: dict[str, Any], qid: str, value: str) -> dict[str, Any]:
    return next(o for o in question(data, qid)["options"] if o["value"] == value)


def assert_reported(problems: list[str], qid: str, words: str) -> None:
    assert any(
        SOURCE in problem and f"'{qid}'" in problem and words in problem for problem in problems
    ), problems


def test_minimal_questionnaire_is_valid() -> None:
    assert validate(minimal(), SOURCE) == []


def test_shipped_questionnaires_are_valid() -> None:
    assert available_versions()
    for version in available_versions():
        assert load(version).version == version


def test_unknown_version_is_an_error() -> None:
    with pytest.raises(QuestionnaireError, match="Unknown questionnaire version 'v999'"):
        load("v999")


def test_unreachable_question_is_reported() -> None:
    extra = {"id": "q4", "kind": "text", "section": "S", "text": "Lost?", "hint": "h"}
    assert_reported(problems_with(lambda d: d["questions"].append(extra)), "q4", "unreachable")


def test_choice_question_without_options_is_a_dead_end() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q2")["options"] = []
        question(data, "q2")["routes"] = []

    assert_reported(problems_with(change), "q2", "dead end")


def test_cycle_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q3")["next"] = "q1"

    assert_reported(problems_with(change), "q3", "cycle")


def test_route_to_an_unknown_question_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        option(data, "q1", "yes")["next"] = "q99"

    assert_reported(problems_with(change), "q1", "unknown question 'q99'")


def test_unknown_first_question_is_reported() -> None:
    problems = problems_with(lambda d: d.update(first="q0"))
    assert any(SOURCE in p and "'q0'" in p for p in problems), problems


def test_route_naming_no_option_routes_nowhere() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q2")["routes"] = [{"when_any": ["zzz"], "next": "q3"}]

    assert_reported(problems_with(change), "q2", "routes nowhere")


def test_outcome_without_a_clause_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        data["outcomes"]["ok"]["clauses"] = []

    problems = problems_with(change)
    assert_reported(problems, "ok", "no clause")
    assert_reported(problems, "q1", "no clause")  # names the question that uses it


def test_outcome_with_an_unknown_clause_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        data["outcomes"]["ok"]["clauses"] = ["C42"]

    assert_reported(problems_with(change), "ok", "unknown clause id 'C42'")


def test_unknown_outcome_id_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        option(data, "q1", "no")["outcome"] = "fine"

    assert_reported(problems_with(change), "q1", "unknown outcome 'fine'")


def test_duplicate_question_id_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        data["questions"].append(copy.deepcopy(question(data, "q3")))

    assert_reported(problems_with(change), "q3", "duplicate question id")


def test_duplicate_option_value_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q2")["options"].append({"value": "a", "label": "A again"})

    assert_reported(problems_with(change), "q2", "duplicate option value 'a'")


def test_not_sure_without_a_review_finding_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        option(data, "q1", "not_sure")["outcome"] = "ok"

    assert_reported(problems_with(change), "q1", "'not_sure' must contribute a review")


def test_path_ending_with_no_finding_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        del option(data, "q1", "no")["outcome"]

    assert_reported(problems_with(change), "q1", "ends with no finding (q1=no)")


def test_yes_no_question_must_offer_not_sure() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q1")["options"].pop()

    assert_reported(problems_with(change), "q1", "exactly yes, no and not_sure")


def test_exclusive_option_outside_a_multiple_question_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        option(data, "q1", "no")["exclusive"] = True

    assert_reported(problems_with(change), "q1", "can be exclusive")


def _with_facts(data: dict[str, Any]) -> dict[str, Any]:
    """q2 becomes a facts question of two statements (q1=yes now adds a finding); returns it."""
    option(data, "q1", "yes")["outcome"] = "ok"
    facts = question(data, "q2")
    facts.update(kind="facts", not_sure_outcome="unsure")
    del facts["routes"]
    facts["options"] = [
        {"value": "a", "label": "It does A", "outcome": "unsure"},
        {"value": "b", "label": "It does B", "outcome": "unsure"},
    ]
    return facts


def test_a_facts_question_is_valid_and_no_to_every_statement_needs_a_finding_elsewhere() -> None:
    assert problems_with(_with_facts) == []

    def without_a_finding_before(data: dict[str, Any]) -> None:
        _with_facts(data)
        del option(data, "q1", "yes")["outcome"]

    # "No" to every statement adds nothing: the path q1=yes, q2, q3 then ends with no finding.
    assert_reported(problems_with(without_a_finding_before), "q3", "q2=(no to every statement)")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda facts: facts.pop("not_sure_outcome"), "needs `not_sure_outcome`"),
        (lambda facts: facts.update(not_sure_outcome="ok"), "must be a review finding"),
        (lambda facts: facts.update(not_sure_outcome="nothing"), "names unknown outcome"),
        (lambda facts: facts["options"][0].pop("outcome"), "needs the `outcome` its “Yes” adds"),
        (lambda facts: facts["options"][0].update(next="q3"), "has no `next`"),
        (lambda facts: facts["options"][0].update(value="A:b"), "lower_snake_case"),
        (lambda facts: facts["options"].pop(), "at least two statements"),
    ],
)
def test_a_facts_question_s_mistakes_are_reported(change: Any, words: str) -> None:
    assert_reported(problems_with(lambda data: change(_with_facts(data))), "q2", words)


def test_not_sure_outcome_belongs_to_a_facts_question_only() -> None:
    def change(data: dict[str, Any]) -> None:
        question(data, "q1")["not_sure_outcome"] = "unsure"

    assert_reported(problems_with(change), "q1", "only a facts question has `not_sure_outcome`")


def test_load_raises_listing_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "v7.toml").write_text(
        'version = "v7"\ntitle = "Broken"\nfirst = "nowhere"\n'
        '[clauses]\nC2 = "x"\n[[questions]]\nid = "q1"\nkind = "text"\n'
        'section = "S"\ntext = "T"\nhint = "H"\n[outcomes.ok]\nkind = "review"\n'
        'category = "C"\nclauses = []\ntitle = "T"\nexplanation = "E"\nnext_steps = ["S"]\n'
    )
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    with pytest.raises(QuestionnaireError) as raised:
        loader.load("v7")
    assert "assessment/questionnaire/v7.toml" in str(raised.value)
    assert any("'nowhere'" in p for p in raised.value.problems)
    assert any("'ok'" in p and "no clause" in p for p in raised.value.problems)


def test_load_reports_invalid_toml_with_the_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "v8.toml").write_text("version = \n")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    with pytest.raises(QuestionnaireError, match=r"v8\.toml: not valid TOML"):
        loader.load("v8")
