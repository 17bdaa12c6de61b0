"""The respondent's message to the reviewers, with an optional file (an agreement, evidence)."""

from __future__ import annotations

from django import forms

from assessment.models import Event
from assessment.services.attachments import (
    AttachmentRejected,
    CheckedFile,
    check_file,
    max_size_label,
)

MESSAGE_MAX = Event._meta.get_field("note").max_length


class ReplyForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX,
        help_text=f"Answer the reviewer's questions. You can enter up to {MESSAGE_MAX} characters.",
        error_messages={
            "required": "Enter your message to the reviewers",
            "max_length": f"Your message must be {MESSAGE_MAX} characters or fewer",
        },
        widget=forms.Textarea,
    )
    attachment = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        help_text=f"A PDF, PNG or JPEG of {max_size_label()} or less, for example a signed "
        "agreement. Only the compliance reviewers can open it.",
    )

    def clean_attachment(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            return check_file(upload)
        except AttachmentRejected as error:
            raise forms.ValidationError(error.message) from None
