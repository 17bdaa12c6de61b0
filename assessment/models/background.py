"""Rows the background tasks work on: emails to send, stored PDF renderings, ZIP exports.

Everything lives in the database the app already has, so every app server and every worker on
every host sees the same state: no file a request needs is kept on one host's disk.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Delivery(models.Model):
    """One email to one recipient about one event. `key` + `recipient` is unique, so announcing
    the same event twice (a retried request, a task run by two workers) sends it once."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Only for the admin's list: which record the email is about (never a personal detail).
    reference = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # While SENDING: the time the claim lapses, after which another worker may send it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="delivery_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_state_display()})"


class Rendering(models.Model):
    """A record's PDF summary as it stood at one state: its case revision and its last event.

    A download serves the rendering whose state matches the record's current one, never an
    older one (the PDF shows status, decision and trail, which move with the state).
    """

    record = models.ForeignKey(
        "assessment.Record", on_delete=models.CASCADE, related_name="renderings"
    )
    # The reviewers' PDF (whole trail, internal notes) and the respondent's are different files.
    for_reviewers = models.BooleanField(default=False)
    revision = models.PositiveIntegerField()
    last_event_id = models.BigIntegerField()
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "for_reviewers", "revision", "last_event_id"],
                name="rendering_once_per_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.revision} e{self.last_event_id}"


class Export(models.Model):
    """A ZIP of the filtered queue (PDFs, CSV, JSON, README), built by a task, kept for a while.

    The id is a random UUID and only its requester may see it: no export is reachable by
    guessing an id."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    # The queue's query string the export was asked with (its filters), as the queue parses it.
    params = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.id} ({self.get_state_display()})"


class ExportChunk(models.Model):
    """One slice of an export's ZIP, in order: the file is stored in the database in pieces
    and streamed back, so neither building nor downloading holds it all in memory."""

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["export", "index"]
        constraints = [
            models.UniqueConstraint(fields=["export", "index"], name="export_chunk_order"),
        ]

    def __str__(self) -> str:
        return f"{self.export_id} #{self.index}"


class WorkerHeartbeat(models.Model):
    """When each task worker last said it was alive: a worker that stops reporting (killed,
    host lost) has its running task put back in the queue by the others."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id
