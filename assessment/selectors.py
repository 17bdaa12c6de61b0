"""Reads for the reviewers' dashboard: the filtered queue, counts, statistics, a record's trail.

`filter_queue` is shared: the queue page, the CSV/JSON exports and the PDF ZIP export all take
the same query-string parameters, so "what I see" is "what I export".

The outcome filter is on the *automatic* outcome (what the questionnaire decided), like the
category filter and the queue's outcome column; the reviewer's decision shows beside it.
"""

from __future__ import annotations

import itertools
import statistics as pystats
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    Count,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from assessment.models import OUTCOME_CHOICES, OUTCOME_VALUES, Event, Record, Status
from assessment.questionnaire import available_versions, load

OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.AWAITING_RESPONDENT)
SEARCH_MAX_LENGTH = 200
STATS_WEEKS = 12

SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "priority": ("Needs review first, then newest", ()),  # see _priority()
    "newest": ("Newest first", ("-submitted_at", "-pk")),
    "oldest": ("Oldest first", ("submitted_at", "pk")),
    "reference": ("Reference", ("reference",)),
    "status": ("Status", ("status", "-submitted_at", "-pk")),
}
DEFAULT_SORT = "priority"
# The queue's columns; the payload and engine answers are kilobytes per row and not shown.
QUEUE_DEFERRED = ("payload", "answers", "project_description", "token")


@cache
def category_choices() -> tuple[tuple[str, str], ...]:
    """(outcome id, "Category (kind)") for every outcome of every version, latest label wins."""
    labels: dict[str, str] = {}
    kinds = dict(OUTCOME_CHOICES)
    for version in available_versions():
        for outcome in load(version).outcomes.values():
            labels[outcome.id] = f"{outcome.category} ({kinds[outcome.kind].lower()})"
    return tuple(sorted(labels.items(), key=lambda item: item[1].lower()))


@dataclass(frozen=True)
class QueueParams:
    """The queue's query string, validated: anything unknown or malformed is ignored."""

    status: str = ""
    outcome: str = ""
    category: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    version: str = ""
    mine: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    ignored: tuple[str, ...] = field(default=(), compare=False)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_queue_params(params: Mapping[str, str]) -> QueueParams:
    ignored: list[str] = []

    def pick(name: str, allowed: object) -> str:
        value = (params.get(name) or "").strip()
        if value and value not in allowed:  # type: ignore[operator]
            ignored.append(name)
            return ""
        return value

    dates: dict[str, date | None] = {}
    for name in ("submitted_from", "submitted_to"):
        raw = (params.get(name) or "").strip()
        dates[name] = _date(raw) if raw else None
        if raw and dates[name] is None:
            ignored.append(name)
    sort = pick("sort", SORTS) or DEFAULT_SORT
    return QueueParams(
        status=pick("status", Status.values),
        outcome=pick("outcome", OUTCOME_VALUES),
        category=pick("category", dict(category_choices())),
        submitted_from=dates["submitted_from"],
        submitted_to=dates["submitted_to"],
        version=pick("version", available_versions()),
        mine=(params.get("mine") or "").strip().lower() in {"1", "on", "true", "yes"},
        q=(params.get("q") or "").strip()[:SEARCH_MAX_LENGTH],
        sort=sort,
        ignored=tuple(ignored),
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _priority() -> Case:
    # Open cases whose automatic result needs review first, then other open cases, then the
    # finished ones. Only status and outcome are read, so an index on them covers the sort.
    return Case(
        When(status__in=OPEN_STATUSES, outcome="review", then=Value(0)),
        When(status__in=OPEN_STATUSES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _search(q: str) -> Q:
    condition = Q()
    for term in q.split()[:8]:
        condition &= (
            Q(reference__icontains=term)
            | Q(respondent_name__icontains=term)
            | Q(respondent_email__icontains=term)
            | Q(organisation__icontains=term)
            | Q(project_name__icontains=term)
            | Q(project_description__icontains=term)
        )
    return condition


def apply_filters(
    queryset: QuerySet[Record],
    *,
    user: AbstractBaseUser | AnonymousUser,
    params: QueueParams,
    with_status: bool = True,
) -> QuerySet[Record]:
    if params.status and with_status:
        queryset = queryset.filter(status=params.status)
    if params.outcome:
        queryset = queryset.filter(outcome=params.outcome)
    if params.category:
        queryset = queryset.filter(outcome_ids__contains=f";{params.category};")
    if params.submitted_from:
        queryset = queryset.filter(submitted_at__gte=_day_start(params.submitted_from))
    if params.submitted_to:
        # Inclusive: the whole "to" day counts.
        end = _day_start(params.submitted_to + timedelta(days=1))
        queryset = queryset.filter(submitted_at__lt=end)
    if params.version:
        queryset = queryset.filter(questionnaire_version=params.version)
    if params.mine:
        queryset = queryset.filter(assigned_to=user.pk if user.is_authenticated else None)
    if params.q:
        queryset = queryset.filter(_search(params.q))
    return queryset


def order_queue(queryset: QuerySet[Record], sort: str) -> QuerySet[Record]:
    if sort == "priority":
        return queryset.order_by(_priority(), "-submitted_at", "-pk")
    return queryset.order_by(*SORTS[sort][1])


def filter_queue(
    *, user: AbstractBaseUser | AnonymousUser, params: Mapping[str, str]
) -> QuerySet[Record]:
    """The records matching the queue's query-string `params`, in the queue's order.

    Parameters: status, outcome (automatic), category (an outcome id), submitted_from and
    submitted_to (YYYY-MM-DD, inclusive), version, mine (assigned to `user`), q (words, each
    matched in reference, name, email, organisation, project name or description), sort.
    Callers must have checked that `user` is a reviewer.
    """
    parsed = parse_queue_params(params)
    queryset = apply_filters(Record.objects.all(), user=user, params=parsed)
    return order_queue(queryset, parsed.sort)


def queue_page_records(queryset: QuerySet[Record], *, offset: int, limit: int) -> list[Record]:
    """One page of the queue, in two queries whatever the table's size.

    The page's ids are found first from the narrow, indexed columns; only those rows are then
    read, without their payloads, with their assignee.
    """
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    rows = Record.objects.filter(pk__in=ids).select_related("assigned_to").defer(*QUEUE_DEFERRED)
    by_id = {record.pk: record for record in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def status_counts(
    *, user: AbstractBaseUser | AnonymousUser, params: Mapping[str, str]
) -> dict[str, int]:
    """Records per status under every current filter except the status one (one query)."""
    parsed = parse_queue_params(params)
    queryset = apply_filters(Record.objects.all(), user=user, params=parsed, with_status=False)
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Status.values}


def record_trail(record: Record) -> list[Event]:
    """The record's audit trail, oldest first."""
    return list(Event.objects.filter(record=record).order_by("created_at", "pk"))


# --- Statistics -------------------------------------------------------------------------------


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
    median_decision: timedelta | None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _grouped(column: str) -> dict[str, int]:
    return dict(Record.objects.order_by().values_list(column).annotate(n=Count("pk")))


def statistics(*, today: date | None = None) -> Statistics:
    """Counts by outcome, status and category, per-week activity, median time to decision.

    Every figure is an aggregate computed by the database, a handful of queries in all.
    """
    today = today or timezone.localdate()
    by_outcome = _grouped("outcome")
    by_status = _grouped("status")
    total = sum(by_status.values())

    # One pass for every category: an outcome id is ";id;" inside outcome_ids.
    categories = category_choices()
    category_counts = Record.objects.aggregate(
        **{
            f"c{index}": Count("pk", filter=Q(outcome_ids__contains=f";{oid};"))
            for index, (oid, _) in enumerate(categories)
        }
    )

    first_week = _week_start(today) - timedelta(weeks=STATS_WEEKS - 1)
    starts = [first_week + timedelta(weeks=n) for n in range(STATS_WEEKS + 1)]
    bounds = [_day_start(start) for start in starts]
    submitted = _per_week("submitted_at", bounds)
    decided = _per_week("decided_at", bounds)
    weeks = [
        Week(
            start=starts[n],
            label="{}-W{:02d}".format(*starts[n].isocalendar()[:2]),
            submissions=submitted[f"w{n}"],
            decisions=decided[f"w{n}"],
        )
        for n in range(STATS_WEEKS)
    ]

    decided_count, median = _median_time_to_decision()
    labels = dict(OUTCOME_CHOICES)
    return Statistics(
        total=total,
        by_outcome=[(value, labels[value], by_outcome.get(value, 0)) for value in OUTCOME_VALUES],
        by_status=[(s.value, s.label, by_status.get(s.value, 0)) for s in Status],
        by_category=[
            (oid, label, category_counts[f"c{index}"])
            for index, (oid, label) in enumerate(categories)
        ],
        weeks=weeks,
        decided=decided_count,
        median_decision=median,
    )


def _per_week(column: str, bounds: list[datetime]) -> dict[str, int]:
    """Rows whose `column` falls in each [bounds[n], bounds[n+1]) week, in one query."""
    weeks = {
        f"w{n}": Count("pk", filter=Q(**{f"{column}__gte": start, f"{column}__lt": end}))
        for n, (start, end) in enumerate(itertools.pairwise(bounds))
    }
    return Record.objects.filter(**{f"{column}__gte": bounds[0]}).aggregate(**weeks)


def _median_time_to_decision() -> tuple[int, timedelta | None]:
    """How long decided records waited, submission to decision: count and median.

    Portable SQL has no median; the database sorts by decision time and returns only the one
    or two middle rows, so this stays two small queries on any number of records.
    """
    decided = Record.objects.filter(decided_at__isnull=False)
    count = decided.count()
    if count == 0:
        return 0, None
    middle = (count - 1) // 2
    take = 1 if count % 2 else 2
    waits = list(
        decided.annotate(wait=SecondsBetween("submitted_at", "decided_at"))
        .order_by("wait", "pk")
        .values_list("wait", flat=True)[middle : middle + take]
    )
    return count, timedelta(seconds=round(pystats.median(waits)))


class SecondsBetween(Func):
    """Seconds from the first datetime column to the second, in plain SQL on each database
    (Django's generic datetime subtraction calls back into Python on SQLite, row by row)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, start: str, end: str) -> None:
        super().__init__(end, start)  # the SQL reads "end - start"

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )
