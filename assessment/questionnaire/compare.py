"""What changed between two questionnaire versions, in words: questions, options, routes,
outcomes and clause citations added, removed or changed.

Pure Python (no Django): `manage.py questionnaire --diff` prints it and the reviewers'
comparison page shows it, from the same `Comparison`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from assessment.questionnaire.schema import Outcome, Question, Questionnaire

END = "the end"
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One difference, as a sentence. `kind` is added, removed or changed (for styling)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Section:
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Comparison:
    old: str
    new: str
    sections: tuple[Section, ...]

    @property
    def is_empty(self) -> bool:
        return not any(section.changes for section in self.sections)

    def as_text(self) -> str:
        lines = [f"Changes from {self.old} to {self.new}"]
        for section in self.sections:
            lines.append("")
            lines.append(f"{section.title}:")
            if not section.changes:
                lines.append("  (no change)")
            lines.extend(f"  - {change.text}" for change in section.changes)
        return "\n".join(lines)


def compare(old: Questionnaire, new: Questionnaire) -> Comparison:
    return Comparison(
        old=old.version,
        new=new.version,
        sections=(
            Section("Questions", tuple(_questions(old, new))),
            Section("Options", tuple(_options(old, new))),
            Section("Routes", tuple(_routes(old, new))),
            Section("Outcomes", tuple(_outcomes(old, new))),
            Section("Clause citations", tuple(_citations(old, new))),
        ),
    )


def _kept(old: Mapping[str, T], new: Mapping[str, T]) -> Iterator[tuple[str, T, T]]:
    """(id, before, now) for each id both versions have, in the new version's order."""
    for key, now in new.items():
        if key in old:
            yield key, old[key], now


def _q(question: Question) -> str:
    return f"“{question.text}” ({question.id})"


def _questions(old: Questionnaire, new: Questionnaire) -> list[Change]:
    changes = []
    if old.first != new.first:
        changes.append(
            Change("changed", f"The first question is now {_q(new.questions[new.first])}.")
        )
    for qid, question in new.questions.items():
        before = old.questions.get(qid)
        if before is None:
            changes.append(Change("added", f"Added question {_q(question)}."))
            continue
        if before.text != question.text:
            changes.append(
                Change(
                    "changed", f"Question {qid} now reads “{question.text}” (was “{before.text}”)."
                )
            )
        if before.kind != question.kind:
            changes.append(
                Change(
                    "changed",
                    f"Question {qid} is now answered as {_KIND_WORDS[question.kind]} "
                    f"(was {_KIND_WORDS[before.kind]}).",
                )
            )
        if before.hint != question.hint:
            changes.append(Change("changed", f"Question {qid} has a new hint."))
    for qid, question in old.questions.items():
        if qid not in new.questions:
            changes.append(Change("removed", f"Removed question {_q(question)}."))
    return changes


_KIND_WORDS = {
    "single": "one choice",
    "multiple": "several choices",
    "yes_no": "yes / no / not sure",
    "facts": "yes / no / not sure for each statement",
    "text": "a short text",
    "long_text": "a long text",
}


def _options(old: Questionnaire, new: Questionnaire) -> list[Change]:
    changes = []
    for qid, before, question in _kept(old.questions, new.questions):
        for option in question.options:
            if not before.has_option(option.value):
                changes.append(
                    Change("added", f"Question {qid}: added the answer “{option.label}”.")
                )
                continue
            was = before.option(option.value)
            if was.label != option.label:
                changes.append(
                    Change(
                        "changed",
                        f"Question {qid}: the answer “{was.label}” now reads “{option.label}”.",
                    )
                )
            if was.exclusive != option.exclusive:
                alone = (
                    "must now be chosen on its own" if option.exclusive else "can now be combined"
                )
                changes.append(Change("changed", f"Question {qid}: “{option.label}” {alone}."))
        for option in before.options:
            if not question.has_option(option.value):
                changes.append(
                    Change("removed", f"Question {qid}: removed the answer “{option.label}”.")
                )
    return changes


def _target(question: Question, value: str) -> str | None:
    return question.next_after((value,))


def _routes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    def named(target: str | None, where: Questionnaire) -> str:
        return _q(where.questions[target]) if target else END

    changes = []
    for qid, before, question in _kept(old.questions, new.questions):
        if question.is_text:
            if before.is_text and before.next != question.next:
                changes.append(
                    Change(
                        "changed",
                        f"After question {qid} the assessment now goes to "
                        f"{named(question.next, new)} (was {named(before.next, old)}).",
                    )
                )
            continue
        for option in question.options:
            if not before.has_option(option.value) or before.is_text:
                continue
            now, was = _target(question, option.value), _target(before, option.value)
            if now != was:
                changes.append(
                    Change(
                        "changed",
                        f"Question {qid}: after “{option.label}” the assessment now goes to "
                        f"{named(now, new)} (was {named(was, old)}).",
                    )
                )
    return changes


def _outcome_words(outcome: Outcome) -> str:
    return f"“{outcome.title}” ({outcome.kind}, {', '.join(outcome.clauses)})"


def _outcomes(old: Questionnaire, new: Questionnaire) -> list[Change]:
    changes = []
    for oid, outcome in new.outcomes.items():
        before = old.outcomes.get(oid)
        if before is None:
            changes.append(Change("added", f"Added outcome {oid}: {_outcome_words(outcome)}."))
            continue
        if before.kind != outcome.kind:
            changes.append(
                Change("changed", f"Outcome {oid} is now {outcome.kind} (was {before.kind}).")
            )
        if before.category != outcome.category:
            changes.append(
                Change(
                    "changed",
                    f"Outcome {oid} is now in category “{outcome.category}” "
                    f"(was “{before.category}”).",
                )
            )
        if (before.title, before.explanation, before.next_steps) != (
            outcome.title,
            outcome.explanation,
            outcome.next_steps,
        ):
            changes.append(Change("changed", f"Outcome {oid} has a new explanation."))
    for oid, outcome in old.outcomes.items():
        if oid not in new.outcomes:
            changes.append(Change("removed", f"Removed outcome {oid}: {_outcome_words(outcome)}."))
    # Which answers lead to which finding.
    for qid, asked, question in _kept(old.questions, new.questions):
        for option in question.options:
            if not asked.has_option(option.value):
                continue
            was = asked.option(option.value).outcome
            if was != option.outcome:
                changes.append(
                    Change(
                        "changed",
                        f"Question {qid}: “{option.label}” now leads to "
                        f"{option.outcome or 'no finding'} (was {was or 'no finding'}).",
                    )
                )
    return changes


def _citations(old: Questionnaire, new: Questionnaire) -> list[Change]:
    changes = []
    for oid, before, outcome in _kept(old.outcomes, new.outcomes):
        added = [c for c in outcome.clauses if c not in before.clauses]
        removed = [c for c in before.clauses if c not in outcome.clauses]
        if added:
            changes.append(Change("added", f"Outcome {oid} now cites {', '.join(added)}."))
        if removed:
            changes.append(
                Change("removed", f"Outcome {oid} no longer cites {', '.join(removed)}.")
            )
    for cid, text in new.clauses.items():
        if cid not in old.clauses:
            changes.append(Change("added", f"Added clause {cid}: {text}"))
        elif old.clauses[cid] != text:
            changes.append(Change("changed", f"Clause {cid} is now paraphrased: {text}"))
    for cid in old.clauses:
        if cid not in new.clauses:
            changes.append(Change("removed", f"Removed clause {cid}."))
    return changes
