"""Reads for the statistics page: counts by outcome, status and category, submissions per ISO
week, decisions as they happened (per week, by decided outcome, by reviewer, with overrides,
approvals and send-backs), the open backlog by age, and the median time to decision.

Decisions are counted from the event trail, never from the records' current state: a record's
columns only hold its latest decision, so counting them would move a revised decision out of
the week it was first made and lose the revision. Each event at which a decision took effect
(`Event.objects.decisions()`) counts once, in its own week.

Every figure that the queue can filter on carries the queue's query-string parameters
(`params`), so the page links it to exactly those records. Every figure is aggregated by the
database, so the page costs a fixed number of queries whatever the number of records.
"""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from assessment.models import (
    DECISION_LABELS,
    DECISION_VALUES,
    EFFECTIVE_DECISION_ACTIONS,
    OPEN_STATUSES,
    OUTCOME_LABELS,
    OUTCOME_VALUES,
    TOOK_EFFECT,
    VERDICTS,
    Event,
    EventAction,
    Record,
    Status,
)
from assessment.selectors.queue import QueueFilters, apply_filters, category_choices, day_start
from assessment.services.counts import stored_counts, stored_days, stored_submission_days
from assessment.services.review import actor_label

STATS_WEEKS = 12

# The queue's query-string parameters that select a figure's records, from `QueueFilters` ({}
# when no queue filter selects them: the queue filters records as they stand now, not past
# events).
QueueParams = dict[str, str]

# Backlog age buckets, in whole days since the day of submission: (first day, last day or None
# for "and older", label). Whole days, so each bucket is exactly a submitted_from/submitted_to
# range of the queue.
AGE_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 6, "Under a week"),
    (7, 29, "1 to 4 weeks"),
    (30, 89, "1 to 3 months"),
    (90, None, "Over 3 months"),
)

# An override, as it happened: a decision that took effect replacing a definite outcome (the
# automatic one, or a decision in effect) with a different one. Since four eyes that is an
# approval; before, an "overridden" event took effect at once. A "needs review" settled by a
# decision is not an override, nor is a named ending.
OVERRIDE = Q(action=EventAction.OVERRIDDEN) | (
    Q(action=EventAction.APPROVED, from_outcome__in=VERDICTS) & ~Q(decision=F("from_outcome"))
)


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    params: QueueParams  # see QueueParams


@dataclass(frozen=True)
class Week:
    start: date
    label: str  # ISO week, e.g. "2026-W07"
    submissions: int
    # Decisions that took effect during the week, however the record stands now.
    decisions: int
    by_decision: tuple[int, ...]  # per DECISION_VALUES
    overrides: int
    approvals: int
    rejections: int

    @property
    def params(self) -> QueueParams:
        """The week's submissions in the queue."""
        return QueueFilters(
            submitted_from=self.start, submitted_to=self.start + timedelta(days=6)
        ).query()


@dataclass(frozen=True)
class ReviewerActivity:
    """What one reviewer did in the charted weeks. `decided` counts the decisions they made
    that took effect (an approved proposal counts for its proposer, the approval for the
    approver), `overrides` those of them that were overrides."""

    label: str
    decided: int
    overrides: int
    proposed: int
    approved: int
    rejected: int


@dataclass(frozen=True)
class BacklogRow:
    label: str
    submitted_from: date | None
    submitted_to: date
    per_status: tuple[Figure, ...]  # per OPEN_STATUSES
    total: int


@dataclass(frozen=True)
class Statistics:
    total: int
    by_outcome: list[tuple[str, str, int]]  # (value, label, count)
    by_status: list[tuple[str, str, int]]
    by_category: list[tuple[str, str, int]]  # (outcome id, category label, count)
    weeks: list[Week]
    decided: int  # records with a decision in effect now
    # Decisions as they happened in the charted weeks (from the event trail).
    decisions: int
    overrides: int
    approvals: int
    rejections: int
    by_decision: list[Figure]  # per DECISION_VALUES, in the charted weeks
    by_reviewer: list[ReviewerActivity]
    backlog: list[BacklogRow]
    backlog_statuses: list[tuple[str, str]]  # (status, label) of the backlog's columns
    overdue: Figure  # open records past ASSESSMENT_REVIEW_SLA_DAYS, as the queue's filter says
    # The median covers the decisions of the charted weeks: today's turnaround, not a
    # backlog from years ago (and an index range, not every decision ever made).
    median_since: date
    median_count: int
    median_decision: timedelta | None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def statistics(*, today: date | None = None) -> Statistics:
    """Counts by outcome, status and category, per-week activity, median time to decision.

    Every figure is an aggregate computed by the database, a handful of queries in all.
    """
    today = today or timezone.localdate()
    # Records by status, outcome, category and decision from the stored counts (one query of a
    # few hundred rows whatever the number of records: models/counts.py).
    by_outcome: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    per_category: dict[str, int] = defaultdict(int)
    decided_count = 0
    for (status, outcome, outcome_ids, decided), n in stored_counts().items():
        by_status[status] += n
        by_outcome[outcome] += n
        for oid in filter(None, outcome_ids.split(";")):
            per_category[oid] += n
        decided_count += n if decided else 0
    total = sum(by_status.values())

    categories = category_choices()
    first_week = _week_start(today) - timedelta(weeks=STATS_WEEKS - 1)
    since = day_start(first_week)
    if settings.TIME_ZONE == "UTC":
        # The stored submissions and events per UTC day (models/counts.py SubmissionDay,
        # EventDay): one query of a few rows per day instead of every record and decision
        # event of the charted weeks.
        submitted: dict[int, int] = defaultdict(int)
        for day, n in stored_submission_days(first_week).items():
            submitted[(day - first_week).days // 7] += n
        activity, reviewers = _from_days(first_week)
    else:  # weeks start at local midnight: count the records and events themselves
        submitted = _per_week("submitted_at", since)
        activity, reviewers = _activity_per_week(since), _by_reviewer(since)
    weeks = []
    for n in range(STATS_WEEKS):
        start = first_week + timedelta(weeks=n)
        year, week, _ = start.isocalendar()
        counts = activity.get(n, _EMPTY_WEEK)
        weeks.append(
            Week(
                start=start,
                label=f"{year}-W{week:02d}",
                submissions=submitted.get(n, 0),
                decisions=sum(counts.by_decision),
                by_decision=tuple(counts.by_decision),
                overrides=counts.overrides,
                approvals=counts.approvals,
                rejections=counts.rejections,
            )
        )
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
        decisions=sum(week.decisions for week in weeks),
        overrides=sum(week.overrides for week in weeks),
        approvals=sum(week.approvals for week in weeks),
        rejections=sum(week.rejections for week in weeks),
        by_decision=[
            Figure(DECISION_LABELS[value], sum(week.by_decision[i] for week in weeks), {})
            for i, value in enumerate(DECISION_VALUES)
        ],
        by_reviewer=reviewers,
        backlog=_backlog(today),
        backlog_statuses=[(status, Status(status).label) for status in OPEN_STATUSES],
        overdue=_overdue(),
        median_since=first_week,
        median_count=recent_decisions,
        median_decision=median,
    )


def _per_week(column: str, since: datetime) -> dict[int, int]:
    """Rows per week (0 = the week starting at `since`) by `column`, grouped by the database."""
    return dict(
        Record.objects.filter(**{f"{column}__gte": since})
        .annotate(week=WeeksSince(column, since))
        .order_by()
        .values_list("week")
        .annotate(n=Count("*"))
    )


@dataclass
class _WeekCounts:
    by_decision: list[int]
    overrides: int = 0
    approvals: int = 0
    rejections: int = 0


_EMPTY_WEEK = _WeekCounts(by_decision=[0] * len(DECISION_VALUES))


def _activity_per_week(since: datetime) -> dict[int, _WeekCounts]:
    """Per week (0 = the week starting at `since`): decisions that took effect by decided
    outcome, overrides, approvals and send-backs, from the event trail in one grouped query."""
    rows = (
        # A plain IN on the action and a range on the time: the (action, created_at) index.
        Event.objects.filter(
            action__in=[*EFFECTIVE_DECISION_ACTIONS, EventAction.REJECTED], created_at__gte=since
        )
        .annotate(week=WeeksSince("created_at", since))
        .order_by()
        .values_list("week", "decision")
        .annotate(
            decided=Count("pk", filter=TOOK_EFFECT),
            overrides=Count("pk", filter=OVERRIDE),
            approvals=Count("pk", filter=Q(action=EventAction.APPROVED)),
            rejections=Count("pk", filter=Q(action=EventAction.REJECTED)),
        )
    )
    weeks: dict[int, _WeekCounts] = {}
    for week, decision, decided, overrides, approvals, rejections in rows:
        counts = weeks.setdefault(week, _WeekCounts(by_decision=[0] * len(DECISION_VALUES)))
        if decided and decision in DECISION_VALUES:
            counts.by_decision[DECISION_VALUES.index(decision)] += decided
        counts.overrides += overrides
        counts.approvals += approvals
        counts.rejections += rejections
    return weeks


def _from_days(first_week: date) -> tuple[dict[int, _WeekCounts], list[ReviewerActivity]]:
    """`_activity_per_week` and `_by_reviewer` from the stored events per day (UTC days, so
    whole weeks from `first_week`): the same figures, from one query and the names."""
    weeks: dict[int, _WeekCounts] = {}
    figures: dict[int | None, list[int]] = defaultdict(lambda: [0] * 5)
    for (day, action, decision, override, actor, decider), n in stored_days(first_week).items():
        took_effect = action in EFFECTIVE_DECISION_ACTIONS and decision != ""
        if action != EventAction.PROPOSED:  # the weekly chart has no proposals
            counts = weeks.setdefault(
                (day - first_week).days // 7, _WeekCounts(by_decision=[0] * len(DECISION_VALUES))
            )
            if took_effect and decision in DECISION_VALUES:
                counts.by_decision[DECISION_VALUES.index(decision)] += n
            counts.overrides += n if override else 0
            counts.approvals += n if action == EventAction.APPROVED else 0
            counts.rejections += n if action == EventAction.REJECTED else 0
        if took_effect:
            figures[decider][0] += n
            figures[decider][1] += n if override else 0
        for index, counted in (
            (2, EventAction.PROPOSED),
            (3, EventAction.APPROVED),
            (4, EventAction.REJECTED),
        ):
            if action == counted:
                figures[actor][index] += n
    return weeks, _named(figures)


def _named(figures: dict[int | None, list[int]]) -> list[ReviewerActivity]:
    users = get_user_model().objects.filter(pk__in=[pk for pk in figures if pk is not None])
    names = {user.pk: actor_label(user) for user in users}
    activity = [
        ReviewerActivity(names.get(pk, "A removed account") if pk else "Unknown", *counts)
        for pk, counts in figures.items()
    ]
    return sorted(activity, key=lambda row: (-row.decided, row.label.lower()))


def _by_reviewer(since: datetime) -> list[ReviewerActivity]:
    """Per reviewer, in the charted weeks: decisions made (an approved proposal counts for the
    reviewer who proposed it, as `Record.decided_by` does), overrides among them, proposals,
    approvals and send-backs given. Two queries: the events grouped by who decided and who
    acted, then the names."""
    proposer = (
        Event.objects.filter(
            record=OuterRef("record"), action=EventAction.PROPOSED, pk__lt=OuterRef("pk")
        )
        .order_by("-pk")
        .values("actor")[:1]
    )
    four_eyes = [EventAction.PROPOSED, EventAction.REJECTED]
    rows = (
        Event.objects.filter(
            action__in=[*EFFECTIVE_DECISION_ACTIONS, *four_eyes], created_at__gte=since
        )
        .annotate(
            decider=Case(
                When(action=EventAction.APPROVED, then=Subquery(proposer)),
                default=F("actor"),
                output_field=IntegerField(),
            )
        )
        # "+ 0": grouping on the bare column lets SQLite walk the actor index over every
        # event instead of the (action, created_at) range.
        .annotate(acting=ExpressionWrapper(F("actor") + 0, output_field=IntegerField()))
        .order_by()
        .values_list("decider", "acting")
        .annotate(
            decided=Count("pk", filter=TOOK_EFFECT),
            overrides=Count("pk", filter=OVERRIDE),
            proposed=Count("pk", filter=Q(action=EventAction.PROPOSED)),
            approved=Count("pk", filter=Q(action=EventAction.APPROVED)),
            rejected=Count("pk", filter=Q(action=EventAction.REJECTED)),
        )
    )
    figures: dict[int | None, list[int]] = defaultdict(lambda: [0] * 5)
    for decider, actor, decided, overrides, proposed, approved, rejected in rows:
        if decided:
            figures[decider][0] += decided
            figures[decider][1] += overrides
        if proposed or approved or rejected:
            for index, n in ((2, proposed), (3, approved), (4, rejected)):
                figures[actor][index] += n
    return _named(figures)


def _overdue() -> Figure:
    """Counted by the queue's own overdue filter, so the figure and its link cannot differ."""
    filters = QueueFilters(overdue=True)
    records = apply_filters(Record.objects.all(), user=AnonymousUser(), filters=filters)
    return Figure("Overdue", records.count(), filters.query())


def age_bucket_dates(today: date, first: int, last: int | None) -> tuple[date | None, date]:
    """The submission days (from, to; inclusive) of records `first` to `last` days old."""
    return (today - timedelta(days=last) if last is not None else None), today - timedelta(
        days=first
    )


def _backlog(today: date) -> list[BacklogRow]:
    """Open records by age since submission and status, in one grouped query. Ages are whole
    days since the day of submission, so each bucket is a submitted_from/submitted_to range."""
    bucket = Case(
        *[
            When(submitted_at__gte=day_start(today - timedelta(days=last)), then=Value(index))
            for index, (_, last, _) in enumerate(AGE_BUCKETS)
            if last is not None
        ],
        default=Value(len(AGE_BUCKETS) - 1),
        output_field=IntegerField(),
    )
    counts = dict(
        ((index, status), n)
        for index, status, n in Record.objects.filter(status__in=OPEN_STATUSES)
        .annotate(bucket=bucket)
        .order_by()
        .values_list("bucket", "status")
        .annotate(n=Count("*"))
    )
    backlog = []
    for index, (first, last, label) in enumerate(AGE_BUCKETS):
        start, end = age_bucket_dates(today, first, last)
        cells = tuple(
            Figure(
                Status(status).label,
                counts.get((index, status), 0),
                QueueFilters(status=status, submitted_from=start, submitted_to=end).query(),
            )
            for status in OPEN_STATUSES
        )
        backlog.append(
            BacklogRow(
                label=label,
                submitted_from=start,
                submitted_to=end,
                per_status=cells,
                total=sum(cell.count for cell in cells),
            )
        )
    return backlog


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
        # date_part gives the seconds as a double at once; EXTRACT computes them as a numeric
        # first: twice as slow over the 84,000 decisions of 12 weeks at a million records.
        return self.as_sql(
            compiler,
            connection,
            template="date_part('epoch', %(expressions)s)",
            arg_joiner=" - ",
            **extra,
        )
