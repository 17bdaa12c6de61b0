"""Every path of questionnaires v2 and v3, by a stated argument that these tests make true.

Each test runs on both versions (v3 asks what v2 asked, and more: see v3.toml's header).

v2 has about 5 x 10^10 complete paths (`engine.count_paths`): too many to list. The argument:

1. Findings are per option: for every multiple-choice question and EVERY subset of its options
   (all 32,768 of the capabilities question), the findings of the subset are exactly the union
   of its options' findings, and it goes where its first routed option goes
   (`test_a_combination_is_judged_as_its_options`).
2. So every path is the "one option per question" path of one of its options, plus findings
   from the other options of the same questions, which can only make the result worse
   (prohibited > review > permitted, worst wins).
3. All one-option paths (33,523) are enumerated below: every option and every route is taken,
   every path ends in a result whose clauses the result page lists, and the safety properties
   hold on each. By 1 and 2 they then hold for every combination; `test_v2_properties` checks
   random combinations directly as well.
"""

from __future__ import annotations

import itertools
import re

import pytest

from assessment import engine
from assessment.questionnaire import load
from tests.engine.test_paths import POLICY_MAP_CATEGORIES
from tests.engine.v2_support import (
    NARROW_SUMMARY,
    TEXT_WRITING,
    VERSIONS,
    all_no,
    chosen,
    said_not_sure,
)

ONE_OPTION_PATHS = {
    version: list(engine.enumerate_paths(load(version), combinations=False)) for version in VERSIONS
}
every_version = pytest.mark.parametrize("version", VERSIONS)
CLAUSE_ID = re.compile(r"\bC[1-9][0-9]*[a-z]?\b")
MODEL_QUESTIONS = ("capabilities", "outputs_role", "serves", "recipients", "agreement")


def test_the_count_of_every_path_agrees_with_listing_them_on_v1() -> None:
    v1 = load("v1")
    listed: dict[str, int] = dict.fromkeys(engine.OUTCOME_KINDS, 0)
    for evaluation in engine.enumerate_paths(v1):
        assert evaluation.result is not None
        listed[evaluation.result.kind] += 1
    assert engine.count_paths(v1) == listed


@every_version
def test_v2_on_has_too_many_paths_to_list_but_every_kind_is_counted(version: str) -> None:
    counts = engine.count_paths(load(version))
    assert sum(counts.values()) > 10**9
    assert all(counts[kind] > 0 for kind in engine.OUTCOME_KINDS)


@pytest.mark.parametrize(
    ("version", "question"),
    [(v, q) for v in VERSIONS for q in load(v).questions.values() if q.kind == "multiple"],
    ids=lambda p: p if isinstance(p, str) else p.id,
)
def test_a_combination_is_judged_as_its_options(version: str, question: engine.Question) -> None:
    compiled = engine._compiled(load(version))
    alone = {o.value: compiled.move(question, (o.value,)) for o in question.options}
    combinable = [o.value for o in question.options if not o.exclusive]
    for size in range(2, len(combinable) + 1):
        for subset in itertools.combinations(combinable, size):
            move = compiled.move(question, subset)
            expected = {f.outcome.id for value in subset for f in alone[value].findings}
            assert {f.outcome.id for f in move.findings} == expected, subset
            routed = [v for v in subset if alone[v].target != question.next]
            assert move.target == (alone[routed[0]].target if routed else question.next)


@pytest.mark.parametrize(
    ("version", "question"),
    [(v, q) for v in VERSIONS for q in load(v).questions.values() if q.kind == "facts"],
    ids=lambda p: p if isinstance(p, str) else p.id,
)
def test_a_facts_answer_is_judged_as_its_statements(
    version: str, question: engine.Question
) -> None:
    """Every one of the 3^n answers: its findings are those of its statements' own answers
    (what walking "Yes" to each alone and "Not sure" to every one relies on), and it goes on to
    the question's `next`."""
    compiled = engine._compiled(load(version))
    own = {o.value: o.outcome for s in question.statements for o in s.options}
    for answer in itertools.product(*(s.options for s in question.statements)):
        values = tuple(o.value for o in answer)
        move = compiled.move(question, values)
        assert {f.outcome.id for f in move.findings} == {own[v] for v in values} - {None}
        assert move.target == question.next


@every_version
def test_every_option_and_every_route_is_taken(version: str) -> None:
    paths = ONE_OPTION_PATHS[version]
    taken = {(s.question.id, v) for e in paths for s in e.path for v in _values(s)}
    offered = {(q.id, o.value) for q in load(version).questions.values() for o in q.options}
    assert offered <= taken
    asked = {s.question.id for e in ONE_OPTION_PATHS[version] for s in e.path}
    assert asked == set(load(version).questions)


@every_version
def test_every_path_ends_in_a_result_whose_clauses_the_page_lists(version: str) -> None:
    for evaluation in ONE_OPTION_PATHS[version]:
        result = evaluation.result
        assert evaluation.complete and result is not None and result.findings
        listed = {clause for outcome in result.outcomes for clause in outcome.clauses}
        assert listed and set(result.clauses) == listed
        assert all(clause in load(version).clauses for clause in listed)


@pytest.mark.parametrize(
    "outcome", [o for v in VERSIONS for o in load(v).outcomes.values()], ids=lambda o: o.id
)
def test_an_explanation_cites_only_the_clauses_its_finding_lists(outcome: engine.Outcome) -> None:
    cited = set(CLAUSE_ID.findall(" ".join((outcome.explanation, *outcome.next_steps))))
    assert cited <= set(outcome.clauses), cited - set(outcome.clauses)
    assert cited, "an explanation says which clause decides"


@every_version
def test_every_outcome_of_v2_is_reached_and_decides_somewhere(version: str) -> None:
    deciding = {o.id for e in ONE_OPTION_PATHS[version] if e.result for o in e.result.deciding}
    assert deciding == set(load(version).outcomes)


@every_version
@pytest.mark.parametrize(("category", "kind", "clause"), POLICY_MAP_CATEGORIES)
def test_every_policy_map_category_is_reached_in_v2_on(
    version: str, category: str, kind: str, clause: str
) -> None:
    outcomes = [o for o in load(version).outcomes.values() if o.category == category]
    assert outcomes and all(o.kind == kind and clause in o.clauses for o in outcomes)
    assert any(e.result and category in e.result.categories for e in ONE_OPTION_PATHS[version])


@every_version
def test_not_sure_anywhere_is_never_permitted(version: str) -> None:
    unsure = [e for e in ONE_OPTION_PATHS[version] if said_not_sure(e.answers)]
    assert len(unsure) > 1000
    assert all(e.result and e.result.kind != "permitted" for e in unsure)


@every_version
def test_a_text_writing_capability_is_never_permitted(version: str) -> None:
    paths = ONE_OPTION_PATHS[version]
    writing = [e for e in paths if chosen(e.answers, "capabilities") & TEXT_WRITING]
    assert writing
    for evaluation in writing:
        assert evaluation.result is not None
        if evaluation.result.kind == "permitted":
            # Only C3's named summarization tool, narrow, and not trained on Claude's text.
            assert chosen(evaluation.answers, "capabilities") == {NARROW_SUMMARY}
            assert evaluation.answers["summary_scope"] == "narrow"
            assert "text_targets" not in chosen(evaluation.answers, "outputs_role")


@every_version
def test_claude_text_as_training_target_is_never_permitted(version: str) -> None:
    for evaluation in ONE_OPTION_PATHS[version]:
        if "text_targets" in chosen(evaluation.answers, "outputs_role"):
            assert evaluation.result and evaluation.result.kind != "permitted"


@every_version
def test_a_model_serving_a_general_assistant_or_foundation_model_is_never_permitted(
    version: str,
) -> None:
    paths = ONE_OPTION_PATHS[version]
    serving = [e for e in paths if "general_assistant" in chosen(e.answers, "serves")]
    assert serving
    assert all(e.result and e.result.kind == "prohibited" for e in serving)


@pytest.mark.parametrize(
    ("version", "audience"),
    [(v, o.value) for v in VERSIONS for o in load(v).questions["recipients"].options],
)
def test_every_audience_still_asks_what_the_model_does_and_how_outputs_go_in(
    version: str, audience: str
) -> None:
    paths = [e for e in ONE_OPTION_PATHS[version] if audience in chosen(e.answers, "recipients")]
    assert paths
    for evaluation in paths:
        asked = [step.question.id for step in evaluation.path]
        assert all(question in asked for question in MODEL_QUESTIONS)
        assert asked.index("capabilities") < asked.index("recipients")


@every_version
def test_every_model_path_asks_the_same_questions_whatever_the_answers(version: str) -> None:
    for evaluation in ONE_OPTION_PATHS[version]:
        if evaluation.answers["training_use"] != "no":
            asked = {step.question.id for step in evaluation.path}
            assert set(MODEL_QUESTIONS) <= asked


@pytest.mark.parametrize(("version", "pages"), [("v2", 2), ("v3", 3), ("v4", 4)])
def test_no_training_takes_two_pages_as_in_v1_three_from_v3(version: str, pages: int) -> None:
    """v3 also asks whether Claude helps build any model in another way (its training code), and
    v4 asks the facts that decide the outcome directly before the result."""
    answers: dict[str, str | list[str]] = {
        "training_use": "no",
        "integration_use": ["product_features", "workflows"],
    }
    if version != "v2":
        answers["develops_with_claude"] = "no"
    if version == "v4":
        answers["use_facts"] = all_no(load(version), "use_facts")
    simplest = engine.evaluate(load(version), answers)
    assert simplest.complete and len(simplest.path) == pages
    assert simplest.result and simplest.result.kind == "permitted"


@every_version
def test_every_path_is_short_enough_for_a_respondent(version: str) -> None:
    """v4 asks one more question of a model offered as a service (what customers may build), and
    one more of every assessment (the facts that decide the outcome, asked directly)."""
    longest = {"v2": 9, "v3": 9, "v4": 11}[version]
    assert max(len(e.path) for e in ONE_OPTION_PATHS[version]) <= longest


def _values(step: engine.Step) -> tuple[str, ...]:
    if step.question.is_text:
        return ()
    return step.value if isinstance(step.value, tuple) else (step.value,)
