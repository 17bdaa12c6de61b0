"""Files a respondent attaches to a message (an agreement, evidence), for reviewers only."""

from __future__ import annotations

from typing import Any

from django.db import models

from assessment.models.events import Event
from assessment.models.records import Record


class Attachment(models.Model):
    """One file sent with a respondent's message. Written once, like the event it belongs to.

    The file lives in Django's default storage under a random name (never the uploaded one);
    `name` is what the respondent called it, shown to reviewers and used for the download.
    """

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="attachments")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(max_length=200)
    name = models.CharField(max_length=200)
    # Decided from the file's first bytes, never from the name or the browser's claim.
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Attachments are written once.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Attachments are kept with the audit trail.")
