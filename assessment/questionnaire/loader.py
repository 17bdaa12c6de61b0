"""Reads `vN.toml` files into immutable `Questionnaire` objects, validating them first."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assessment.questionnaire.schema import (
    DEFAULT_MAX_LENGTH,
    FACT_SEPARATOR,
    YES_NO_LABELS,
    Option,
    Outcome,
    Question,
    Questionnaire,
    QuestionnaireError,
    Route,
    Statement,
)
from assessment.questionnaire.validation import validate

CURRENT_VERSION: str = "v4"
DATA_DIR = Path(__file__).resolve().parent
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.toml$")


def available_versions() -> tuple[str, ...]:
    """Every questionnaire version shipped, oldest first (v2 before v10)."""
    found = (_VERSION_FILE.match(path.name) for path in DATA_DIR.glob("v*.toml"))
    return tuple(f"v{n}" for n in sorted(int(m.group(1)) for m in found if m))


def path_for(version: str) -> Path:
    return DATA_DIR / f"{version}.toml"


def read_raw(version: str) -> tuple[dict[str, Any], str]:
    """The parsed TOML of `version` and the file name used in problem messages."""
    if version not in available_versions():
        known = ", ".join(available_versions()) or "none"
        raise QuestionnaireError(f"Unknown questionnaire version {version!r} (known: {known})")
    path = path_for(version)
    source = f"assessment/questionnaire/{path.name}"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), source
    except tomllib.TOMLDecodeError as error:
        raise QuestionnaireError(f"{source}: not valid TOML: {error}") from error


@cache
def load(version: str = CURRENT_VERSION) -> Questionnaire:
    """The questionnaire `version`, validated; built once per process."""
    raw, source = read_raw(version)
    problems = validate(raw, source)
    if problems:
        raise QuestionnaireError(f"{source} is invalid", tuple(problems))
    if raw["version"] != version:
        raise QuestionnaireError(f"{source}: declares version {raw['version']!r}, not {version!r}")
    return build(raw)


def clause_paraphrases(version: str) -> dict[str, str]:
    """Clause id -> paraphrase for `version`; empty for a version no longer shipped, whose
    records still show their clause ids (they are in the hashed payload) without the words."""
    try:
        return dict(load(version).clauses)
    except QuestionnaireError:
        return {}


def build(raw: dict[str, Any]) -> Questionnaire:
    """Immutable objects from data that `validate` accepted."""
    return Questionnaire(
        version=raw["version"],
        title=raw["title"],
        first=raw["first"],
        questions=MappingProxyType({q["id"]: _question(q) for q in raw["questions"]}),
        outcomes=MappingProxyType(
            {oid: _outcome(oid, data) for oid, data in raw["outcomes"].items()}
        ),
        clauses=MappingProxyType(dict(raw["clauses"])),
    )


def _question(data: dict[str, Any]) -> Question:
    kind = data["kind"]
    statements: tuple[Statement, ...] = ()
    if kind == "facts":
        statements = tuple(_statement(s, data["not_sure_outcome"]) for s in data["options"])
        options = tuple(option for statement in statements for option in statement.options)
    else:
        options = tuple(_option(kind, o) for o in data.get("options", []))
    if kind == "yes_no":
        # Always shown in the same order, whatever order the file lists them in.
        order = list(YES_NO_LABELS)
        options = tuple(sorted(options, key=lambda o: order.index(o.value)))
    return Question(
        id=data["id"],
        kind=kind,
        text=data["text"].strip(),
        hint=data["hint"].strip(),
        examples=tuple(data.get("examples", ())),
        options=options,
        next=data.get("next") or None,
        max_length=data.get("max_length", DEFAULT_MAX_LENGTH.get(kind)),
        required=data.get("required", True),
        section=data["section"],
        routes=tuple(
            Route(when_any=frozenset(r["when_any"]), next=r["next"]) for r in data.get("routes", ())
        ),
        carry_from=tuple(data.get("carry_from", ())),
        statements=statements,
    )


def _statement(data: dict[str, Any], not_sure_outcome: str) -> Statement:
    """A statement of a `facts` question, with its three answers as options: "Yes" adds the
    statement's finding, "Not sure" the question's `not_sure_outcome`, "No" nothing."""
    label = data["label"].strip()
    outcomes = {"yes": data["outcome"], "no": None, "not_sure": not_sure_outcome}
    return Statement(
        value=data["value"],
        label=label,
        hint=data.get("hint", "").strip(),
        examples=tuple(data.get("examples", ())),
        options=tuple(
            Option(
                value=f"{data['value']}{FACT_SEPARATOR}{answer}",
                label=f"{label}: {word}",
                hint="",
                examples=(),
                next=None,
                outcome=outcomes[answer],
                exclusive=False,
            )
            for answer, word in YES_NO_LABELS.items()
        ),
    )


def _option(kind: str, data: dict[str, Any]) -> Option:
    value = data["value"]
    return Option(
        value=value,
        label=YES_NO_LABELS[value] if kind == "yes_no" else data["label"],
        hint=data.get("hint", "").strip(),
        examples=tuple(data.get("examples", ())),
        next=data.get("next") or None,
        outcome=data.get("outcome") or None,
        exclusive=bool(data.get("exclusive", False)),
    )


def _outcome(oid: str, data: dict[str, Any]) -> Outcome:
    return Outcome(
        id=oid,
        kind=data["kind"],
        category=data["category"],
        clauses=tuple(data["clauses"]),
        title=data["title"].strip(),
        explanation=" ".join(data["explanation"].split()),
        next_steps=tuple(data["next_steps"]),
    )
