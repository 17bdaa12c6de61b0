"""The second step of sign-in: a code from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms

from assessment.services.second_factor import normalise


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now for this service.",
        max_length=32,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "form-control code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you kept when you set up your authenticator, like ab3d-ef7h. "
        "Each code works once.",
        max_length=32,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "form-control code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        return normalise(self.cleaned_data["code"])
