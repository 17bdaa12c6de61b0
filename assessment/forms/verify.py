import re

from django import forms

from assessment.references import REFERENCE

SHA256 = re.compile(r"^[0-9a-f]{64}$")
STATE = re.compile(r"^[0-9a-f]{12}$")


def _printed(label: str, help_text: str, *, max_length: int, required: str = "") -> forms.CharField:
    """A field copied from the PDF: no autocomplete or spell-check on a code."""
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": required} if required else {},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _compact(value: str) -> str:
    # A code copied from a PDF viewer may come with spaces or a line break in it.
    return "".join(value.split())


class VerifyForm(forms.Form):
    """A reference and a hash as printed on a PDF, forgiving of case and copied whitespace."""

    reference = _printed(
        "Reference",
        "As printed at the top of every page of the PDF, for example AS-2026-00042.",
        max_length=40,
        required="Enter the reference printed on the PDF",
    )
    sha256 = _printed(
        "Record hash (SHA-256)",
        "The 64 letters and digits printed under “Record integrity” on the PDF.",
        max_length=200,
        required="Enter the record hash printed on the PDF",
    )
    state = _printed(
        "Review state code (optional)",
        "The 12 letters and digits printed after “Review state code” on the PDF. "
        "With it we also tell you whether the decision printed is still the current one.",
        max_length=40,
    )

    def clean_reference(self) -> str:
        reference = _compact(self.cleaned_data["reference"]).upper()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                "Enter the reference as printed on the PDF, like AS-2026-00042"
            )
        return reference

    def clean_sha256(self) -> str:
        digest = _compact(self.cleaned_data["sha256"]).lower()
        if not SHA256.match(digest):
            raise forms.ValidationError(
                "Enter the record hash exactly as printed on the PDF: 64 letters (a to f) "
                "and digits"
            )
        return digest

    def clean_state(self) -> str:
        code = _compact(self.cleaned_data["state"]).lower()
        if code and not STATE.match(code):
            raise forms.ValidationError(
                "Enter the review state code exactly as printed on the PDF: 12 letters (a to f) "
                "and digits"
            )
        return code
