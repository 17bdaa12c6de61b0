"""The reviewer's version pages: which two versions to compare, and which affected records
the impact page lists (the same form parses the filters sent back with its actions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.urls import reverse_lazy

from assessment import reassessment
from assessment.forms.layout import inline


def _versions(field: forms.Field, versions: Sequence[str], *, empty: str = "") -> None:
    choices = [(version, version) for version in versions]
    cast(forms.ChoiceField, field).choices = [("", empty), *choices] if empty else choices


class CompareForm(forms.Form):
    old = forms.ChoiceField(label="Older version")
    new = forms.ChoiceField(label="Newer version")

    def __init__(self, *args: Any, versions: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _versions(self.fields["old"], versions)
        _versions(self.fields["new"], versions)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("review:version_compare")
        self.helper.form_class = "row g-3 align-items-end mb-4"
        self.helper.layout = Layout(*inline("old", "new", button="Compare"))


class ImpactFilterForm(forms.Form):
    """`show` and `from` (a Python keyword, hence declared in __init__); an unknown value of
    either means no filter, as a link typed by hand should still show the page."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("all", "Every affected record"),
            (reassessment.CHANGED, "Would get another outcome"),
            (reassessment.NEEDS_REANSWER, "Need re-answer"),
        ],
    )

    def __init__(self, *args: Any, versions: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.ChoiceField(label="Answered under", required=False)
        _versions(self.fields["from"], versions, empty="Any older version")
        # The page's <form> names the version in its URL, and holds the CSV link.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(*inline("show", "from", button="Apply filters"))

    def filters(self) -> tuple[str, str | None]:
        """(show, from_version), each valid value kept and any other one dropped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("show") or "all", data.get("from") or None
