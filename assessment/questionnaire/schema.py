"""The questionnaire as immutable Python objects.

These are plain values: the loader builds them once per version from the TOML file, the engine
only reads them. Nothing here knows about Django, so the engine can be enumerated and tested in
milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

QUESTION_KINDS = ("single", "multiple", "yes_no", "facts", "text", "long_text")
CHOICE_KINDS = frozenset({"single", "multiple", "yes_no", "facts"})
# Kinds whose answer is a list of option values (the others: one value, or the typed text).
LIST_KINDS = frozenset({"multiple", "facts"})
TEXT_KINDS = frozenset({"text", "long_text"})
OUTCOME_KINDS = ("permitted", "review", "prohibited")  # severity order, worst last

# A yes/no question always offers these three answers, so "not sure" is never missing.
YES_NO_LABELS: Mapping[str, str] = MappingProxyType(
    {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
)
NOT_SURE = "not_sure"
# A `facts` question's option for statement `s` answered `a` has the value "s:a" (a in
# YES_NO_LABELS): the stored answer names what each statement was answered, on its own.
FACT_SEPARATOR = ":"
DEFAULT_MAX_LENGTH: Mapping[str, int] = MappingProxyType({"text": 200, "long_text": 2000})


class QuestionnaireError(Exception):
    """A questionnaire file is missing, unreadable or invalid; `problems` lists each problem."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        self.problems = problems or (message,)
        details = "".join(f"\n  - {problem}" for problem in problems)
        super().__init__(message + details)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str
    examples: tuple[str, ...]
    next: str | None
    outcome: str | None
    exclusive: bool


@dataclass(frozen=True)
class Statement:
    """One statement of a `facts` question, which the respondent answers yes, no or not sure.

    The engine sees its three answers as ordinary options of the question (`options`, values
    "statement:yes" and so on), so findings, labels and storage work as for any choice."""

    value: str
    label: str
    hint: str
    examples: tuple[str, ...]
    options: tuple[Option, ...]  # Yes, No, Not sure, in that order


@dataclass(frozen=True)
class Route:
    """On a `multiple` question: if any of `when_any` is chosen, go to `next` (first match wins)."""

    when_any: frozenset[str]
    next: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    hint: str
    examples: tuple[str, ...]
    options: tuple[Option, ...]
    next: str | None
    max_length: int | None
    required: bool
    section: str
    routes: tuple[Route, ...] = ()
    # Questions of older versions whose chosen options carry over to this one (same values), when
    # a respondent starts again from an older record's answers.
    carry_from: tuple[str, ...] = ()
    # A `facts` question's statements; its `options` are their answers, statement by statement.
    statements: tuple[Statement, ...] = ()
    # Precomputed lookup; excluded from eq/hash because it is derived from `options`.
    _by_value: Mapping[str, Option] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_by_value", MappingProxyType({option.value: option for option in self.options})
        )

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def takes_list(self) -> bool:
        """The answer is a list of option values (several choices, or one per statement)."""
        return self.kind in LIST_KINDS

    def has_option(self, value: str) -> bool:
        return value in self._by_value

    def option(self, value: str) -> Option:
        """The option with this value; KeyError if the question has none."""
        return self._by_value[value]

    def next_after(self, values: tuple[str, ...]) -> str | None:
        """Where the assessment goes after these chosen values (None: it ends)."""
        if self.kind == "multiple":
            for route in self.routes:
                if not route.when_any.isdisjoint(values):
                    return route.next
            return self.next
        if self.kind == "facts":
            return self.next
        if self.is_choice:
            return self._by_value[values[0]].next or self.next
        return self.next


@dataclass(frozen=True)
class Outcome:
    id: str
    kind: str
    category: str
    clauses: tuple[str, ...]
    title: str
    explanation: str
    next_steps: tuple[str, ...]

    @property
    def severity(self) -> int:
        return OUTCOME_KINDS.index(self.kind)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    first: str
    questions: Mapping[str, Question]  # in file order
    outcomes: Mapping[str, Outcome]
    clauses: Mapping[str, str]  # clause id -> one-sentence paraphrase, for display
