"""What a question page draws for one engine `Question`: the field is always called `answer`.

The engine is the only judge of an answer (`engine.normalize`, called once per POST by
`services.drafts.answer_question`), so this form judges nothing: it shows the controls with
what was sent or stored, and the engine's message when it refused the answer. It is a Django
form only so the shared error summary (`includes/error_summary.html`) reads it like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.http import QueryDict

from assessment.questionnaire import Question
from assessment.questionnaire.schema import YES_NO_LABELS

FIELD = "answer"
# A `facts` question draws one group of radios per statement, each group named
# "answer-<statement>"; its values name the statement, so the answer is every value sent.
STATEMENT_FIELD_PREFIX = f"{FIELD}-"
STATEMENT_UNANSWERED = "Select yes, no or not sure"


@dataclass(frozen=True)
class Choice:
    """One radio or checkbox as the template draws it."""

    id: str
    value: str
    label: str
    hint: str
    examples: tuple[str, ...]
    checked: bool
    exclusive: bool


@dataclass(frozen=True)
class StatementChoices:
    """One statement of a `facts` question: its words, and its Yes, No and Not sure radios."""

    id: str
    name: str
    label: str
    hint: str
    examples: tuple[str, ...]
    choices: tuple[Choice, ...]
    error: str  # after a refusal, for a statement sent without an answer; else empty


def posted_answer(post: QueryDict) -> list[str]:
    """Every value the question page sent: its `answer` field, and each statement's radios."""
    return [
        value
        for name in post
        if name == FIELD or name.startswith(STATEMENT_FIELD_PREFIX)
        for value in post.getlist(name)
    ]


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


class QuestionForm(forms.Form):
    """Radios (single, yes_no), checkboxes (multiple), an input (text) or a textarea (long_text).

    `sent` is the stored answer, or what the respondent sent when `refusal` (the engine's
    message) says why it was refused.
    """

    def __init__(self, question: Question, *, sent: Any = None, refusal: str | None = None) -> None:
        self.question = question
        self.refusal = refusal
        self.current = _as_list(sent)
        data = None
        if refusal is not None:
            data = QueryDict(mutable=True)
            data.setlist(FIELD, self.current)
        super().__init__(data=data)
        self.fields[FIELD] = forms.Field(required=False)

    def clean_answer(self) -> Any:
        # Bound only to show a refusal: the engine's message, as the service recorded it.
        raise forms.ValidationError(self.refusal or "")

    @property
    def input_id(self) -> str:
        """The id the error summary links to: the first radio or checkbox (of the first
        statement still unanswered), or the input."""
        if self.question.kind == "facts":
            statements = self.statements()
            unanswered = [s for s in statements if s.error]
            return (unanswered or statements)[0].choices[0].id
        return _input_id(0) if self.question.is_choice else f"id_{FIELD}"

    @property
    def text_value(self) -> str:
        current = self.current
        return current[0] if current else ""

    def checked(self) -> list[tuple[str, str]]:
        """The input id and value of each ticked option, in the question's order: what the
        cached question page needs, without building every option's `Choice` (issue 15)."""
        chosen = set(self.current)
        return [
            (_input_id(index), option.value)
            for index, option in enumerate(self.question.options)
            if option.value in chosen
        ]

    def choices(self) -> list[Choice]:
        chosen = set(self.current)
        return [
            Choice(
                id=_input_id(index),
                value=option.value,
                label=option.label,
                hint=option.hint,
                examples=option.examples,
                checked=option.value in chosen,
                exclusive=option.exclusive,
            )
            for index, option in enumerate(self.question.options)
        ]

    def statements(self) -> list[StatementChoices]:
        """A `facts` question's statements, their radios numbered as `choices` numbers them."""
        choices = iter(self.choices())  # the statements' options, in order
        drawn = []
        for statement in self.question.statements:
            answers = tuple(
                replace(next(choices), label=word)
                for word in YES_NO_LABELS.values()  # one option per answer, in this order
            )
            drawn.append(
                StatementChoices(
                    id=f"statement-{statement.value}",
                    name=f"{STATEMENT_FIELD_PREFIX}{statement.value}",
                    label=statement.label,
                    hint=statement.hint,
                    examples=statement.examples,
                    choices=answers,
                    error=STATEMENT_UNANSWERED
                    if self.refusal is not None and not any(c.checked for c in answers)
                    else "",
                )
            )
        return drawn


def _input_id(index: int) -> str:
    return f"id_{FIELD}_{index}"
