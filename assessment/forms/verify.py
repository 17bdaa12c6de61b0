from django import forms


class VerifyForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="As printed on the PDF, for example AS-2026-00042.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sha256 = forms.RegexField(
        label="SHA-256 hash",
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        max_length=80,
        help_text="The 64 characters printed under “Record hash” on the PDF.",
        error_messages={"invalid": "Enter the 64-character hash exactly as printed on the PDF"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_sha256(self) -> str:
        return self.cleaned_data["sha256"].strip().lower()
