"""Fixtures for the engine tests. Pure Python: no Django, no database."""

from __future__ import annotations

from typing import Any

import pytest

from assessment import engine
from assessment.questionnaire import Questionnaire, load


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    # The v1 tests (test_answer, test_cases, test_paths, test_properties, test_result) pin v1:
    # it stays loadable for every record answered under it. v2 has its own test_v2_* modules.
    return load("v1")


@pytest.fixture(scope="session")
def all_paths(questionnaire: Questionnaire) -> list[engine.Evaluation]:
    # Enumerated once for the session: every test over "all paths" shares this list.
    return list(engine.enumerate_paths(questionnaire))


def model_answers(
    *,
    training: str = "yes",
    model_for: str = "own",
    output: str = "labels",
    kinds: tuple[str, ...] = (),
    role: tuple[str, ...] = ("labels",),
    scope: str | None = None,
    agreement: str = "no",
    reference: str | None = None,
) -> dict[str, Any]:
    """v1 answers for an assessment in which Claude's outputs train a model."""
    answers: dict[str, Any] = {
        "training_use": training,
        "describe_model": "A model, described by the respondent.",
        "model_for": model_for,
    }
    if model_for in ("own", "client", "not_sure"):
        answers["model_output"] = output
        if output == "labels":
            answers["analysis_kinds"] = list(kinds)
            answers["outputs_role"] = list(role)
        elif output == "text":
            answers["generation_kinds"] = list(kinds)
            if scope:
                answers["summary_scope"] = scope
    answers["agreement"] = agreement
    if reference is not None:
        answers["agreement_ref"] = reference
    return answers


def integration_answers(*uses: str, description: str | None = None) -> dict[str, Any]:
    """Answers for an assessment in which no model is trained on Claude's outputs."""
    answers: dict[str, Any] = {"training_use": "no", "integration_use": list(uses)}
    if description is not None:
        answers["other_use_description"] = description
    return answers
