"""Retention: drafts that were never submitted are deleted after a number of days.

Submitted drafts, their records and the records' audit trails are never touched here: a
record is the compliance evidence, and `Record.draft` is PROTECT so the database refuses too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessment.models import Draft


def stale_drafts(*, older_than_days: int, now: datetime | None = None) -> QuerySet[Draft]:
    """Drafts never submitted and untouched since the cutoff (what `purge_drafts` deletes)."""
    if older_than_days < 1:
        # Zero would delete drafts that someone is answering right now.
        raise ValueError("older_than_days must be at least 1.")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    # created_at adds nothing a draft's updated_at does not already say (it is never earlier),
    # but it is what the index on unsubmitted drafts holds: updated_at is not indexed, so that
    # an answer's UPDATE stays heap-only on PostgreSQL (models/drafts.py).
    return Draft.objects.filter(
        submitted_at__isnull=True, record__isnull=True, created_at__lt=cutoff, updated_at__lt=cutoff
    )


@transaction.atomic
def purge_drafts(*, older_than_days: int, now: datetime | None = None) -> int:
    """Delete stale unsubmitted drafts; returns how many were deleted."""
    deleted, _ = stale_drafts(older_than_days=older_than_days, now=now).delete()
    return deleted
