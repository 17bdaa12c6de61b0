"""Reads for the reviewers' dashboard: the filtered queue, its counts, a record's trail.
(Statistics: `selectors.stats`.)

`filter_queue` is shared: the queue page, the CSV/JSON exports and the PDF ZIP export all take
the same query-string parameters, so "what I see" is "what I export".

The outcome filter is on the *automatic* outcome (what the questionnaire decided), like the
category filter and the queue's outcome column; the reviewer's decision shows beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from assessment.models import (
    OPEN_STATUSES,
    OUTCOME_LABELS,
    OUTCOME_VALUES,
    Event,
    EventAction,
    Record,
    Status,
)
from assessment.questionnaire import available_versions, load

SEARCH_MAX_LENGTH = 200

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
    for version in available_versions():
        for outcome in load(version).outcomes.values():
            labels[outcome.id] = f"{outcome.category} ({OUTCOME_LABELS[outcome.kind].lower()})"
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
    rereview: bool = False  # only records with a re-review opened under a newer version
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

    def pick(name: str, allowed: Container[str]) -> str:
        value = (params.get(name) or "").strip()
        if value and value not in allowed:
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
        rereview=(params.get("rereview") or "").strip().lower() in {"1", "on", "true", "yes"},
        q=(params.get("q") or "").strip()[:SEARCH_MAX_LENGTH],
        sort=sort,
        ignored=tuple(ignored),
    )


def day_start(day: date) -> datetime:
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
    user: User | AnonymousUser,
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
        queryset = queryset.filter(submitted_at__gte=day_start(params.submitted_from))
    # Inclusive: the whole "to" day counts. The last representable day has no "next day"
    # (date.max + 1 overflows), and every record is before it anyway.
    if params.submitted_to and params.submitted_to < date.max:
        end = day_start(params.submitted_to + timedelta(days=1))
        queryset = queryset.filter(submitted_at__lt=end)
    if params.version:
        queryset = queryset.filter(questionnaire_version=params.version)
    if params.mine:
        queryset = queryset.filter(assigned_to=user.pk if user.is_authenticated else None)
    if params.rereview:
        reopened = Event.objects.filter(record=OuterRef("pk"), action=EventAction.REREVIEW_OPENED)
        queryset = queryset.filter(Exists(reopened))
    if params.q:
        queryset = queryset.filter(_search(params.q))
    return queryset


def order_queue(queryset: QuerySet[Record], sort: str) -> QuerySet[Record]:
    if sort == "priority":
        return queryset.order_by(_priority(), "-submitted_at", "-pk")
    return queryset.order_by(*SORTS[sort][1])


def filter_queue(*, user: User | AnonymousUser, params: Mapping[str, str]) -> QuerySet[Record]:
    """The records matching the queue's query-string `params`, in the queue's order.

    Parameters: status, outcome (automatic), category (an outcome id), submitted_from and
    submitted_to (YYYY-MM-DD, inclusive), version, mine (assigned to `user`), q (words, each
    matched in reference, name, email, organisation, project name or description), sort.
    Callers must have checked that `user` is a reviewer.
    """
    parsed = parse_queue_params(params)
    queryset = apply_filters(Record.objects.all(), user=user, params=parsed)
    return order_queue(queryset, parsed.sort)


@dataclass(frozen=True)
class QueueCounts:
    """Counts for the queue under its filters: per status (ignoring the status filter, for the
    status tabs), and the number of matching records (with it)."""

    per_status: dict[str, int]
    matching: int
    # Matching records per priority group (see _priority), in priority order.
    groups: tuple[int, int, int]


def _group_of(status: str, outcome: str) -> int:
    if status in OPEN_STATUSES:
        return 0 if outcome == "review" else 1
    return 2


_GROUP_FILTERS = (
    Q(status__in=OPEN_STATUSES, outcome="review"),
    Q(status__in=OPEN_STATUSES) & ~Q(outcome="review"),
    ~Q(status__in=OPEN_STATUSES),
)


def queue_counts(*, user: User | AnonymousUser, params: Mapping[str, str]) -> QueueCounts:
    """Every count the queue page shows, from one grouped query."""
    parsed = parse_queue_params(params)
    queryset = apply_filters(Record.objects.all(), user=user, params=parsed, with_status=False)
    rows = queryset.order_by().values_list("status", "outcome").annotate(n=Count("*"))
    per_status = dict.fromkeys(Status.values, 0)
    groups = [0, 0, 0]
    for status, outcome, n in rows:
        per_status[status] = per_status.get(status, 0) + n
        if not parsed.status or status == parsed.status:
            groups[_group_of(status, outcome)] += n
    return QueueCounts(
        per_status=per_status, matching=sum(groups), groups=(groups[0], groups[1], groups[2])
    )


def queue_page(
    *,
    user: User | AnonymousUser,
    params: Mapping[str, str],
    counts: QueueCounts,
    offset: int,
    limit: int,
) -> list[Record]:
    """One page of the queue, in two queries whatever the number of records.

    The page's ids come first, from narrow indexed columns; then only those rows are read,
    without their payloads, with their assignee. In the default order, the priority group
    sizes (from `queue_counts`) say which groups the page falls in, so the database orders
    only those records by date instead of ranking every record.
    """
    parsed = parse_queue_params(params)
    queryset = apply_filters(Record.objects.all(), user=user, params=parsed)
    if parsed.sort != "priority":
        ids_query = order_queue(queryset, parsed.sort)[offset : offset + limit]
    else:
        starts = list(itertools.accumulate(counts.groups, initial=0))
        wanted = [
            group
            for group in range(3)
            if counts.groups[group]
            and starts[group] < offset + limit
            and offset < starts[group + 1]
        ] or [0]
        first = wanted[0]
        condition = Q()
        for group in wanted:
            condition |= _GROUP_FILTERS[group]
        within = offset - starts[first]
        ordered = queryset.filter(condition)
        if len(wanted) == 1:
            ordered = ordered.order_by("-submitted_at", "-pk")
        else:
            ordered = order_queue(ordered, "priority")
        ids_query = ordered[within : within + limit]
    ids = list(ids_query.values_list("pk", flat=True))
    rows = Record.objects.filter(pk__in=ids).select_related("assigned_to").defer(*QUEUE_DEFERRED)
    by_id = {record.pk: record for record in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def record_trail(record: Record) -> list[Event]:
    """The record's audit trail, oldest first."""
    return list(Event.objects.filter(record=record).order_by("created_at", "pk"))


# The queue's priority order as an expression, for callers that paginate by it (the API's cursor).
priority_rank = _priority
