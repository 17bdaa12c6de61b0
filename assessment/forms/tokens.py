"""Creating an API token on the account page."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone

from assessment.models import ApiToken, TokenScope
from assessment.services.tokens import scopes_for


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What uses it, for example “training CI for ticket-sentiment”.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="Scope",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a scope", "invalid_choice": "Choose a scope"},
    )
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        help_text="It stops working at the start of this day (UTC). Leave empty for no expiry.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the expiry as a date, like 2027-01-31"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(TokenScope.choices)
        scope = cast(forms.ChoiceField, self.fields["scope"])
        scope.choices = [(s, labels[s]) for s in scopes_for(user)]
        scope.initial = TokenScope.READ_OWN

    def clean_expires_on(self) -> date | None:
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.now().date():
            raise forms.ValidationError("The expiry date must be after today")
        return day

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(day, time.min)) if day else None
