"""Reviewers' forms: the queue's filters (GET). The action forms on a record are in
`forms/review_actions.py`."""

from __future__ import annotations

from typing import cast

from django import forms

from assessment.models import OUTCOME_CHOICES, Status
from assessment.questionnaire import available_versions
from assessment.selectors.queue import SEARCH_MAX_LENGTH, SORTS, category_choices

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
