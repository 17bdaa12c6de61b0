"""The second step of sign-in: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms

from assessment.services.second_factor import normalise


def _code(label: str, help_text: str, required: str, **attrs: str) -> forms.CharField:
    # `code-input` only: crispy adds Bootstrap's own classes when it draws the field.
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=32,
        error_messages={"required": required},
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "code-input", **attrs}),
    )


class AuthenticatorCodeForm(forms.Form):
    code = _code(
        "Code from your authenticator app",
        "The 6-digit code the app shows now for this service.",
        "Enter the 6-digit code from your authenticator app",
        autocomplete="one-time-code",
        inputmode="numeric",
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = _code(
        "Recovery code",
        "One of the codes you kept when you set up your authenticator, like ab3d-ef7h. "
        "Each code works once.",
        "Enter one of your recovery codes",
        autocomplete="off",
        autocapitalize="none",
    )

    def clean_code(self) -> str:
        return normalise(self.cleaned_data["code"])
