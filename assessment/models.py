"""Drafts being answered, submitted records, and the append-only trail of review events.

A `Draft` is mutable until it is submitted. A `Record` is what was submitted: its content
(`payload`, hashed into `sha256`) never changes; only its case state (status, assignee,
decided outcome) moves, and only through `assessment.services.review`, which appends an
`Event` for every move.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessment.canonical import payload_sha256

OUTCOME_CHOICES = [
    ("permitted", "Permitted"),
    ("review", "Needs review"),
    ("prohibited", "Prohibited"),
]
OUTCOME_VALUES = [value for value, _ in OUTCOME_CHOICES]
OUTCOME_LABELS: dict[str, str] = dict(OUTCOME_CHOICES)


def new_token() -> str:
    """The private link's secret: 256 bits, so a record cannot be reached by guessing."""
    return secrets.token_urlsafe(32)


class Draft(models.Model):
    """An assessment being answered. Answers are stored as the engine takes them."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    questionnaire_version = models.CharField(max_length=20)
    answers = models.JSONField(default=dict, blank=True)
    respondent_name = models.CharField(max_length=200, blank=True)
    respondent_email = models.EmailField(max_length=254, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    project_name = models.CharField(max_length=200, blank=True)
    project_description = models.TextField(max_length=2000, blank=True)
    # A keyed hash of the client's address, only for the drafts-per-hour limit.
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Draft {self.pk} ({self.questionnaire_version})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def has_details(self) -> bool:
        return bool(self.respondent_name and self.respondent_email and self.project_name)


class ReferenceCounter(models.Model):
    """The last reference number issued per year, so references read AS-2026-00042."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    AWAITING_RESPONDENT = "awaiting_respondent", "Information requested"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


class RecordQuerySet(models.QuerySet["Record"]):
    def needing_attention(self) -> RecordQuerySet:
        return self.exclude(status__in=[Status.DECIDED, Status.CLOSED])


class Record(models.Model):
    """A submitted assessment. Content fields are written once; see `save()`."""

    # Case state: the only fields that may change after creation (by the review services).
    CASE_FIELDS = frozenset({"status", "assigned_to", "decided_outcome", "revision", "decided_at"})

    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="record")
    reference = models.CharField(max_length=20, unique=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    questionnaire_version = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(db_index=True)
    # Denormalised from the payload for the queue's filters and search.
    respondent_name = models.CharField(max_length=200)
    respondent_email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200, blank=True)
    project_name = models.CharField(max_length=200)
    project_description = models.TextField(max_length=2000, blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES)
    # Outcome ids of every finding, as ";id;id;" so one category filters with `contains`.
    outcome_ids = models.CharField(max_length=500)
    categories = models.JSONField(default=list)
    # The engine's answers (question id -> value), for `reassess` under another version.
    answers = models.JSONField(default=dict)
    # The canonical record: everything the respondent saw and the result; hashed below.
    payload = models.JSONField()
    sha256 = models.CharField(max_length=64)

    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_records",
    )
    # NULL, not "", means "no decision yet": the check constraint below allows only real kinds.
    decided_outcome = models.CharField(  # noqa: DJ001
        max_length=20, choices=OUTCOME_CHOICES, null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every case change bumps it; a stale form is refused.
    revision = models.PositiveIntegerField(default=0)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [
            ("review_record", "Can review records (queue, decisions, exports)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=OUTCOME_VALUES), name="record_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(decided_outcome__isnull=True) | Q(decided_outcome__in=OUTCOME_VALUES),
                name="record_decided_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="record_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=r"^AS-[0-9]{4}-[0-9]{5,}$"),
                name="record_reference_format",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "outcome", "submitted_at"]),
            models.Index(fields=["outcome", "submitted_at"]),
            # The dashboard's counts per status under an outcome filter, and its statistics
            # on decisions, read these indexes alone (migration 0003 explains).
            models.Index(
                fields=["outcome", "status", "submitted_at"], name="record_outcome_status"
            ),
            models.Index(fields=["decided_at", "submitted_at"], name="record_decided"),
            models.Index(fields=["outcome_ids"], name="record_outcome_ids"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        editing = self.pk is not None and not self._state.adding
        if editing and (update_fields is None or not set(update_fields) <= self.CASE_FIELDS):
            raise ValueError("A submitted record's content is never edited in place.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Submitted records are never deleted.")

    @property
    def effective_outcome(self) -> str:
        """The reviewer's decision when there is one, else the automatic outcome."""
        return self.decided_outcome or self.outcome

    def integrity_problems(self) -> list[str]:
        """Why this record may have been tampered with; empty when it is intact."""
        problems = []
        if payload_sha256(self.payload) != self.sha256:
            problems.append("The stored hash does not match the record's content.")
        checks = {
            "reference": (self.payload.get("reference"), self.reference),
            "outcome": (self.payload.get("result", {}).get("outcome"), self.outcome),
            "version": (self.payload.get("questionnaire_version"), self.questionnaire_version),
        }
        for name, (in_payload, in_column) in checks.items():
            if in_payload != in_column:
                problems.append(f"The {name} column differs from the hashed record.")
        return problems


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ASSIGNED = "assigned", "Assigned"
    CONFIRMED = "confirmed", "Confirmed the automatic result"
    OVERRIDDEN = "overridden", "Overrode the automatic result"
    INFO_REQUESTED = "info_requested", "Requested more information"
    RESPONDENT_REPLIED = "respondent_replied", "Respondent replied"
    CLOSED = "closed", "Closed"


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
