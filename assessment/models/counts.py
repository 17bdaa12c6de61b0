"""Records per state, kept by the database itself (migration 0015): per status, automatic
outcome, outcome ids (the categories) and whether a decision is in effect (`decided_at` set).

The queue shows how many records each status holds and the statistics page counts them by
status, outcome, category and decision; counting a million rows for every page view took most
of a second. Triggers on the records table append a change to this table in the same
transaction as every insert, status or outcome change and delete, whatever wrote it (a service,
the bulk seeder's COPY, a migration, SQL typed by hand): +1 for the new state, -1 for the old.
Rows are only ever appended, so concurrent writers never wait on each other here; a count is
the sum of its rows (`selectors.queue`), and `services.counts.compact` folds the rows into one
per state from time to time (the task worker's heartbeat, the seeder, `rebuild_record_counts`).
"""

from __future__ import annotations

from django.db import models


class RecordCount(models.Model):
    status = models.CharField(max_length=30)
    outcome = models.CharField(max_length=20)
    outcome_ids = models.CharField(max_length=500)  # as Record.outcome_ids: ";id;id;"
    decided = models.BooleanField()  # Record.decided_at is set
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.status}/{self.outcome}/{self.outcome_ids}/{self.decided}: {self.n:+d}"


class EventDay(models.Model):
    """Review events per UTC day, kept by triggers on the events table (migration 0017), for
    the statistics' decisions per week and per reviewer: only the actions they count
    (`services.counts.DAY_ACTIONS`), keyed by what they group on. `decider` is who a
    decision counts for: the actor, or for an approval the proposer (the actor of the record's
    latest proposal before it), as `selectors.stats` defines it. Events are append-only (the
    model refuses updates and deletes), but an update or delete in SQL is counted too, like an
    insert; `rebuild_record_counts` recomputes these rows as well."""

    day = models.DateField()
    action = models.CharField(max_length=30)
    decision = models.CharField(max_length=20)
    override = models.BooleanField()  # selectors.stats.OVERRIDE
    actor_id = models.IntegerField(null=True)  # plain ids: a removed account keeps its rows
    decider_id = models.IntegerField(null=True)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.day} {self.action} {self.decision}: {self.n:+d}"


class SubmissionDay(models.Model):
    """Records submitted per UTC day (`Record.submitted_at`), kept by triggers on the records
    table (migration 0018), for the statistics' submissions per week."""

    day = models.DateField()
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.day}: {self.n:+d}"
