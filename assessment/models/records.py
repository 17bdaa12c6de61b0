"""Submitted records: content written once and hashed; only the case state moves."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from assessment.canonical import canonical_json
from assessment.integrity import hashing
from assessment.integrity.keys import key_for
from assessment.models.drafts import Draft
from assessment.models.outcomes import (
    DECISION_CHOICES,
    DECISION_VALUES,
    NOT_ASSESSABLE,
    OUTCOME_CHOICES,
    OUTCOME_VALUES,
)
from assessment.references import REFERENCE_PATTERN
from assessment.search import record_search_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _reviewer(related_name: str = "+") -> models.ForeignKey[User | None, User | None]:
    """A reviewer who holds or acted on the case. Deleting their account leaves NULL (the
    trail still names them, by its label); no reverse accessor unless one is named."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    AWAITING_RESPONDENT = "awaiting_respondent", "Information requested"
    PENDING_APPROVAL = "pending_approval", "Awaiting approval"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


# The statuses of a case still being worked on (the queue's "open"), defined here only.
OPEN_STATUSES: tuple[str, ...] = (
    Status.NEW,
    Status.IN_REVIEW,
    Status.AWAITING_RESPONDENT,
    Status.PENDING_APPROVAL,
)


def queue_priority() -> Case:
    """The review queue's priority group as a database expression: open cases whose automatic
    result needs review first (0), then the other open cases (1), then the finished ones (2).
    The index `record_priority_order` is on this very expression, so the database can read the
    queue in its default order from the index instead of ranking every matching record."""
    return Case(
        When(outcome="review", status__in=OPEN_STATUSES, then=Value(0)),
        When(status__in=OPEN_STATUSES, then=Value(1)),
        default=Value(2),
        # As the migration writes it (keyword arguments sorted, no output_field: the integer
        # Values give the type), or makemigrations sees the index below as changed.
    )


def effective_outcome_expression() -> Case:
    """`Record.effective_outcome` as a database expression, for selectors and exports."""
    return Case(
        When(decided_outcome__isnull=False, then=F("decided_outcome")),
        When(status=Status.CLOSED, then=Value(NOT_ASSESSABLE)),
        default=F("outcome"),
        output_field=models.CharField(),
    )


class RecordQuerySet(models.QuerySet["Record"]):
    def needing_attention(self) -> RecordQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Record(models.Model):
    """A submitted assessment. Content fields are written once; see `save()`."""

    # Case state: the only fields that may change after creation (by the review services).
    CASE_FIELDS = frozenset(
        {
            "status",
            "assigned_to",
            "revision",
            "decided_outcome",
            "decided_at",
            "decided_by",
            "approved_by",
            "approved_at",
            "decision_message",
            "proposed_outcome",
            "proposed_by",
            "proposed_at",
            "closed_by",
            "closed_at",
            "close_reason",
        }
    )

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
    # What the queue's search reads: the reference, the details and the free-text answers,
    # folded (assessment/search.py). Written with the record, from its payload; on
    # PostgreSQL a trigram index (migration 0013) keeps a `contains` search fast.
    search_text = models.TextField(blank=True, default="", editable=False)
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES)
    # Outcome ids of every finding, as ";id;id;" so one category filters with `contains`.
    outcome_ids = models.CharField(max_length=500)
    categories = models.JSONField(default=list)
    # The engine's answers (question id -> value), for `reassess` under another version.
    answers = models.JSONField(default=dict)
    # The canonical record: everything the respondent saw and the result; hashed below.
    payload = models.JSONField()
    sha256 = models.CharField(max_length=64)
    # The keyed seal: HMAC-SHA256 of the same canonical bytes under the key `seal_key_id` names
    # (ASSESSMENT_SEAL_KEYS). Both empty on records sealed before keyed seals existed: their
    # "legacy (unkeyed) seal" is the SHA-256 alone (and the hash chain, which covers them).
    seal = models.CharField(max_length=64, blank=True, default="")
    seal_key_id = models.CharField(max_length=32, blank=True, default="")
    # The earlier record this one revises (started from its answers). Set once at submission,
    # outside the hashed payload: the earlier record is never touched.
    revises = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )

    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW)
    assigned_to = _reviewer(related_name="assigned_records")
    # The decision in effect: NULL, not "", means "none yet". It is set only when a decision
    # takes effect: at once when it needs no second reviewer, else when an approver approves
    # it (services/review.py). The check constraint below allows only real decisions.
    decided_outcome = models.CharField(  # noqa: DJ001
        max_length=20, choices=DECISION_CHOICES, null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = _reviewer()
    approved_by = _reviewer()
    approved_at = models.DateTimeField(null=True, blank=True)
    # The message to the respondent that goes with the decision in effect ("" when none).
    decision_message = models.TextField(max_length=4000, blank=True, default="")
    # A decision waiting for a second reviewer (status "pending_approval"); cleared when it is
    # approved or sent back.
    proposed_outcome = models.CharField(  # noqa: DJ001
        max_length=20, choices=DECISION_CHOICES, null=True, blank=True
    )
    proposed_by = _reviewer()
    proposed_at = models.DateTimeField(null=True, blank=True)
    closed_by = _reviewer()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(max_length=4000, blank=True, default="")
    # Optimistic concurrency: every case change bumps it; a stale form is refused.
    revision = models.PositiveIntegerField(default=0)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [
            ("review_record", "Can review records (queue, decisions, exports)"),
            ("approve_decision", "Can approve another reviewer's decision (four eyes)"),
            ("manage_reviewers", "Can invite reviewers, set their role and deactivate them"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=OUTCOME_VALUES), name="record_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(decided_outcome__isnull=True) | Q(decided_outcome__in=DECISION_VALUES),
                name="record_decided_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(proposed_outcome__isnull=True)
                | Q(proposed_outcome__in=DECISION_VALUES),
                name="record_proposed_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="record_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN),
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
            # The open records only (a modest share of a million): the queue's first groups in
            # submission order, the statistics' backlog by age and the overdue count.
            models.Index(
                fields=["submitted_at", "outcome", "status"],
                condition=Q(status__in=OPEN_STATUSES),
                name="record_open",
            ),
            # The queue's default order (priority group, then the longest waiting): a search
            # matching tens of thousands of records shows its first page from here (PostgreSQL
            # matches the expression; SQLite binds its values as parameters and sorts).
            models.Index(
                queue_priority(), F("submitted_at"), F("id"), name="record_priority_order"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        editing = self.pk is not None and not self._state.adding
        if editing and (update_fields is None or not set(update_fields) <= self.CASE_FIELDS):
            raise ValueError("A submitted record's content is never edited in place.")
        if not editing and not self.search_text and isinstance(self.payload, dict):
            # Submission sets it (new_record); a row created any other way is searchable too.
            self.search_text = record_search_text(self.payload)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Submitted records are never deleted.")

    @property
    def effective_outcome(self) -> str:
        """What this record counts as everywhere (pages, PDFs, exports, statistics).

        The decision in effect when there is one (it is only ever set by a decision that
        needed no second reviewer or was approved); a record closed without one (only before
        decisions were required to close) is "not assessable"; otherwise the automatic
        outcome, which no reviewer has changed. So it is "permitted" only when a permitted
        decision took effect, or the questionnaire said permitted and nobody changed it.
        `effective_outcome_expression` is the same rule in SQL.
        """
        if self.decided_outcome:
            return self.decided_outcome
        if self.status == Status.CLOSED:
            return NOT_ASSESSABLE
        return self.outcome

    def review_state_code(self) -> str:
        """A short code for the review state a document shows (what the record counts as, the
        decision in effect and its message, open or closed), printed on every PDF so /verify/
        can tell a current summary from a superseded one. Assignments, notes and proposals do
        not change it: they change nothing a document states."""
        state = "\x1f".join(
            [
                self.sha256,
                self.effective_outcome,
                self.decided_outcome or "",
                self.decision_message,
                "closed" if self.status == Status.CLOSED else "open",
            ]
        )
        return hashlib.sha256(state.encode()).hexdigest()[:12]

    @property
    def keyed_seal(self) -> bool:
        """Sealed with a key (HMAC), not one of the legacy records with a plain SHA-256."""
        return bool(self.seal or self.seal_key_id)

    @property
    def seal_label(self) -> str:
        if self.keyed_seal:
            return f"Keyed seal (HMAC-SHA256, key {self.seal_key_id})"
        return "Legacy (unkeyed) seal: SHA-256 only"

    def integrity_problems(self) -> list[str]:
        """Why this record may have been tampered with; empty when it is intact. Its place in
        the hash chain is checked by `services.integrity.record_problems`."""
        problems = []
        content = canonical_json(self.payload)  # what both the hash and the seal cover
        if hashlib.sha256(content).hexdigest() != self.sha256:
            problems.append("The stored hash does not match the record's content.")
        if self.keyed_seal:
            key = key_for(self.seal_key_id)
            if key is None:
                problems.append(f"The record is sealed with an unknown key ({self.seal_key_id}).")
            elif not hashing.same(hashing.hmac_hex(key, content), self.seal):
                problems.append("The keyed seal does not match the record's content.")
        # A payload altered into another shape (not an object, or its result not one) is read
        # as empty here: the hash check above has already said it is not what was sealed.
        payload = self.payload if isinstance(self.payload, dict) else {}
        result = payload.get("result")
        checks = {
            "reference": (payload.get("reference"), self.reference),
            "outcome": (result.get("outcome") if isinstance(result, dict) else None, self.outcome),
            "version": (payload.get("questionnaire_version"), self.questionnaire_version),
        }
        for name, (in_payload, in_column) in checks.items():
            if in_payload != in_column:
                problems.append(f"The {name} column differs from the hashed record.")
        return problems
