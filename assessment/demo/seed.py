"""Realistic demo assessments, fast enough for 100,000 (`manage.py seed_demo`, the benchmark).

Every record is what a real submission would have stored: the answers of a real path through
the questionnaire, evaluated by the engine, and a record built by `submission.new_record`
with its true SHA-256 and keyed seal, its events in the hash chain, so integrity checks pass.
Forked workers build batches of rows (plans, payloads, hashes, seals, the rows themselves:
assessment/demo/bulk.py) while one process writes them, PostgreSQL's COPY (executemany
elsewhere), and chains their events as `integrity.chain_events` always does, all in one
transaction; a large seeding rebuilds the tables' secondary indexes once at the end instead of
updating them row by row. The case state and the events follow a plausible review (assigned,
questions asked, confirmed or overridden, closed) with timestamps in order: recent records are
often still open, older ones almost all decided or closed.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections, reset_queries, transaction
from django.utils import timezone

from assessment import engine
from assessment.demo import bulk
from assessment.demo.vocabulary import (
    FIRST,
    JUSTIFICATIONS,
    LAST,
    ORGANISATIONS,
    PROJECTS,
    QUESTIONS,
    REPLIES,
    TEXT_ANSWERS,
)
from assessment.integrity.hashing import EVENT_FIELDS, RECORD_FIELDS
from assessment.models import (
    ChainEntry,
    Draft,
    Event,
    EventAction,
    Record,
    ReferenceCounter,
    Status,
    new_token,
)
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.references import format_reference
from assessment.roles import REVIEWERS_GROUP
from assessment.services import counts
from assessment.services.accounts import create_reviewer
from assessment.services.integrity import Link, chain_links
from assessment.services.review import actor_label
from assessment.services.submission import new_record, submitted_event

BATCH_SIZE = 5000
# From this many records, drop the secondary indexes and foreign keys while seeding and build
# them once at the end (bulk.rebuilt_indexes): faster than updating them a row at a time.
REBUILD_INDEXES_FROM = 50_000
PATHS_PER_OUTCOME = 12
KIND_WEIGHTS = {"permitted": 35, "review": 40, "prohibited": 25}
# Where a case ends up, in the order of the weights _plan draws with (Status's own order).
STATUSES = list(Status)
DEMO_REVIEWERS = ("demo.alex", "demo.sam")


@contextmanager
def timestamps_as_given() -> Iterator[None]:
    """Let bulk_create keep the timestamps we set: auto_now(_add) would overwrite them with
    "now", and demo data spread over months is the point."""
    fields = [
        Draft._meta.get_field("created_at"),
        Draft._meta.get_field("updated_at"),
        Event._meta.get_field("created_at"),
    ]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def path_pool(version: str = CURRENT_VERSION) -> dict[str, list[engine.Evaluation]]:
    """Complete evaluations per outcome kind, a few for each deciding outcome, with realistic
    text in the text answers (re-evaluated by the engine, so labels match)."""
    questionnaire = load(version)
    by_outcome: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rng = random.Random(version)  # noqa: S311 - demo data, reproducible on purpose
    # One option per multiple choice: v2 has too many combinations to walk, and each finding
    # is still reached.
    for evaluation in engine.enumerate_paths(questionnaire, combinations=False):
        assert evaluation.result is not None
        key = evaluation.result.outcomes[0].id
        bucket = by_outcome[key]
        if len(bucket) < PATHS_PER_OUTCOME:
            bucket.append(evaluation.answers)
        elif rng.random() < 0.01:  # keep some variety from later branches too
            bucket[rng.randrange(len(bucket))] = evaluation.answers
    pool: dict[str, list[engine.Evaluation]] = defaultdict(list)
    for answers_list in by_outcome.values():
        for answers in answers_list:
            answers = {
                qid: rng.choice(TEXT_ANSWERS[qid]) if qid in TEXT_ANSWERS else value
                for qid, value in answers.items()
            }
            evaluation = engine.evaluate(questionnaire, answers)
            if evaluation.complete and evaluation.result is not None:
                pool[evaluation.result.kind].append(evaluation)
    return dict(pool)


@dataclass
class _Plan:
    """One demo assessment before it is written."""

    submitted_at: datetime
    evaluation: engine.Evaluation
    status: str
    events: list[dict[str, Any]]
    assigned_to: Any = None
    decided_outcome: str | None = None
    decided_at: datetime | None = None
    decided_by: Any = None
    proposed_outcome: str | None = None
    proposed_by: Any = None
    proposed_at: datetime | None = None
    approved_by: Any = None
    closed_by: Any = None
    closed_at: datetime | None = None
    close_reason: str = ""


def _reviewers() -> list[Any]:
    users = list(get_user_model().objects.filter(groups__name=REVIEWERS_GROUP).order_by("pk"))
    if not users:
        users = [
            create_reviewer(username=name, email="", password=None)[0] for name in DEMO_REVIEWERS
        ]
    return users


def _plan_case(
    rng: random.Random,
    submitted_at: datetime,
    evaluation: engine.Evaluation,
    reviewers: list[Any],
    now: datetime,
) -> _Plan:
    assert evaluation.result is not None
    outcome = evaluation.result.kind
    plan = _Plan(submitted_at=submitted_at, evaluation=evaluation, status=Status.NEW, events=[])
    age = now - submitted_at
    if age < timedelta(days=2):
        target = rng.choices([Status.NEW, Status.IN_REVIEW], weights=[80, 20])[0]
    elif age > timedelta(days=60):
        # Old cases are nearly all settled: a modest backlog, as in a working service.
        target = rng.choices(STATUSES, weights=[0.2, 0.4, 0.3, 0.1, 64, 35])[0]
    else:
        target = rng.choices(STATUSES, weights=[8, 12, 10, 6, 44, 20])[0]
    clock = submitted_at

    def later(max_hours: float) -> datetime:
        nonlocal clock
        span = min(timedelta(hours=max_hours), (now - clock) / 3)
        clock = clock + span * rng.uniform(0.05, 1.0)
        return clock

    def event(
        action: str,
        to_status: str,
        *,
        actor: Any,
        note: str = "",
        to_outcome: str | None = None,
        decision: str = "",
    ) -> None:
        plan.events.append(
            {
                "created_at": later(72),
                "actor": actor,
                "actor_label": actor_label(actor) if actor is not None else "Respondent",
                "action": action,
                "from_status": plan.status,
                "to_status": to_status,
                "from_outcome": plan.decided_outcome or outcome,
                "to_outcome": to_outcome or plan.decided_outcome or outcome,
                "note": note,
                "audience": "internal" if note and actor is not None else "",
                "decision": decision,
            }
        )
        plan.status = to_status

    if target == Status.NEW:
        return plan
    reviewer = rng.choice(reviewers)
    plan.assigned_to = reviewer
    event(EventAction.ASSIGNED, Status.IN_REVIEW, actor=reviewer)

    def propose(decision: str) -> None:
        """A decision proposed for a second reviewer, with its justification."""
        note = rng.choice(JUSTIFICATIONS)
        event(
            EventAction.PROPOSED,
            Status.PENDING_APPROVAL,
            actor=reviewer,
            note=note,
            decision=decision,
        )

    asks = target == Status.AWAITING_RESPONDENT or (outcome == "review" and rng.random() < 0.4)
    if asks:
        which = rng.randrange(len(QUESTIONS))
        event(
            EventAction.INFO_REQUESTED,
            Status.AWAITING_RESPONDENT,
            actor=reviewer,
            note=QUESTIONS[which],
        )
        if target == Status.AWAITING_RESPONDENT:
            return plan
        event(EventAction.RESPONDENT_REPLIED, Status.IN_REVIEW, actor=None, note=REPLIES[which])
    if target == Status.IN_REVIEW:
        return plan
    if target == Status.PENDING_APPROVAL:
        # A proposal waiting for a second reviewer: an override, or "permitted" for review.
        new = "permitted" if outcome != "permitted" else "prohibited"
        propose(new)
        plan.proposed_outcome, plan.proposed_by, plan.proposed_at = new, reviewer, clock
        return plan
    withdrawn = target == Status.CLOSED and rng.random() < 0.15
    if not withdrawn:
        # As services/review.py would: "needs review" is settled either way; a definite
        # result is confirmed or (rarely) overridden; anything ending permitted that the
        # questionnaire did not say, and every override, is approved by a second reviewer.
        if outcome == "review":
            new = rng.choice(["permitted", "prohibited"])
        elif rng.random() < 0.08:
            new = "prohibited" if outcome == "permitted" else "permitted"
        else:
            new = outcome
        approver = next((r for r in reviewers if r != reviewer), None)
        needs_approval = new != outcome and (outcome != "review" or new == "permitted")
        if needs_approval and approver is not None:
            propose(new)
            event(
                EventAction.APPROVED,
                Status.DECIDED,
                actor=approver,
                to_outcome=new,
                decision=new,
            )
            plan.approved_by = approver
        elif needs_approval:
            new = "prohibited" if outcome == "review" else outcome
        if not (needs_approval and approver is not None):
            action = EventAction.CONFIRMED if new == outcome else EventAction.DECIDED
            event(action, Status.DECIDED, actor=reviewer, to_outcome=new, decision=new)
        plan.decided_outcome = new
        plan.decided_by = reviewer
        plan.decided_at = clock
    if target == Status.CLOSED:
        ending = "withdrawn" if withdrawn else ""
        event(
            EventAction.CLOSED,
            Status.CLOSED,
            actor=reviewer,
            note="Withdrawn by the respondent." if withdrawn else "Decided; nothing more to do.",
            to_outcome=ending or None,
            decision=ending,
        )
        if withdrawn:
            plan.decided_outcome = ending
            plan.decided_by = reviewer
            plan.decided_at = clock
        plan.closed_by = reviewer
        plan.closed_at = clock
        plan.close_reason = plan.events[-1]["note"]
    return plan


@dataclass(frozen=True)
class _Batch:
    """What one worker builds: consecutive submissions, with the references and ids reserved
    for them."""

    index: int
    times: list[datetime]
    references: list[str]
    draft_ids: list[int]
    record_ids: list[int]


@dataclass
class _Built:
    """A batch's rows, ready to write (bulk.rows), and what the chain covers of each event.
    Events get their ids from the writer (`EVENT_ID` in each row, "id" in each link)."""

    drafts: list[bulk.Row]
    records: list[bulk.Row]
    events: list[bulk.Row]
    links: list[tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class _Context:
    seed: int
    now: datetime
    pool: dict[str, list[engine.Evaluation]]
    reviewers: list[Any]


# Set before the workers fork, so each has it without pickling it for every batch.
_CONTEXT: _Context | None = None
EVENT_ID = [field.attname for field in Event._meta.concrete_fields].index("id")


def seed_assessments(
    *,
    count: int,
    seed: int = 2026,
    days: int = 180,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    rebuild_indexes: bool | None = None,
) -> int:
    """Create `count` submitted assessments spread over the last `days` days. Returns count.

    Building a batch (plans, payloads, hashes, seals, rows) is most of the work and needs no
    database: with `workers` > 1 (default: one per CPU for 20,000 or more, outside a
    transaction) forked processes build batches while this one writes them and chains their
    events, in order, so the chain and the references follow submission time as they would.
    Everything is written in one transaction: all or nothing. `rebuild_indexes` (default: from
    REBUILD_INDEXES_FROM records, PostgreSQL) locks the tables until it commits.
    """
    global _CONTEXT
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    now = now or timezone.now()
    span = timedelta(days=days).total_seconds()
    times = sorted(now - timedelta(seconds=rng.uniform(60, span)) for _ in range(count))
    if workers is None:
        workers = (os.cpu_count() or 1) if count >= 20_000 else 1
    if connection.in_atomic_block:
        workers = 1  # a forked worker must not share a connection in a transaction
    if rebuild_indexes is None:
        rebuild_indexes = count >= REBUILD_INDEXES_FROM
    _CONTEXT = _Context(seed=seed, now=now, pool=path_pool(), reviewers=_reviewers())
    done = 0
    try:
        # The workers fork first (with the timestamps as given, and no open connection), then
        # this process opens the one transaction everything is written in.
        with timestamps_as_given(), _builder(workers) as build, transaction.atomic():
            bulk.compress_quickly()
            references = _reserve_references(times)
            ids = bulk.Ids()
            batches = (
                _Batch(
                    index,
                    times[start : start + batch_size],
                    references[start : start + batch_size],
                    ids.take(Draft, len(references[start : start + batch_size])),
                    ids.take(Record, len(references[start : start + batch_size])),
                )
                for index, start in enumerate(range(0, count, batch_size))
            )
            tables = [Draft, Record, Event, ChainEntry]
            # Kept: the event-day trigger looks up a record's proposal by it (migration 0017).
            keep = [(Event, "record_id")]
            with bulk.rebuilt_indexes(tables, keep) if rebuild_indexes else nullcontext():
                for built in build(batches):
                    _write_batch(built, ids)
                    reset_queries()  # under DEBUG, every batch's SQL would be kept in memory
                    done += len(built.records)
                    if progress:
                        progress(done)
    finally:
        _CONTEXT = None
    counts.compact()  # the triggers appended a row per state per batch
    _refresh_planner_statistics()
    return done


@contextmanager
def _builder(workers: int) -> Iterator[Callable[[Iterator[_Batch]], Iterator[_Built]]]:
    """A function building batches in order: here, or by forked workers, a few batches ahead
    at most (so memory stays flat however many records)."""
    if workers <= 1:
        yield lambda batches: map(_build_batch, batches)
        return
    connections.close_all()  # the children must not inherit an open connection
    with multiprocessing.get_context("fork").Pool(workers) as pool:

        def build(batches: Iterator[_Batch]) -> Iterator[_Built]:
            ahead: deque[Any] = deque()
            for batch in itertools.islice(batches, workers * 2):
                ahead.append(pool.apply_async(_build_batch, (batch,)))
            while ahead:
                built = ahead.popleft().get()
                following = next(batches, None)
                if following is not None:
                    ahead.append(pool.apply_async(_build_batch, (following,)))
                yield built

        yield build


def _refresh_planner_statistics() -> None:
    # After a bulk load the query planner's statistics are stale (SQLite has none until
    # ANALYZE runs), and it may then pick a narrow index over the dashboard's covering ones.
    # PostgreSQL also needs VACUUM to mark the new rows all-visible, so that counts can be
    # answered from indexes alone; it cannot run inside a transaction (e.g. in tests).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    tables = [Record._meta.db_table, Event._meta.db_table, Draft._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'{"VACUUM ANALYZE" if vacuum else "ANALYZE"} "{table}"')


def _reserve_references(times: list[datetime]) -> list[str]:
    """Take the next numbers of each year's counter, as submission would, in time order."""
    per_year: dict[int, int] = defaultdict(int)
    for at in times:
        per_year[at.year] += 1
    next_number: dict[int, int] = {}
    for year, needed in per_year.items():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        next_number[year] = counter.last + 1
        counter.last += needed
        counter.save(update_fields=["last"])
    references = []
    for at in times:
        references.append(format_reference(at.year, next_number[at.year]))
        next_number[at.year] += 1
    return references


def _build_batch(batch: _Batch) -> _Built:
    """A batch's drafts, records (payload, SHA-256, seal) and events as rows: no database."""
    context = _CONTEXT
    assert context is not None
    rng = random.Random(f"{context.seed}:{batch.index}")  # noqa: S311 - demo data
    kinds = [kind for kind in KIND_WEIGHTS if context.pool.get(kind)]
    weights = [KIND_WEIGHTS[kind] for kind in kinds]
    plans = [
        _plan_case(
            rng,
            at,
            rng.choice(context.pool[rng.choices(kinds, weights)[0]]),
            context.reviewers,
            context.now,
        )
        for at in batch.times
    ]
    drafts: list[Draft] = []
    for plan in plans:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        organisation = rng.choice(ORGANISATIONS)
        domain = (organisation.split()[0].lower() if organisation else "example") + ".example"
        result = plan.evaluation.result
        assert result is not None
        category = result.outcomes[0].category
        described = next(
            (
                value
                for qid, value in plan.evaluation.answers.items()
                if qid in TEXT_ANSWERS and qid != "agreement_ref" and isinstance(value, str)
            ),
            f"{category}: {result.outcomes[0].title}",
        )
        started = plan.submitted_at - timedelta(minutes=rng.uniform(3, 45))
        drafts.append(
            Draft(
                pk=batch.draft_ids[len(drafts)],
                token=new_token(),
                questionnaire_version=plan.evaluation.version,
                answers=plan.evaluation.answers,
                respondent_name=f"{first} {last}",
                respondent_email=f"{first}.{last}@{domain}".lower().replace(" ", ""),
                organisation=organisation,
                project_name=f"{rng.choice(PROJECTS)} ({category.lower()})",
                project_description=described,
                client_key="",
                created_at=started,
                updated_at=plan.submitted_at,
                submitted_at=plan.submitted_at,
            )
        )

    records = []
    for plan, draft, reference, record_id in zip(
        plans, drafts, batch.references, batch.record_ids, strict=True
    ):
        record = new_record(
            draft=draft,
            evaluation=plan.evaluation,
            reference=reference,
            submitted_at=plan.submitted_at,
        )
        record.pk = record_id
        record.status = plan.status
        record.assigned_to = plan.assigned_to
        record.decided_outcome = plan.decided_outcome
        record.decided_at = plan.decided_at
        record.decided_by = plan.decided_by
        record.proposed_outcome = plan.proposed_outcome
        record.proposed_by = plan.proposed_by
        record.proposed_at = plan.proposed_at
        record.approved_by = plan.approved_by
        record.approved_at = plan.decided_at if plan.approved_by else None
        record.closed_by = plan.closed_by
        record.closed_at = plan.closed_at
        record.close_reason = plan.close_reason
        record.revision = len(plan.events)
        records.append(record)

    # Events as column values (no Event instances: building them was a third of the time);
    # the submission's from the function submission uses.
    event_columns = [field.attname for field in Event._meta.concrete_fields]
    timestamp = Event._meta.get_field("created_at")
    assert not (timestamp.auto_now or timestamp.auto_now_add), "timestamps_as_given() first"
    raw_events: list[bulk.Row] = []
    for plan, record in zip(plans, records, strict=True):
        submitted = submitted_event(record, created_at=plan.submitted_at)
        submitted.record_id = record.pk
        raw_events.append(tuple(getattr(submitted, name) for name in event_columns))
        raw_events.extend(
            bulk.value_rows(
                Event,
                [
                    {
                        **{key: value for key, value in data.items() if key != "actor"},
                        "actor_id": data["actor"].pk if data["actor"] is not None else None,
                        "record_id": record.pk,
                        "record_sha256": record.sha256,
                    }
                    for data in plan.events
                ],
            )
        )
    seals = {
        record.pk: {name: getattr(record, name) for name in RECORD_FIELDS} for record in records
    }
    position = {name: event_columns.index(name) for name in EVENT_FIELDS}
    return _Built(
        drafts=bulk.rows(Draft, drafts),
        records=bulk.rows(Record, records),
        events=bulk.prepare(Event, raw_events),
        links=[
            (
                {name: row[index] for name, index in position.items() if name != "id"},
                seals[row[position["record_id"]]],
            )
            for row in raw_events
        ],
    )


def _write_batch(built: _Built, ids: bulk.Ids) -> None:
    """Write a batch's rows, give its events their ids and chain them, in the caller's
    transaction (the seeding's one)."""
    event_ids = ids.take(Event, len(built.events))
    events = [
        (*row[:EVENT_ID], event_id, *row[EVENT_ID + 1 :])
        for row, event_id in zip(built.events, event_ids, strict=True)
    ]
    bulk.write(Draft, bulk.columns(Draft), built.drafts)
    bulk.write(Record, bulk.columns(Record), built.records)
    bulk.write(Event, bulk.columns(Event), events)
    chain_links(
        [
            Link(event={**event, "id": event_id}, record=record)
            for (event, record), event_id in zip(built.links, event_ids, strict=True)
        ],
        insert=lambda names, rows: bulk.write(ChainEntry, names, rows),
    )
