"""The queue's filters: the one parser of the query string that /review/, its exports (CSV, JSON,
ZIP), the record page's previous/next links and the API's queue share.

A plain Django form rather than django-filter: the filters are not field lookups on one model
(a category is a token inside `outcome_ids`, "mine" needs the user, a re-review is an
`Exists` over events, the search reads a folded column, the sort has a computed priority), so
django-filter would hold only the choice lists while the selectors kept the querying; the form
already renders the fields, reports errors per field, and hands the selectors a typed, frozen
`QueueFilters`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.urls import reverse_lazy

from assessment.forms.layout import submit
from assessment.forms.review_actions import ReviewerChoiceField
from assessment.models import OUTCOME_CHOICES, Status
from assessment.questionnaire import available_versions
from assessment.references import REFERENCE_PATTERN
from assessment.selectors.queue import (
    DEFAULT_SORT,
    SEARCH_MAX_LENGTH,
    SORTS,
    QueueFilters,
    category_choices,
)
from assessment.services.review import NOTE_MAX_LENGTH

ANY = [("", "Any")]
# Only the documented format: a browser's date picker sends it, and so does the API's client.
DATE_FORMATS = ["%Y-%m-%d"]
DATE_ERROR = "Enter a date as YYYY-MM-DD, such as 2026-01-31"


def _choice(label: str, what: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        error_messages={"invalid_choice": f"Choose {what} from the list"},
        **kwargs,
    )


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateInput(forms.DateInput):
    """An `<input type=date>`, whose value HTML allows only as a real YYYY-MM-DD date: a
    malformed one is not echoed back (invalid markup, and the browser would show it blank
    anyway); the field's error says what is wrong."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                valid = bool(_ISO_DATE.fullmatch(value)) and bool(date.fromisoformat(value))
            except ValueError:
                valid = False
            return value if valid else None
        return super().format_value(value)


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=IsoDateInput,
        error_messages={"invalid": DATE_ERROR},
    )


def _flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


# The filters drawn in equal columns after the search (the sort and the flags get their own).
CHOICE_FILTERS = ("status", "outcome", "category", "submitted_from", "submitted_to", "version")


class QueueFilterForm(forms.Form):
    """Bound to a query string (an empty one is valid: no filters). A malformed field is
    reported in `errors` and left out of `filters()`; the other filters still apply."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Reference, name, email, organisation, project, and the answers' text "
        "(accents and capitals do not matter).",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": f"Search for {SEARCH_MAX_LENGTH} characters or fewer"},
    )
    status = _choice("Status", "a status", choices=ANY + list(Status.choices))
    outcome = _choice("Automatic outcome", "an outcome", choices=ANY + OUTCOME_CHOICES)
    category = _choice("Category", "a category")
    submitted_from = _date("Submitted from")
    submitted_to = _date("Submitted to")
    version = _choice("Questionnaire version", "a version")
    mine = _flag("Assigned to me")
    rereview = _flag("Re-review opened (new questionnaire version)")
    overdue = _flag("Overdue only")
    sort = _choice(
        "Sort by", "an order", choices=[(key, label) for key, (label, _) in SORTS.items()]
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        # Always bound: no query string means no filters, which is valid.
        super().__init__(data if data is not None else {}, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = ANY + list(category_choices())
        versions = [(v, v) for v in available_versions()]
        cast(forms.ChoiceField, self.fields["version"]).choices = ANY + versions
        days = settings.ASSESSMENT_REVIEW_SLA_DAYS
        self.fields["overdue"].label = f"Overdue only (open more than {days} days)"

    @cached_property
    def helper(self) -> FormHelper:
        """How the queue page lays the form out: built when the page draws it, not by the
        exports, the API and the record page, which only parse the filters."""
        helper = FormHelper()
        helper.form_method = "get"
        helper.form_action = reverse_lazy("review:queue")
        helper.form_class = "queue-filters mb-4"
        helper.attrs = {"role": "search", "aria-label": "Filter the queue"}
        helper.layout = Layout(
            Row(
                Column("q", css_class="col-12 col-lg-6"),
                *(Column(name, css_class="col-6 col-md-4 col-lg-3") for name in CHOICE_FILTERS),
                # The sort order's labels are long: a wider column, so the chosen one shows.
                Column("sort", css_class="col-12 col-md-6 col-lg-4"),
                Column("mine", "rereview", "overdue", css_class="col-12 col-md-6 col-lg-5"),
                css_class="gx-3",
            ),
            Div(
                submit("Apply filters"),
                # `filtered` is the page's: a link back to the whole queue once anything applies.
                HTML(
                    '{% if filtered %}<a class="btn btn-link" '
                    "href=\"{% url 'review:queue' %}\">Clear filters</a>{% endif %}"
                ),
            ),
        )
        return helper

    def filters(self) -> QueueFilters:
        """The valid filters; a field with an error is left out (as if not given)."""
        self.is_valid()  # runs the validation once; cleaned_data then holds the valid fields
        data = self.cleaned_data
        return QueueFilters(
            status=data.get("status") or "",
            outcome=data.get("outcome") or "",
            category=data.get("category") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            version=data.get("version") or "",
            mine=bool(data.get("mine")),
            rereview=bool(data.get("rereview")),
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def problems(self) -> dict[str, list[str]]:
        """Field name -> its problems, in the words the page shows (the API's 400 body)."""
        return {
            name: [error["message"] for error in errors]
            for name, errors in self.errors.get_json_data().items()
        }


def queue_filters(data: Mapping[str, Any]) -> QueueFilters:
    """The valid filters of a query string, for callers that show no form (exports)."""
    return QueueFilterForm(data).filters()


# A selected record as the queue showed it: its reference and the revision the page saw, so
# an assignment is refused for a record someone changed since (as on the record page).
SELECTED = re.compile(
    rf"^(?P<reference>{REFERENCE_PATTERN.strip('^$')}):(?P<revision>[0-9]{{1,9}})$"
)


class SelectedRecordsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[tuple[str, int]]:
        selected = []
        for item in value or []:
            match = SELECTED.match(str(item))
            if match is None:
                raise forms.ValidationError("The selection was not understood: select again")
            selected.append((match["reference"], int(match["revision"])))
        return list(dict.fromkeys(selected))

    def validate(self, value: Any) -> None:
        if not value:
            raise forms.ValidationError("Select at least one record to assign")
        if len(value) > BULK_MAX:
            raise forms.ValidationError(f"Assign at most {BULK_MAX} records at once")


BULK_MAX = 200


class BulkAssignForm(forms.Form):
    """Assign the records ticked on the queue to one reviewer (see services.review.assign_many).

    Its `<form>` wraps the queue's table, whose rows hold the `records` checkboxes: the helper
    draws only the fieldset below the table."""

    records = SelectedRecordsField()
    assignee = ReviewerChoiceField(
        label="Assign to",
        empty_label="Choose a reviewer",
        error_messages={
            "required": "Choose the reviewer to assign",
            "invalid_choice": "Choose a reviewer from the list",
        },
    )
    note = forms.CharField(
        label="Note for the assignee (required to reassign)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Assign the selected records",
                Row(
                    Column("assignee", css_class="col-12 col-md-4"),
                    Column("note", css_class="col-12 col-md-5"),
                    Column(submit("Assign selected"), css_class="col-12 col-md-3 mb-3"),
                    css_class="gx-3 align-items-end",
                ),
                css_class="bulk-assign border p-3 mb-4",
            )
        )


class SaveFilterForm(forms.Form):
    name = forms.CharField(
        label="Name for these filters",
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter a name for these filters",
            "max_length": "Use a name of 80 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        # The page's `<form>` carries the filters being saved in its action's query string.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("name", css_class="col-12 col-sm-8 col-md-5"),
                Column(submit("Save these filters", secondary=True), css_class="col-auto mb-3"),
                css_class="g-2 align-items-end",
            )
        )
