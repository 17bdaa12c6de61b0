"""Reads for the statistics page: counts by outcome, status and category, submissions and
decisions per ISO week, and the median time to decision.

Every figure is aggregated by the database from narrow indexes (see migration 0003), so the
page costs a handful of queries whatever the number of records.
"""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DateTimeField, FloatField, Func, IntegerField, Value
from django.utils import timezone

from assessment.models import OUTCOME_LABELS, OUTCOME_VALUES, Record, Status
from assessment.selectors.queue import category_choices, day_start

STATS_WEEKS = 12


@dataclass(frozen=True)
class Week:
    start: date
    label: str  # ISO week, e.g. "2026-W07"
    submissions: int
    decisions: int


@dataclass(frozen=True)
class Statistics:
    total: int
    by_outcome: list[tuple[str, str, int]]  # (value, label, count)
    by_status: list[tuple[str, str, int]]
    by_category: list[tuple[str, str, int]]  # (outcome id, category label, count)
    weeks: list[Week]
    decided: int
    # The median covers the decisions of the charted weeks: today's turnaround, not a
    # backlog from years ago (and an index range, not every decision ever made).
    median_since: date
    median_count: int
    median_decision: timedelta | None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _grouped(column: str) -> dict[str, int]:
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from an index alone.
    return dict(Record.objects.order_by().values_list(column).annotate(n=Count("*")))


def statistics(*, today: date | None = None) -> Statistics:
    """Counts by outcome, status and category, per-week activity, median time to decision.

    Every figure is an aggregate computed by the database, a handful of queries in all.
    """
    today = today or timezone.localdate()
    by_outcome: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    pairs = Record.objects.order_by().values_list("status", "outcome").annotate(n=Count("*"))
    for status, outcome, n in pairs:
        by_status[status] += n
        by_outcome[outcome] += n
    total = sum(by_status.values())

    categories = category_choices()
    per_category = _per_category()
    first_week = _week_start(today) - timedelta(weeks=STATS_WEEKS - 1)
    since = day_start(first_week)
    submitted = _per_week("submitted_at", since)
    decided = _per_week("decided_at", since)
    weeks = []
    for n in range(STATS_WEEKS):
        start = first_week + timedelta(weeks=n)
        year, week, _ = start.isocalendar()
        weeks.append(
            Week(
                start=start,
                label=f"{year}-W{week:02d}",
                submissions=submitted.get(n, 0),
                decisions=decided.get(n, 0),
            )
        )
    decided_count = Record.objects.filter(decided_at__isnull=False).count()
    recent_decisions, median = _median_time_to_decision(since)
    return Statistics(
        total=total,
        by_outcome=[
            (value, OUTCOME_LABELS[value], by_outcome.get(value, 0)) for value in OUTCOME_VALUES
        ],
        by_status=[(s.value, s.label, by_status.get(s.value, 0)) for s in Status],
        by_category=[(oid, label, per_category.get(oid, 0)) for oid, label in categories],
        weeks=weeks,
        decided=decided_count,
        median_since=first_week,
        median_count=recent_decisions,
        median_decision=median,
    )


def _per_category() -> dict[str, int]:
    """Records per outcome id. The database counts each distinct ";id;id;" combination (a few
    hundred, read from an index); splitting those into ids is cheap. Matching every id with
    LIKE on every row would cost a pattern match per id per record."""
    counts: dict[str, int] = defaultdict(int)
    for outcome_ids, n in _grouped("outcome_ids").items():
        for oid in filter(None, outcome_ids.split(";")):
            counts[oid] += n
    return counts


def _per_week(column: str, since: datetime) -> dict[int, int]:
    """Rows per week (0 = the week starting at `since`) by `column`, grouped by the database."""
    return dict(
        Record.objects.filter(**{f"{column}__gte": since})
        .annotate(week=WeeksSince(column, since))
        .order_by()
        .values_list("week")
        .annotate(n=Count("*"))
    )


def _median_time_to_decision(since: datetime) -> tuple[int, timedelta | None]:
    """How long records decided since `since` waited, submission to decision: count, median.

    PostgreSQL computes the median itself; elsewhere the database sorts by waiting time and
    returns only the one or two middle rows. Either way no row list reaches Python.
    """
    decided = Record.objects.filter(decided_at__gte=since)
    wait = SecondsBetween("submitted_at", "decided_at")
    if connection.vendor == "postgresql":
        figures = decided.aggregate(count=Count("*"), median=Median(wait))
        if not figures["count"]:
            return 0, None
        return figures["count"], timedelta(seconds=round(figures["median"]))
    count = decided.count()
    if count == 0:
        return 0, None
    middle = (count - 1) // 2
    take = 1 if count % 2 else 2
    waits = list(
        decided.annotate(wait=wait)
        .order_by("wait", "pk")
        .values_list("wait", flat=True)[middle : middle + take]
    )
    return count, timedelta(seconds=round(pystats.median(waits)))


class WeeksSince(Func):
    """Whole weeks from `since` to a datetime column, in plain SQL on each database."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, column: str, since: datetime) -> None:
        super().__init__(column, Value(since, output_field=DateTimeField()))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) / 7 AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 604800)::integer",
            arg_joiner=" - ",
            **extra,
        )


class Median(Aggregate):
    """PostgreSQL's exact median (other databases: see _median_time_to_decision)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class SecondsBetween(Func):
    """Seconds from the first datetime column to the second, in plain SQL on each database
    (Django's generic datetime subtraction calls back into Python on SQLite, row by row)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, start: str, end: str) -> None:
        super().__init__(end, start)  # the SQL reads "end - start"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )
