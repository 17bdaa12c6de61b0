"""Submitted records: content written once and hashed; only the case state moves."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessment.canonical import payload_sha256
from assessment.models.drafts import Draft
from assessment.models.outcomes import OUTCOME_CHOICES, OUTCOME_VALUES


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
    # The earlier record this one revises (started from its answers). Set once at submission,
    # outside the hashed payload: the earlier record is never touched.
    revises = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )

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
