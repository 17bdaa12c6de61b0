"""The respondent's answer to a reviewer's request for more information."""

from __future__ import annotations

from django import forms

from assessment.models import Event

MESSAGE_MAX = Event._meta.get_field("note").max_length


class ReplyForm(forms.Form):
    message = forms.CharField(
        label="Your reply",
        max_length=MESSAGE_MAX,
        help_text=f"Answer the reviewer's questions. You can enter up to {MESSAGE_MAX} characters.",
        error_messages={
            "required": "Enter your reply to the reviewer",
            "max_length": f"Your reply must be {MESSAGE_MAX} characters or fewer",
        },
        widget=forms.Textarea,
    )
