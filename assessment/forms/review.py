"""Reviewers' forms: the queue's filters (GET) and one small form per action on a record.

Each action form carries the record's `revision` as the reviewer saw it, so the service can
refuse the action when someone else acted in between.
"""

from __future__ import annotations

from typing import cast

from django import forms

from assessment.models import OUTCOME_CHOICES, Status
from assessment.questionnaire import available_versions
from assessment.selectors.queue import SEARCH_MAX_LENGTH, SORTS, category_choices
from assessment.services.review import NOTE_MAX_LENGTH

ANY = [("", "Any")]


class QueueFilterForm(forms.Form):
    """Renders the filters and reports malformed ones; `selectors.filter_queue` applies them."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Reference, name, email, organisation, project name or description.",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    status = forms.ChoiceField(
        required=False,
        choices=ANY + list(Status.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    outcome = forms.ChoiceField(
        label="Automatic outcome",
        required=False,
        choices=ANY + OUTCOME_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = forms.ChoiceField(
        required=False, choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    submitted_from = forms.DateField(
        label="Submitted from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    submitted_to = forms.DateField(
        label="Submitted to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    version = forms.ChoiceField(
        label="Questionnaire version",
        required=False,
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mine = forms.BooleanField(
        label="Assigned to me",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    rereview = forms.BooleanField(
        label="Re-review opened (new questionnaire version)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = ANY + list(category_choices())
        versions = [(v, v) for v in available_versions()]
        cast(forms.ChoiceField, self.fields["version"]).choices = ANY + versions


class ActionForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class AssignForm(ActionForm):
    pass


class ConfirmForm(ActionForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class OverrideForm(ActionForm):
    outcome = forms.ChoiceField(
        label="New outcome",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose the new outcome"},
    )
    justification = forms.CharField(
        label="Justification",
        help_text="Why the automatic result is wrong for this use. Kept in the audit trail.",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Enter a justification for the override"},
    )


class RequestInformationForm(ActionForm):
    message = forms.CharField(
        label="What do you need to know?",
        help_text="The respondent sees this on their private link and can reply there.",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Enter the information you need from the respondent"},
    )


class CloseForm(ActionForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


# The action name posted with each form; also the form's prefix, so field ids are unique on
# the record page, which shows several of these forms at once.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "assign": AssignForm,
    "confirm": ConfirmForm,
    "override": OverrideForm,
    "request_information": RequestInformationForm,
    "close": CloseForm,
}
