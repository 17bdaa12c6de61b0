"""A form built from one engine `Question`: the field is always called `answer`.

The engine is the only judge of an answer (`engine.normalize`), so the messages a respondent
sees are the engine's, and a value the form accepts is one the engine will store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from assessment import engine
from assessment.questionnaire import Question

FIELD = "answer"


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


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


class QuestionForm(forms.Form):
    """Radios (single, yes_no), checkboxes (multiple), an input (text) or a textarea (long_text)."""

    def __init__(
        self, question: Question, *, data: Any = None, stored: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(data=data, **kwargs)
        self.question = question
        self.stored = stored
        # One plain field whatever the kind: the template draws the controls, and the engine
        # (in clean_answer) says whether an answer is required, valid and short enough. No
        # maxlength either: the browser would cut a paste short without telling anyone.
        self.fields[FIELD] = forms.Field(required=False)

    def clean_answer(self) -> Any:
        if self.question.kind == "multiple":
            # Read the raw list so an unknown value gets the engine's message, not Django's.
            raw: Any = self.data.getlist(FIELD) if hasattr(self.data, "getlist") else []
        else:
            raw = self.data.get(FIELD)
        try:
            return engine.normalize(self.question, raw)
        except engine.AnswerError as error:
            raise forms.ValidationError(_message(error)) from None

    @property
    def has_forged_choice(self) -> bool:
        """A value no control on the page could have sent: a forged or stale request."""
        if not self.is_bound or not self.question.is_choice:
            return False
        return any(not self.question.has_option(value) for value in self.current if value)

    # -- what the template draws --------------------------------------------------------------

    @property
    def input_id(self) -> str:
        """The id the error summary links to: the first radio or checkbox, or the input."""
        return f"id_{FIELD}_0" if self.question.is_choice else f"id_{FIELD}"

    @property
    def current(self) -> list[str]:
        """What the respondent sent (on an error) or what is stored (on a first view)."""
        if self.is_bound:
            return self.data.getlist(FIELD) if hasattr(self.data, "getlist") else []
        return _as_list(self.stored)

    @property
    def text_value(self) -> str:
        current = self.current
        return current[0] if current else ""

    def choices(self) -> list[Choice]:
        chosen = set(self.current)
        return [
            Choice(
                id=f"id_{FIELD}_{index}",
                value=option.value,
                label=option.label,
                hint=option.hint,
                examples=option.examples,
                checked=option.value in chosen,
                exclusive=option.exclusive,
            )
            for index, option in enumerate(self.question.options)
        ]


def _message(error: Exception) -> str:
    return str(getattr(error, "message", "") or error)
