"""One small form per reviewer action on a record (the registry in views/review/actions.py
pairs each with its title, button, message and service call).

Each carries the record's `revision` as the reviewer saw it, so the service can refuse the
action when someone else acted in between. Every note says explicitly who can read it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from assessment.models import ENDING_CHOICES, Audience, Record
from assessment.roles import APPROVERS_GROUP, REVIEWERS_GROUP
from assessment.services.review import NOTE_MAX_LENGTH

VERDICT_CHOICES = [("permitted", "Permitted"), ("prohibited", "Prohibited")]


def _note(
    label: str, *, required: bool = False, help_text: str = "", rows: int = 2, missing: str = ""
) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing or f"Enter {label[0].lower()}{label[1:]}".rstrip(".")},
    )


CHOOSE_AUDIENCE = "Choose who can read the note: reviewers only, or the respondent too"


def _audience(*, required: bool = False) -> Any:
    return forms.ChoiceField(
        label="Who can read the note",
        required=required,
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_AUDIENCE},
    )


def active_reviewers() -> QuerySet[Any]:
    """The people a case may be assigned to: active reviewers, approvers and superusers (the
    service checks it again)."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[REVIEWERS_GROUP, APPROVERS_GROUP]) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    """A choice of reviewer, by username."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=active_reviewers(), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class ActionForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, record: Record, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A note's readers are chosen explicitly: no default that could leak an internal note.
        for text in ("note", "justification", "reason"):
            written = (data.get(text) or "").strip()
            if "audience" in self.fields and written and not data.get("audience"):
                self.add_error("audience", CHOOSE_AUDIENCE)
        return data


class TakeOverForm(ActionForm):
    note = _note("Note for the assignee (optional)", help_text="They are told you took over.")


class AssignForm(ActionForm):
    assignee = ReviewerChoiceField(
        label="Assign to",
        widget=forms.Select,
        error_messages={"required": "Choose the reviewer to assign"},
    )
    note = _note(
        "Note for the assignee (required to reassign)", help_text="Internal: reviewers only."
    )


class UnassignForm(ActionForm):
    note = _note("Note (optional)", help_text="Internal: reviewers only.")


class ConfirmForm(ActionForm):
    note = _note("Note (optional)")
    audience = _audience()


def _verdict(label: str, *, missing: str, help_text: str = "") -> Any:
    """Permitted or prohibited, as radios: what a decision or an override settles on."""
    return forms.ChoiceField(
        label=label,
        choices=VERDICT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": missing},
        help_text=help_text,
    )


class DecideForm(ActionForm):
    outcome = _verdict(
        "Decision",
        missing="Choose the decision: permitted or prohibited",
        help_text="A decision of permitted takes effect when a second reviewer approves it.",
    )
    note = _note("Note (optional)")
    audience = _audience()


class OverrideForm(ActionForm):
    outcome = _verdict("New outcome", missing="Choose the new outcome")
    justification = _note(
        "Justification",
        required=True,
        rows=3,
        help_text="Why the current result is wrong for this use. A second reviewer approves "
        "the override before it takes effect.",
        missing="Enter a justification for the override",
    )
    audience = _audience()


class ApproveForm(ActionForm):
    note = _note("Note (optional)")
    audience = _audience()


class RejectForm(ActionForm):
    note = _note(
        "Note for the proposer",
        required=True,
        help_text="Why you send the decision back. Internal: reviewers only.",
    )


class RequestInformationForm(ActionForm):
    message = _note(
        "What do you need to know?",
        required=True,
        rows=3,
        help_text="A message to the respondent: they see it on their private link and can "
        "reply there.",
        missing="Enter the information you need from the respondent",
    )


class NoteForm(ActionForm):
    note = _note("Note", required=True, rows=3)
    audience = _audience(required=True)


class CloseForm(ActionForm):
    ending = forms.ChoiceField(
        label="How the case ends",
        required=False,
        choices=ENDING_CHOICES,
        widget=forms.RadioSelect,
        help_text="No decision is in effect, so the case needs a named ending.",
    )
    reason = _note("Reason for closing", required=True)
    audience = _audience()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.record.decided_outcome is not None:
            del self.fields["ending"]  # the case closes with the decision in effect
        else:
            self.fields["ending"].required = True
            self.fields["ending"].error_messages["required"] = (
                "Choose how the case ends: withdrawn by the respondent, or not assessable"
            )
