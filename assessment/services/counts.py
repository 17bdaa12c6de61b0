"""The stored counts (`models.counts`: records per state, review events per day): folding
their rows, rebuilding them.

The triggers of migrations 0015 and 0017 keep the counts right on every write; nothing here is
needed for that. `compact` keeps the tables small (reads sum them), `rebuild` recomputes them
from the records and events (after a restore from an old backup, or if someone disabled the
triggers).
"""

from __future__ import annotations

import datetime
from collections import Counter
from datetime import date
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncDate

from assessment.models import Event, EventAction, EventDay, Record, RecordCount, SubmissionDay
from assessment.models.events import EFFECTIVE_DECISION_ACTIONS

# Fold the rows once there are more than this many (each status change appends two).
COMPACT_FROM = 1000
# The tables of counts whose rows `compact` folds.
Folded = TypeVar("Folded", RecordCount, SubmissionDay, EventDay)


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


def compact(minimum: int = 0) -> bool:
    """Fold the rows of the three tables of counts, each into one row per key, when it has more
    than `minimum`. Safe beside writers: rows appended meanwhile are left for next time. Returns
    whether any folded."""
    folded = _fold(RecordCount, ("status", "outcome", "outcome_ids", "decided"), minimum)
    folded = _fold(SubmissionDay, ("day",), minimum) or folded
    return _fold(EventDay, DAY_KEY, minimum) or folded


def _fold(model: type[Folded], key: tuple[str, ...], minimum: int) -> bool:
    rows = model.objects.order_by()
    last = rows.order_by("-pk").values_list("pk", flat=True).first()
    # Checked before any transaction: with nothing to fold, SQLite's write lock is not taken.
    if last is None or rows.count() <= max(minimum, 1):
        return False
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _fold_postgres(model, key, last)
            return True
        # SQLite: one writer at a time, so reading then deleting in one transaction is safe.
        folded = rows.filter(pk__lte=last)
        totals: Counter[tuple[Any, ...]] = Counter()
        for *values, n in folded.values_list(*key, "n"):
            totals[tuple(values)] += n
        folded.delete()
        model.objects.bulk_create(
            model(**dict(zip(key, values, strict=True)), n=n) for values, n in totals.items() if n
        )
    return True


def _fold_postgres(model: type[Folded], key: tuple[str, ...], last: int) -> None:
    """One statement: only the rows it deletes are summed. A row a writer committed after a
    separate read would otherwise be deleted unsummed (READ COMMITTED: each statement sees what
    is committed when it starts), and two compactions at once (the second waits for the first's
    row locks, then finds those rows gone) never add twice."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE {quote(_column(model, 'id'))} <= %s "  # noqa: S608
            f"RETURNING {columns}, n) "
            f"INSERT INTO {table} ({columns}, n) SELECT {columns}, SUM(n) FROM gone "
            f"GROUP BY {columns} HAVING SUM(n) <> 0",
            [last],
        )


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return field.column


@transaction.atomic
def rebuild() -> dict[State, int]:
    """Recompute the stored counts from the records and events. Writers wait meanwhile
    (PostgreSQL: SHARE locks; SQLite has one writer at a time anyway), readers do not."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Record._meta.db_table} IN SHARE MODE")
            cursor.execute(f"LOCK TABLE {Event._meta.db_table} IN SHARE MODE")
    counts = counted_counts()
    RecordCount.objects.all().delete()
    RecordCount.objects.bulk_create(
        RecordCount(status=status, outcome=outcome, outcome_ids=ids, decided=decided, n=n)
        for (status, outcome, ids, decided), n in counts.items()
    )
    SubmissionDay.objects.all().delete()
    SubmissionDay.objects.bulk_create(
        SubmissionDay(day=day, n=n) for day, n in counted_submission_days().items()
    )
    EventDay.objects.all().delete()
    EventDay.objects.bulk_create(
        EventDay(**dict(zip(DAY_KEY, key, strict=True)), n=n) for key, n in counted_days().items()
    )
    return counts


# The actions EventDay counts: decisions that may take effect, proposals and send-backs.
DAY_ACTIONS = (*EFFECTIVE_DECISION_ACTIONS, EventAction.PROPOSED, EventAction.REJECTED)
DAY_KEY = ("day", "action", "decision", "override", "actor_id", "decider_id")
Day = tuple[Any, ...]  # DAY_KEY's values


def stored_days(since: date | None = None) -> dict[Day, int]:
    """Review events per day and key (DAY_KEY), from the stored rows (keys with none left out)."""
    rows = EventDay.objects.order_by()
    if since is not None:
        rows = rows.filter(day__gte=since)
    totals = rows.values_list(*DAY_KEY).annotate(total=Sum("n"))
    return {tuple(row[:-1]): row[-1] for row in totals if row[-1]}


def counted_days() -> dict[Day, int]:
    """The same, counted from the events (every event: for checks and tests), with the override
    rule and the decider of selectors/stats.py."""
    from assessment.selectors.stats import OVERRIDE

    proposer = (
        Event.objects.filter(
            record=OuterRef("record"), action=EventAction.PROPOSED, pk__lt=OuterRef("pk")
        )
        .order_by("-pk")
        .values("actor")[:1]
    )
    rows = (
        Event.objects.filter(action__in=DAY_ACTIONS)
        .annotate(
            day=TruncDate("created_at", tzinfo=datetime.UTC),
            override=ExpressionWrapper(OVERRIDE, BooleanField()),
            decider_id=Case(
                When(action=EventAction.APPROVED, then=Subquery(proposer)),
                default=F("actor"),
                output_field=IntegerField(),
            ),
        )
        .order_by()
        .values_list(*DAY_KEY)
        .annotate(n=Count("*"))
    )
    return {(*row[:3], bool(row[3]), *row[4:6]): row[6] for row in rows}


def stored_submission_days(since: date | None = None) -> dict[date, int]:
    """Records submitted per UTC day, from the stored rows (days with none left out)."""
    rows = SubmissionDay.objects.order_by()
    if since is not None:
        rows = rows.filter(day__gte=since)
    return {day: n for day, n in rows.values_list("day").annotate(total=Sum("n")) if n}


def counted_submission_days() -> dict[date, int]:
    """The same, counted from the records (every record: for checks and tests)."""
    rows = (
        Record.objects.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=datetime.UTC))
        .values_list("day")
        .annotate(n=Count("*"))
    )
    return dict(rows)
