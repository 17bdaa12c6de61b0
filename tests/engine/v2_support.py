"""Shared facts about questionnaire v2 for its tests: which answers mean what.

Kept beside the tests, not read from the data file, so a change to v2.toml that moved an option
out of these groups would have to change the tests too.
"""

from __future__ import annotations

from typing import Any

from assessment.questionnaire import Questionnaire, load

V2 = load("v2")
# The versions that ask every fact v2 asks, judged by the same rules (v3 asks more: v3.toml).
VERSIONS = ("v2", "v3", "v4")

# Capabilities whose model writes free text (summaries included).
TEXT_WRITING = frozenset(
    {
        "summarization",
        "translation",
        "code",
        "support_chatbot",
        "narrow_writer",
        "chatbot",
        "open_text",
        "imitate_claude",
    }
)
# The one position v2 takes for C3 vs C7c: a narrow summarization tool is C3's permitted reading,
# as long as Claude's text is not what it learns to write (then a reviewer decides).
NARROW_SUMMARY = "summarization"


def said_not_sure(answers: dict[str, Any]) -> bool:
    """A "Not sure" anywhere: an option, or a statement of a facts question ("s:not_sure")."""
    return any(
        value == "not_sure"
        or (isinstance(value, list) and any(v.split(":")[-1] == "not_sure" for v in value))
        for value in answers.values()
    )


def chosen(answers: dict[str, Any], question_id: str) -> set[str]:
    value = answers.get(question_id)
    if value is None:
        return set()
    return set(value) if isinstance(value, list) else {value}


def plan(
    *,
    does: tuple[str, ...],
    outputs: tuple[str, ...] = ("labels",),
    serves: tuple[str, ...] = ("own_product",),
    receives: tuple[str, ...] = ("nobody",),
    scope: str | None = None,
    agreement: str = "no",
    reference: str | None = None,
    training: str = "yes",
) -> dict[str, Any]:
    """v2 answers for an assessment in which Claude's outputs train or develop a model."""
    answers: dict[str, Any] = {
        "training_use": training,
        "describe_model": "A model, described by the respondent.",
        "capabilities": list(does),
    }
    if scope is not None:
        answers["summary_scope"] = scope
    answers.update(
        {
            "outputs_role": list(outputs),
            "serves": list(serves),
            "recipients": list(receives),
            "agreement": agreement,
        }
    )
    if reference is not None:
        answers["agreement_ref"] = reference
    return answers


# v4 asks the facts that decide an outcome directly, each statement answered on its own
# (model_facts on the training path, use_facts on the other); "No" to every statement answers
# them for a plan whose other answers already say everything.
FACT_QUESTIONS = ("model_facts", "use_facts")


def all_no(questionnaire: Questionnaire, question_id: str) -> list[str]:
    """The answer "No" to every statement of the facts question `question_id`."""
    return [f"{s.value}:no" for s in questionnaire.questions[question_id].statements]


def closed(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """`answers` with the facts questions of `questionnaire` answered "No" to every statement,
    where it has them and they are not answered yet. An answer off the walked path is ignored."""
    extra = {
        qid: all_no(questionnaire, qid)
        for qid in FACT_QUESTIONS
        if qid in questionnaire.questions and qid not in answers
    }
    return {**answers, **extra}
