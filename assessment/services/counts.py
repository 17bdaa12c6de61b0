"""The stored record counts (`models.counts.RecordCount`): folding their rows, rebuilding them.

The triggers of migration 0015 keep the counts right on every write; nothing here is needed
for that. `compact` keeps the table small (reads sum it), `rebuild` recomputes it from the
records (after a restore from an old backup, or if someone disabled the triggers).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from assessment.models import Record, RecordCount

# Fold the rows once there are more than this many (each status change appends two).
COMPACT_FROM = 1000
COMPACT_POSTGRES = """
    WITH gone AS (
        DELETE FROM assessment_recordcount WHERE id <= %s
        RETURNING status, outcome, outcome_ids, decided, n
    )
    INSERT INTO assessment_recordcount (status, outcome, outcome_ids, decided, n)
    SELECT status, outcome, outcome_ids, decided, SUM(n) FROM gone
    GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0
"""


State = tuple[str, str, str, bool]  # status, automatic outcome, outcome ids, decided


def stored_counts() -> dict[State, int]:
    """Records per state (status, automatic outcome, outcome ids, whether a decision is in
    effect), from the stored counts (states with none left out)."""
    rows = (
        RecordCount.objects.order_by()
        .values_list("status", "outcome", "outcome_ids", "decided")
        .annotate(total=Sum("n"))
    )
    return {
        (status, outcome, ids, decided): total
        for status, outcome, ids, decided, total in rows
        if total
    }


def counted_counts() -> dict[State, int]:
    """The same, counted from the records (a scan of every record: for checks and tests)."""
    rows = (
        Record.objects.order_by()
        .annotate(decided=ExpressionWrapper(Q(decided_at__isnull=False), BooleanField()))
        .values_list("status", "outcome", "outcome_ids", "decided")
        .annotate(n=Count("*"))
    )
    return {(status, outcome, ids, bool(decided)): n for status, outcome, ids, decided, n in rows}


@transaction.atomic
def compact(minimum: int = 0) -> bool:
    """Fold the stored rows into one per state (when there are more than `minimum`). Safe beside
    writers: rows appended meanwhile are left for next time. Returns whether it folded."""
    last = RecordCount.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None or RecordCount.objects.count() <= max(minimum, 1):
        return False
    folded = RecordCount.objects.filter(pk__lte=last)
    if connection.vendor == "postgresql":
        # Only the rows this statement deletes are summed: two compactions at once (the
        # second waits for the first's row locks, then finds those rows gone) never add twice.
        with connection.cursor() as cursor:
            cursor.execute(COMPACT_POSTGRES, [last])
        return True
    # SQLite: one writer at a time, so reading then deleting in one transaction is safe.
    totals: Counter[State] = Counter()
    for status, outcome, ids, decided, n in folded.values_list(
        "status", "outcome", "outcome_ids", "decided", "n"
    ):
        totals[(status, outcome, ids, decided)] += n
    folded.delete()
    RecordCount.objects.bulk_create(
        RecordCount(status=status, outcome=outcome, outcome_ids=ids, decided=decided, n=n)
        for (status, outcome, ids, decided), n in totals.items()
        if n
    )
    return True


@transaction.atomic
def rebuild() -> dict[State, int]:
    """Recompute the stored counts from the records. Writers wait meanwhile (PostgreSQL: a SHARE
    lock on the records; SQLite has one writer at a time anyway), readers do not."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Record._meta.db_table} IN SHARE MODE")
    counts = counted_counts()
    RecordCount.objects.all().delete()
    RecordCount.objects.bulk_create(
        RecordCount(status=status, outcome=outcome, outcome_ids=ids, decided=decided, n=n)
        for (status, outcome, ids, decided), n in counts.items()
    )
    return counts
