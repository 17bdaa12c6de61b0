"""The append-only trail of review events on a record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessment.models.records import Record


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ASSIGNED = "assigned", "Assigned"
    CONFIRMED = "confirmed", "Confirmed the automatic result"
    OVERRIDDEN = "overridden", "Overrode the automatic result"
    INFO_REQUESTED = "info_requested", "Requested more information"
    RESPONDENT_REPLIED = "respondent_replied", "Respondent replied"
    CLOSED = "closed", "Closed"
    # A newer questionnaire version would judge the record differently, or needs new answers.
    REREVIEW_OPENED = "rereview_opened", "Opened a re-review under a new questionnaire version"
    RESPONDENT_INVITED = "respondent_invited", "Invited the respondent to answer again"


class Event(models.Model):
    """One entry of a record's audit trail. Append-only: never updated, never deleted."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Who acted, as named at the time, so the trail still reads right if the user is deleted.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=30, choices=EventAction.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    from_outcome = models.CharField(max_length=20, blank=True)
    to_outcome = models.CharField(max_length=20, blank=True)
    note = models.TextField(max_length=4000, blank=True)
    # The hash of the record as it stood when this event was written.
    record_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EventAction.values), name="event_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.action} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit events are append-only.")
