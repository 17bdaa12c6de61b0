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
    UNASSIGNED = "unassigned", "Unassigned"
    TAKEN_OVER = "taken_over", "Took over the case"
    NOTE_ADDED = "note_added", "Wrote a note"
    CONFIRMED = "confirmed", "Confirmed the automatic result"
    DECIDED = "decided", "Decided"
    # Before four eyes, an override took effect at once; now an override is PROPOSED, then
    # APPROVED or REJECTED. Kept for the trails written before.
    OVERRIDDEN = "overridden", "Overrode the automatic result"
    PROPOSED = "proposed", "Proposed a decision for approval"
    APPROVED = "approved", "Approved the proposed decision"
    REJECTED = "rejected", "Sent the proposed decision back"
    INFO_REQUESTED = "info_requested", "Requested more information"
    RESPONDENT_REPLIED = "respondent_replied", "Respondent wrote"
    CLOSED = "closed", "Closed"
    # A newer questionnaire version would judge the record differently, or needs new answers.
    REREVIEW_OPENED = "rereview_opened", "Opened a re-review under a new questionnaire version"
    RESPONDENT_INVITED = "respondent_invited", "Invited the respondent to answer again"


class Audience(models.TextChoices):
    """Who may read an event's note: chosen explicitly on every reviewer form with a note."""

    INTERNAL = "internal", "Reviewers only (internal note)"
    RESPONDENT = "respondent", "The respondent too (message to the respondent)"


# The events at which a decision took effect, when their `decision` is not empty: what
# statistics count as decisions "as they happened". PROPOSED and REJECTED carry the proposed
# decision in `decision` too, but it did not take effect there.
EFFECTIVE_DECISION_ACTIONS = (
    EventAction.CONFIRMED,
    EventAction.DECIDED,
    EventAction.OVERRIDDEN,
    EventAction.APPROVED,
    EventAction.CLOSED,
)
# The same, as a condition, for aggregates that count decisions beside other events.
TOOK_EFFECT = Q(action__in=EFFECTIVE_DECISION_ACTIONS) & ~Q(decision="")


class EventQuerySet(models.QuerySet["Event"]):
    def decisions(self) -> EventQuerySet:
        """Events at which a decision took effect (see EFFECTIVE_DECISION_ACTIONS)."""
        return self.filter(TOOK_EFFECT)

    def for_respondent(self) -> EventQuerySet:
        """The conversation the respondent may read: their own messages, reviewers' requests,
        and notes and closing reasons written for them. Never a proposal's justification (not
        in effect) nor an internal note; a decision's message is on the record itself."""
        return self.filter(
            Q(action__in=[EventAction.INFO_REQUESTED, EventAction.RESPONDENT_REPLIED])
            | Q(
                action__in=[EventAction.NOTE_ADDED, EventAction.CLOSED],
                audience=Audience.RESPONDENT,
            )
        )


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
    # Who may read `note` (blank: no note, or an event whose audience its action implies:
    # a request for information and a respondent's message are both read by both sides).
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True, default="")
    # The decision this event made, proposed, approved or sent back (blank for other events).
    decision = models.CharField(max_length=20, blank=True, default="")
    # The hash of the record as it stood when this event was written.
    record_sha256 = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Statistics count decisions, proposals and send-backs per week from the trail:
            # this reads those few actions in the charted weeks, not every event.
            models.Index(fields=["action", "created_at"], name="event_action_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EventAction.values), name="event_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience="") | Q(audience__in=Audience.values),
                name="event_audience_valid",
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
