import re

from django import forms

REFERENCE = re.compile(r"^AS-[0-9]{4}-[0-9]{5,}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
STATE = re.compile(r"^[0-9a-f]{12}$")


class VerifyForm(forms.Form):
    """A reference and a hash as printed on a PDF, forgiving of case and copied whitespace."""

    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="As printed at the top of every page of the PDF, for example AS-2026-00042.",
        error_messages={"required": "Enter the reference printed on the PDF"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sha256 = forms.CharField(
        label="Record hash (SHA-256)",
        max_length=200,
        help_text="The 64 letters and digits printed under “Record integrity” on the PDF.",
        error_messages={"required": "Enter the record hash printed on the PDF"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    state = forms.CharField(
        label="Review state code (optional)",
        required=False,
        max_length=40,
        help_text="The 12 letters and digits printed after “Review state code” on the PDF. "
        "With it we also tell you whether the decision printed is still the current one.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        reference = "".join(self.cleaned_data["reference"].split()).upper()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                "Enter the reference as printed on the PDF, like AS-2026-00042"
            )
        return reference

    def clean_sha256(self) -> str:
        # A hash copied from a PDF viewer may come with spaces or a line break in it.
        digest = "".join(self.cleaned_data["sha256"].split()).lower()
        if not SHA256.match(digest):
            raise forms.ValidationError(
                "Enter the record hash exactly as printed on the PDF: 64 letters (a to f) "
                "and digits"
            )
        return digest

    def clean_state(self) -> str:
        code = "".join(self.cleaned_data["state"].split()).lower()
        if code and not STATE.match(code):
            raise forms.ValidationError(
                "Enter the review state code exactly as printed on the PDF: 12 letters (a to f) "
                "and digits"
            )
        return code
