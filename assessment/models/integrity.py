"""The hash chain over every event, its head, signed checkpoints and the last full checks.

Every row here is append-only except the head, which moves with each append (under its lock).
An insider who edits these tables directly cannot produce valid hashes or signatures without the
seal key (ASSESSMENT_SEAL_KEYS), which lives outside the database.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from assessment.integrity.hashing import GENESIS
from assessment.models.events import Event
from assessment.models.records import Record


class ChainEntry(models.Model):
    """One event's link in the chain: its position, the previous entry's hash, and its own
    HMAC over (previous hash + the event's canonical content)."""

    position = models.PositiveBigIntegerField(unique=True)
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="chain_entry")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="chain_entries")
    # The event's place in its record's trail (1 = the submission), so a record can tell that
    # one of its own events is missing without walking the whole chain.
    record_seq = models.PositiveIntegerField()
    key_id = models.CharField(max_length=32)
    # Chained by the upgrade (migration 0012): an event written before the chain existed, whose
    # case state may have been moved by older migrations without an event. Covered by the HMAC.
    legacy = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "record_seq"], name="chain_record_seq")
        ]

    def __str__(self) -> str:
        return f"chain entry {self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Chain entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Chain entries are append-only.")


class ChainHead(models.Model):
    """The chain's length and last hash, signed: the row every append locks (id 1 only)."""

    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)
    key_id = models.CharField(max_length=32, blank=True)
    signature = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"chain head at {self.length}"


class Checkpoint(models.Model):
    """A signed (length, head hash) at a moment: exported, it lets an auditor prove later that
    the chain still extends what it was then."""

    created_at = models.DateTimeField(db_index=True)
    length = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"checkpoint {self.length} at {self.created_at:%Y-%m-%d %H:%M}"


class IntegrityCheck(models.Model):
    """One full run of `verify_integrity`: when, how much it walked, and what it found."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    records = models.PositiveBigIntegerField()
    entries = models.PositiveBigIntegerField()
    # Each problem found, first one first (at most a few hundred kept).
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-finished_at", "-pk"]

    def __str__(self) -> str:
        return f"integrity check {'passed' if self.ok else 'failed'} at {self.finished_at}"
