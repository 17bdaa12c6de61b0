"""Reads for the reviewers' dashboard: the filtered queue, its counts, a record's trail.
(Statistics: `selectors.stats`.)

Every selector here takes a `QueueFilters`, which only `forms.queue.QueueFilterForm` builds from
a query string: the queue page, the CSV/JSON exports, the PDF ZIP export and the API parse the
same parameters the same way, so "what I see" is "what I export".

The outcome filter is on the *automatic* outcome (what the questionnaire decided), like the
category filter and the queue's outcome column; the reviewer's decision shows beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from assessment.models import (
    OPEN_STATUSES,
    OUTCOME_LABELS,
    Event,
    EventAction,
    Record,
    RecordCount,
    Status,
    queue_priority,
)
from assessment.questionnaire import available_versions, load
from assessment.search import fold

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 8

SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Within each priority group (see queue_priority()), the longest waiting first.
    "priority": ("Needs review first, then oldest", ("queue_rank", "submitted_at", "pk")),
    "newest": ("Newest first", ("-submitted_at", "-pk")),
    "oldest": ("Oldest first", ("submitted_at", "pk")),
    "reference": ("Reference", ("reference",)),
    "status": ("Status", ("status", "-submitted_at", "-pk")),
}
DEFAULT_SORT = "priority"
# The queue's columns; the payload and engine answers are kilobytes per row and not shown.
QUEUE_DEFERRED = ("payload", "answers", "project_description", "token", "search_text")


@cache
def category_choices() -> tuple[tuple[str, str], ...]:
    """(outcome id, "Category (kind)") for every outcome of every version, latest label wins."""
    labels: dict[str, str] = {}
    for version in available_versions():
        for outcome in load(version).outcomes.values():
            labels[outcome.id] = f"{outcome.category} ({OUTCOME_LABELS[outcome.kind].lower()})"
    return tuple(sorted(labels.items(), key=lambda item: item[1].lower()))


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, already validated: built only by `forms.queue.QueueFilterForm` (the
    one parser of the query string), and taken by every selector here, so the queue page, the
    exports, the record page's neighbours and the API filter alike."""

    status: str = ""
    outcome: str = ""
    category: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    version: str = ""
    mine: bool = False
    rereview: bool = False  # only records with a re-review opened under a newer version
    overdue: bool = False  # only open records submitted more than the SLA's days ago
    q: str = ""
    sort: str = DEFAULT_SORT

    def query(self) -> dict[str, str]:
        """The filters as query-string parameters, leaving out the defaults: what links that
        keep the filters (record pages, saved filters, exports) carry."""
        query: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value == item.default:
                continue
            if isinstance(value, bool):
                query[item.name] = "1"
            elif isinstance(value, date):
                query[item.name] = value.isoformat()
            else:
                query[item.name] = str(value)
        return query

    def querystring(self) -> str:
        return urlencode(self.query())


def sla_cutoff(now: datetime | None = None) -> datetime:
    """An open record submitted before this is overdue (ASSESSMENT_REVIEW_SLA_DAYS)."""
    return (now or timezone.now()) - timedelta(days=settings.ASSESSMENT_REVIEW_SLA_DAYS)


def is_overdue(record: Record, cutoff: datetime) -> bool:
    return record.status in OPEN_STATUSES and record.submitted_at < cutoff


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _search(q: str) -> Q:
    """Every word (folded as the records' `search_text` is) must occur in it. A plain
    `contains`, not `icontains`: the text is already folded, and on PostgreSQL `icontains`
    would wrap the column in UPPER(), which the trigram index on it cannot serve."""
    condition = Q()
    for term in fold(q).split()[:SEARCH_MAX_WORDS]:
        condition &= Q(search_text__contains=term)
    return condition


def apply_filters(
    queryset: QuerySet[Record],
    *,
    user: User | AnonymousUser,
    filters: QueueFilters,
    with_status: bool = True,
) -> QuerySet[Record]:
    if filters.status and with_status:
        queryset = queryset.filter(status=filters.status)
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    if filters.category:
        queryset = queryset.filter(outcome_ids__contains=f";{filters.category};")
    if filters.submitted_from:
        queryset = queryset.filter(submitted_at__gte=day_start(filters.submitted_from))
    # Inclusive: the whole "to" day counts. The last representable day has no "next day"
    # (date.max + 1 overflows), and every record is before it anyway.
    if filters.submitted_to and filters.submitted_to < date.max:
        end = day_start(filters.submitted_to + timedelta(days=1))
        queryset = queryset.filter(submitted_at__lt=end)
    if filters.version:
        queryset = queryset.filter(questionnaire_version=filters.version)
    if filters.mine:
        queryset = queryset.filter(assigned_to=user.pk if user.is_authenticated else None)
    if filters.rereview:
        reopened = Event.objects.filter(record=OuterRef("pk"), action=EventAction.REREVIEW_OPENED)
        queryset = queryset.filter(Exists(reopened))
    if filters.overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, submitted_at__lt=sla_cutoff())
    if filters.q:
        queryset = queryset.filter(_search(filters.q))
    return queryset


def order_queue(queryset: QuerySet[Record], sort: str) -> QuerySet[Record]:
    if sort == "priority":
        queryset = queryset.annotate(queue_rank=queue_priority())
    return queryset.order_by(*SORTS[sort][1])


def neighbours(
    *, user: User | AnonymousUser, filters: QueueFilters, record: Record
) -> tuple[str | None, str | None]:
    """The references just before and just after `record` in the filtered queue's order (two
    queries, each one row), for the record page's previous / next links. The record need not
    match the filters any more (it may have been decided since): its place in the order is
    where its sort keys put it."""
    queryset = order_queue(
        apply_filters(Record.objects.all(), user=user, filters=filters), filters.sort
    )
    keys = SORTS[filters.sort][1]
    values = {
        "queue_rank": _group_of(record.status, record.outcome),
        "submitted_at": record.submitted_at,
        "pk": record.pk,
        "reference": record.reference,
        "status": record.status,
    }

    def beyond(forward: bool) -> Q:
        # Keyset comparison over the sort keys: the first differing key decides.
        condition, equal = Q(), Q()
        for key in keys:
            name = key.lstrip("-")
            after = key.startswith("-") != forward
            lookup = "gt" if after else "lt"
            condition |= equal & Q(**{f"{name}__{lookup}": values[name]})
            equal &= Q(**{name: values[name]})
        return condition

    backwards = [key[1:] if key.startswith("-") else f"-{key}" for key in keys]
    after = queryset.filter(beyond(True)).values_list("reference", flat=True).first()
    before = (
        queryset.filter(beyond(False))
        .order_by(*backwards)
        .values_list("reference", flat=True)
        .first()
    )
    return before, after


def filter_queue(*, user: User | AnonymousUser, filters: QueueFilters) -> QuerySet[Record]:
    """The records matching `filters`, in the queue's order (`mine`: assigned to `user`).
    Callers must have checked that `user` is a reviewer."""
    queryset = apply_filters(Record.objects.all(), user=user, filters=filters)
    return order_queue(queryset, filters.sort)


@dataclass(frozen=True)
class QueueCounts:
    """Counts for the queue under its filters: per status (ignoring the status filter, for the
    status tabs), and the number of matching records (with it).

    Exact, except when the filters go beyond a status and an outcome (a search, dates, a
    category...) and more records match than `ASSESSMENT_QUEUE_COUNT_LIMIT`: counting every
    one of 50,000 records that contain a common surname reads each of their rows, hundreds of
    milliseconds at a million records (issue 15). Then a count nobody took is None, never a
    guess: `total` (every status) and the other tabs' counts, and `matching` and `groups` too
    when the status asked for (or every status) has more than the limit. The page says "more
    than" and lists the first `limit` records in order."""

    per_status: dict[str, int | None]
    matching: int | None
    # Matching records per priority group (see `queue_priority`), in priority order.
    groups: tuple[int, int, int] | None
    limit: int

    @property
    def total(self) -> int | None:
        """Every status's records, when each was counted."""
        counted = [n for n in self.per_status.values() if n is not None]
        return sum(counted) if len(counted) == len(self.per_status) else None

    @property
    def listed(self) -> int:
        """How many records the pages go through: every match, or the first `limit`."""
        return self.limit if self.matching is None else self.matching


def _group_of(status: str, outcome: str) -> int:
    if status in OPEN_STATUSES:
        return 0 if outcome == "review" else 1
    return 2


_GROUP_FILTERS = (
    Q(status__in=OPEN_STATUSES, outcome="review"),
    Q(status__in=OPEN_STATUSES) & ~Q(outcome="review"),
    ~Q(status__in=OPEN_STATUSES),
)


def _possible_groups(filters: QueueFilters) -> set[int]:
    """The priority groups a record matching the filters' status and outcome can be in."""
    statuses = [filters.status] if filters.status else Status.values
    outcomes = [filters.outcome] if filters.outcome else ["review", "other"]
    return {_group_of(status, outcome) for status in statuses for outcome in outcomes}


def _by_state_only(filters: QueueFilters) -> bool:
    """Whether the filters name at most a status and an outcome (and an order)."""
    return filters == replace(
        QueueFilters(), status=filters.status, outcome=filters.outcome, sort=filters.sort
    )


def queue_counts(*, user: User | AnonymousUser, filters: QueueFilters) -> QueueCounts:
    """Every count the queue page shows, from one query: of the stored counts per status and
    outcome (`models.counts`, a few rows whatever the number of records) when the filters are
    at most a status and an outcome, else of the matching records, up to the count limit."""
    limit = settings.ASSESSMENT_QUEUE_COUNT_LIMIT
    if _by_state_only(filters):
        stored = RecordCount.objects.all()
        if filters.outcome:
            stored = stored.filter(outcome=filters.outcome)
        rows = stored.order_by().values_list("status", "outcome").annotate(total=Sum("n"))
        return _exact_counts(rows, filters, limit)
    everywhere, in_status = _sampled_states(user, filters, limit)
    if len(everywhere) <= limit:
        return _exact_counts(
            ((status, outcome, 1) for status, outcome in everywhere), filters, limit
        )
    # More match than the limit: only the status asked for may still be counted in full.
    matching = in_status if filters.status else everywhere
    per_status: dict[str, int | None] = dict.fromkeys(Status.values)
    if len(matching) > limit:
        return QueueCounts(per_status=per_status, matching=None, groups=None, limit=limit)
    counted = _exact_counts(((status, outcome, 1) for status, outcome in matching), filters, limit)
    per_status[filters.status] = counted.matching
    return replace(counted, per_status=per_status)


def _exact_counts(
    rows: Iterable[tuple[str, str, int]], filters: QueueFilters, limit: int
) -> QueueCounts:
    per_status: dict[str, int | None] = dict.fromkeys(Status.values, 0)
    groups = [0, 0, 0]
    for status, outcome, n in rows:
        per_status[status] = (per_status.get(status) or 0) + n
        if not filters.status or status == filters.status:
            groups[_group_of(status, outcome)] += n
    return QueueCounts(
        per_status=per_status,
        matching=sum(groups),
        groups=(groups[0], groups[1], groups[2]),
        limit=limit,
    )


def _sampled_states(
    user: User | AnonymousUser, filters: QueueFilters, limit: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (status, outcome) of at most `limit` + 1 records matching the filters without their
    status, and, when a status is asked for, of at most `limit` + 1 with it: one statement (a
    UNION ALL of the two samples), each sample stopping at its limit."""
    everywhere = apply_filters(Record.objects.all(), user=user, filters=filters, with_status=False)
    samples = [everywhere]
    if filters.status:
        samples.append(everywhere.filter(status=filters.status))
    parts: list[str] = []
    params: list[Any] = []
    for number, sample in enumerate(samples):
        sql, sample_params = (
            sample.order_by().values_list("status", "outcome")[: limit + 1].query.sql_with_params()
        )
        # A derived table around each sample: SQLite allows no LIMIT in a UNION's own branches.
        parts.append(f"SELECT {number}, sample.* FROM ({sql}) AS sample")  # noqa: S608
        params.extend(sample_params)
    found: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for number, status, outcome in cursor.fetchall():
            found[number].append((status, outcome))
    return found


def queue_page(
    *,
    user: User | AnonymousUser,
    filters: QueueFilters,
    counts: QueueCounts,
    offset: int,
    limit: int,
) -> list[QueueRow]:
    """One page of the queue, in two queries whatever the number of records.

    The page's ids come first, from narrow indexed columns; then only those rows are read,
    without their payloads, with their assignee and, from their trail, the times of the last
    event, the last reviewer action and the last reply (one subquery each, per row of the
    page). In the default order, the priority group
    sizes (from `queue_counts`) say which groups the page falls in, so the database orders
    only those records by date instead of ranking every record. When more match than were
    counted, the filters say which groups can match: one, and it is ordered by date; more, and
    the order comes from the index on it (`record_priority_order`).
    """
    queryset = apply_filters(Record.objects.all(), user=user, filters=filters)
    if filters.sort != "priority":
        ids_query = order_queue(queryset, filters.sort)[offset : offset + limit]
    elif counts.groups is None:
        if len(_possible_groups(filters)) == 1:
            ordered = queryset.order_by("submitted_at", "pk")
        else:
            ordered = order_queue(queryset, "priority")
        ids_query = ordered[offset : offset + limit]
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
            ordered = ordered.order_by("submitted_at", "pk")
        else:
            ordered = order_queue(ordered, "priority")
        ids_query = ordered[within : within + limit]
    ids = list(ids_query.values_list("pk", flat=True))
    rows = (
        Record.objects.filter(pk__in=ids)
        .select_related("assigned_to")
        .defer(*QUEUE_DEFERRED)
        .annotate(
            last_activity_at=_latest_event(),
            last_reviewer_at=_latest_event(~Q(action__in=RESPONDENT_ACTIONS)),
            last_reply_at=_latest_event(Q(action=EventAction.RESPONDENT_REPLIED)),
        )
    )
    cutoff = sla_cutoff()
    by_id = {
        record.pk: QueueRow(
            record=record,
            last_activity_at=record.last_activity_at or record.submitted_at,
            overdue=is_overdue(record, cutoff),
            # The respondent wrote after the last thing a reviewer did: someone should read it.
            replied=record.last_reply_at is not None
            and (record.last_reviewer_at is None or record.last_reply_at > record.last_reviewer_at),
        )
        for record in rows
    }
    return [by_id[pk] for pk in ids if pk in by_id]


# Events the respondent's side writes; every other event is a reviewer's action.
RESPONDENT_ACTIONS = (EventAction.SUBMITTED, EventAction.RESPONDENT_REPLIED)


def _latest_event(condition: Q | None = None) -> Subquery:
    events = Event.objects.filter(record=OuterRef("pk"))
    if condition is not None:
        events = events.filter(condition)
    return Subquery(events.order_by("-created_at", "-pk").values("created_at")[:1])


@dataclass(frozen=True)
class QueueRow:
    """A record on the queue page, with what triage needs to see about it."""

    record: Record
    last_activity_at: datetime
    overdue: bool
    replied: bool


def record_trail(record: Record) -> list[Event]:
    """The record's audit trail, oldest first."""
    return list(Event.objects.filter(record=record).order_by("created_at", "pk"))
