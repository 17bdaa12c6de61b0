"""The respondent's details: who is asking, and about which project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from assessment.models import Draft


def _cap(field: str) -> int:
    # The model's column sizes are the caps, so the form can never accept more than is stored.
    column = Draft._meta.get_field(field)
    assert isinstance(column, models.Field) and column.max_length, field
    return column.max_length


class DetailsForm(forms.Form):
    respondent_name = forms.CharField(
        label="Your full name",
        max_length=_cap("respondent_name"),
        error_messages={"required": "Enter your full name"},
    )
    respondent_email = forms.EmailField(
        label="Email address",
        max_length=_cap("respondent_email"),
        help_text="We use this only if a reviewer needs to contact you about this assessment.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    organisation = forms.CharField(
        label="Organisation or team (optional)",
        max_length=_cap("organisation"),
        required=False,
    )
    project_name = forms.CharField(
        label="Name of the project or model",
        max_length=_cap("project_name"),
        help_text="For example, “Ticket sentiment classifier”.",
        error_messages={"required": "Enter the name of the project or model"},
    )
    project_description = forms.CharField(
        label="Short description (optional)",
        max_length=_cap("project_description"),
        required=False,
        help_text="What the model is for, in a sentence or two.",
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            assert isinstance(field, forms.CharField)
            # Django's default reads "Ensure this value has at most…"; say it plainly. The
            # validator's code is "max_length", so the field's message replaces it.
            name = str(field.label).removesuffix(" (optional)")
            field.error_messages["max_length"] = (
                f"{name} must be {field.max_length} characters or fewer"
            )
