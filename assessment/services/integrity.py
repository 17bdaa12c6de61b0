"""Seal records, chain events, verify both, and sign checkpoints (README, "Integrity").

Threat: an insider who can write to the database but does not hold ASSESSMENT_SEAL_KEYS. They
can change a payload and recompute its plain SHA-256, delete, reorder or insert events, or copy
rows from another database; every such change breaks a keyed seal, an entry's HMAC, a link
between entries, the signed head or a signed checkpoint, and the checks here name where.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessment import compiled
from assessment.integrity import hashing, keys
from assessment.integrity.hashing import EVENT_FIELDS, GENESIS, RECORD_FIELDS
from assessment.models import ChainEntry, ChainHead, Checkpoint, Event, IntegrityCheck, Record

# How many problems a full check keeps (the first one is what matters; the rest are context).
KEPT_PROBLEMS = 200
CHECKPOINT_EVERY = datetime.timedelta(days=1)


# --- Sealing and appending ---------------------------------------------------------------


def seal_payload(payload: Any) -> tuple[str, str]:
    """(key id, seal) of a new record's payload, under the current key."""
    key_id, key = keys.current_key()
    return key_id, hashing.seal(key, payload)


def seal_canonical(canonical: bytes) -> tuple[str, str]:
    """`seal_payload` of a payload already in its canonical bytes (one encoding for both its
    SHA-256 and its seal)."""
    key_id, key = keys.current_key()
    return key_id, hashing.hmac_hex(key, canonical)


def _locked_head() -> ChainHead:
    """The chain's head row, locked until the transaction ends: appends happen one at a time
    (PostgreSQL waits on the row lock; SQLite serialises writing transactions anyway)."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _sign_head(head: ChainHead) -> None:
    key_id, key = keys.current_key()
    head.key_id = key_id
    head.signature = hashing.head_signature(
        key, length=head.length, head_hash=head.head_hash, key_id=key_id
    )


def _fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def chain_events(events: Sequence[Event]) -> list[ChainEntry]:
    """Append saved events (each with its record loaded) to the chain, in the given order, in
    the caller's transaction: an event and its entry are committed together or not at all.

    The demo seeder, which has no Event instances, appends with `chain_links`: the hashing is
    the same."""
    if not events:
        return []
    links = [
        Link(event=_fields(event, EVENT_FIELDS), record=_fields(event.record, RECORD_FIELDS))
        for event in events
    ]
    # No savepoint of its own (two round trips saved per event): a failure here fails the
    # caller's transaction, so an event is never committed without its entry.
    with transaction.atomic(savepoint=False):
        entries = [
            ChainEntry(
                position=position,
                event=event,
                record_id=event.record_id,
                record_seq=seq,
                key_id=key_id,
                prev_hash=prev_hash,
                entry_hash=digest,
            )
            for event, (position, seq, key_id, prev_hash, digest) in zip(
                events, _append(links), strict=True
            )
        ]
        ChainEntry.objects.bulk_create(entries, batch_size=1000)
    return entries


@dataclass(frozen=True, slots=True)
class Link:
    """What an entry covers of one saved event: its columns (EVENT_FIELDS) and its record's
    (RECORD_FIELDS), as plain values."""

    event: Mapping[str, Any]
    record: Mapping[str, Any]


# The columns `chain_links` gives its `insert`, in order (the id comes from the database).
LINK_COLUMNS = (
    "position",
    "event_id",
    "record_id",
    "record_seq",
    "key_id",
    "legacy",
    "prev_hash",
    "entry_hash",
)


def chain_links(
    links: Sequence[Link], *, insert: Callable[[Sequence[str], list[tuple[Any, ...]]], object]
) -> None:
    """`chain_events` for events known by their values alone (the bulk seeder's, written with
    COPY): `insert(LINK_COLUMNS, rows)` writes the entries, in the caller's transaction."""
    if not links:
        return
    with transaction.atomic(savepoint=False):
        insert(
            LINK_COLUMNS,
            [
                (
                    position,
                    link.event["id"],
                    link.event["record_id"],
                    seq,
                    key_id,
                    False,
                    prev_hash,
                    digest,
                )
                for link, (position, seq, key_id, prev_hash, digest) in zip(
                    links, _append(links), strict=True
                )
            ],
        )


def _append(links: Sequence[Link]) -> list[tuple[int, int, str, str, str]]:
    """Each link's (position, number in its record's trail, key id, previous hash, own hash),
    the head moved past them and signed: under the head's lock, which the caller's transaction
    holds until its entries are written."""
    head = _locked_head()
    next_seq: dict[int, int] = dict(
        ChainEntry.objects.filter(record_id__in={link.event["record_id"] for link in links})
        .values("record_id")
        .annotate(last=Max("record_seq"))
        .values_list("record_id", "last")
    )
    key_id, key = keys.current_key()
    placed = []
    for link in links:
        record_id = link.event["record_id"]
        seq = next_seq.get(record_id, 0) + 1
        next_seq[record_id] = seq
        position = head.length + 1
        content = hashing.entry_content(
            position=position,
            record_seq=seq,
            key_id=key_id,
            legacy=False,
            event=link.event,
            record=link.record,
        )
        digest = hashing.entry_hash(key, head.head_hash, content)
        placed.append((position, seq, key_id, head.head_hash, digest))
        head.length, head.head_hash = position, digest
    _sign_head(head)
    head.save()
    return placed


# --- Verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    where: str  # a record reference, an event and its chain entry, "chain head", a checkpoint
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class Report:
    records: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _seal_problems(record: Record) -> list[str]:
    try:
        return record.integrity_problems()
    except (AttributeError, TypeError):
        return ["The stored record is not in the shape it was written in: it was altered."]


def _entry_problems(row: dict[str, Any], prev_hash: str) -> list[str]:
    """What is wrong with one entry, given the hash the entry before it actually has. `row`
    holds the entry's columns and its event's and record's (keys "event" and "record")."""
    problems = []
    if not hashing.same(row["prev_hash"], prev_hash):
        problems.append(
            "it does not follow the entry before it: an entry was deleted, inserted or moved"
        )
    key = keys.key_for(row["key_id"])
    if key is None:
        problems.append(f"it is signed with an unknown key ({row['key_id']})")
    else:
        content = hashing.entry_content(
            position=row["position"],
            record_seq=row["record_seq"],
            key_id=row["key_id"],
            legacy=row["legacy"],
            event=row["event"],
            record=row["record"],
        )
        if not hashing.same(hashing.entry_hash(key, row["prev_hash"], content), row["entry_hash"]):
            problems.append(
                "its HMAC does not match: the event or its record was changed, the events were "
                "reordered, or the entry was forged"
            )
    if row["record_id"] != row["event"]["record_id"]:
        problems.append("the entry and its event name different records")
    if row["event"]["record_sha256"] != row["record"]["sha256"]:
        problems.append("the event recorded another hash of the record than the one stored now")
    return problems


def _case_state(record: Record) -> tuple[str, str]:
    return (record.status, record.effective_outcome)


def _left_state(row: dict[str, Any]) -> tuple[str, str] | None:
    """Where the entry's event left the case; None for an event chained by the upgrade, as
    older migrations moved some cases without an event."""
    if row["legacy"]:
        return None
    return (row["event"]["to_status"], row["event"]["to_outcome"])


def _state_problem(state: tuple[str, str], left: tuple[str, str]) -> str:
    # The case state is not in the seal (it moves), but every move appends an event saying
    # where it left the case: a status or decision edited in SQL disagrees with the last one.
    return (
        f"its case state (status {state[0]}, counts as {state[1]}) is not the one its last "
        f"chained event left (status {left[0]}, counts as {left[1]}): the record row was "
        "edited outside the application"
    )


# An entry's own columns as read back: those written (LINK_COLUMNS) but its event, which is
# read with the event's fields.
_ENTRY_COLUMNS = tuple(column for column in LINK_COLUMNS if column != "event_id")


def _entry_rows(entries: Any) -> Iterable[dict[str, Any]]:
    """Chain entries as plain rows with their event's and record's fields, in one query."""
    names = [
        *_ENTRY_COLUMNS,
        *(f"event__{name}" for name in EVENT_FIELDS),
        *(f"event__record__{name}" for name in RECORD_FIELDS),
    ]
    for values in entries.values_list(*names).iterator(chunk_size=2000):
        row, _ = _split(values)
        yield row


_EVENT_END = len(_ENTRY_COLUMNS) + len(EVENT_FIELDS)
_RECORD_END = _EVENT_END + len(RECORD_FIELDS)


def _split(values: Sequence[Any]) -> tuple[dict[str, Any], Sequence[Any]]:
    """A row of an entry's columns, then its event's and its record's fields (the order both
    `_entry_rows` and `_RECORD_CHAIN_SQL` select them in), and the values after those."""
    row = dict(zip(_ENTRY_COLUMNS, values[: len(_ENTRY_COLUMNS)], strict=True))
    row["event"] = dict(zip(EVENT_FIELDS, values[len(_ENTRY_COLUMNS) : _EVENT_END], strict=True))
    row["record"] = dict(zip(RECORD_FIELDS, values[_EVENT_END:_RECORD_END], strict=True))
    return row, values[_RECORD_END:]


def _where(row: dict[str, Any]) -> str:
    return (
        f"{row['record']['reference']} event {row['event']['id']} (chain entry {row['position']})"
    )


def _head_problems(head: ChainHead | None, length: int, last_hash: str) -> list[str]:
    if head is None:
        return [] if length == 0 else ["the chain has entries but no head"]
    problems = []
    if head.length != length or not hashing.same(head.head_hash, last_hash):
        problems.append(
            f"the head says {head.length} entries but the chain has {length}: entries at the "
            "end were deleted or added outside the application"
        )
    if head.length:
        key = keys.key_for(head.key_id)
        expected = key and hashing.head_signature(
            key, length=head.length, head_hash=head.head_hash, key_id=head.key_id
        )
        if not expected or not hashing.same(expected, head.signature):
            problems.append("the head's signature does not match: it was rewritten")
    return problems


def checkpoint_problems(
    *, length: int, head_hash: str, created_at: str, key_id: str, signature: str
) -> list[str]:
    """Is this a checkpoint the service signed, and does the chain still extend it?"""
    key = keys.key_for(key_id)
    if key is None:
        return [f"it is signed with a key that is not configured ({key_id})"]
    expected = hashing.checkpoint_signature(
        key, length=length, head_hash=head_hash, created_at=created_at, key_id=key_id
    )
    if not hashing.same(expected, signature):
        return ["its signature does not match: it is not a checkpoint this service signed"]
    if length == 0:
        return []
    entry = ChainEntry.objects.filter(position=length).values_list("entry_hash", flat=True).first()
    if entry is None:
        return [f"the chain no longer has an entry {length}: it was cut short"]
    if not hashing.same(entry, head_hash):
        return [f"entry {length} no longer has the hash signed then: the chain was rewritten"]
    return []


def verify_all() -> Report:
    """Walk every record's seal and the whole chain; every problem found, first one first.

    Bounds are read first (records, events, the head), so rows written while the walk runs
    are left for the next check rather than reported as half-written.
    """
    report = Report()
    max_record = Record.objects.aggregate(m=Max("pk"))["m"] or 0
    max_event = Event.objects.aggregate(m=Max("pk"))["m"] or 0
    head = ChainHead.objects.filter(pk=1).first()
    length = head.length if head else 0

    def add(where: str, whats: Iterable[str]) -> None:
        report.problems.extend(Problem(where, what) for what in whats)

    records = Record.objects.filter(pk__lte=max_record).order_by("pk")
    states: dict[int, tuple[str, tuple[str, str]]] = {}
    for record in records.only(
        "reference", "payload", "sha256", "seal", "seal_key_id", "outcome",
        "questionnaire_version", "status", "decided_outcome",
    ).iterator(chunk_size=2000):  # fmt: skip
        report.records += 1
        add(record.reference, _seal_problems(record))
        states[record.pk] = (record.reference, _case_state(record))

    prev_hash, expected_position = GENESIS, 1
    last_seq: dict[int, int] = {}
    last_state: dict[int, tuple[str, str] | None] = {}
    for row in _entry_rows(ChainEntry.objects.filter(position__lte=length).order_by("position")):
        report.entries += 1
        if row["position"] != expected_position:
            add(
                f"chain entry {expected_position}",
                [f"missing (the next entry is {row['position']}): an event was deleted"],
            )
        problems = _entry_problems(row, prev_hash)
        seq = last_seq.get(row["record_id"], 0) + 1
        if row["record_seq"] != seq:
            problems.append(
                f"it is event {row['record_seq']} of its record's trail, but the one before it "
                f"there is {seq - 1}: an event of this record was deleted or moved"
            )
        add(_where(row), problems)
        last_seq[row["record_id"]] = row["record_seq"]
        last_state[row["record_id"]] = _left_state(row)
        prev_hash, expected_position = row["entry_hash"], row["position"] + 1
    add("chain head", _head_problems(head, expected_position - 1, prev_hash))
    for record_id, (reference, state) in states.items():
        left = last_state.get(record_id)
        if left is not None and left != state:
            add(reference, [_state_problem(state, left)])

    for event_id, reference in (
        Event.objects.filter(pk__lte=max_event, chain_entry__isnull=True)
        .order_by("pk")
        .values_list("pk", "record__reference")
    ):
        add(
            f"{reference} event {event_id}",
            ["not in the hash chain: it was written outside the application (forged)"],
        )
    unchained = (
        Record.objects.filter(pk__lte=max_record)
        .exclude(chain_entries__record_seq=1)
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    for reference in unchained:
        add(reference, ["its submission is not in the hash chain: the record was inserted"])

    for checkpoint in Checkpoint.objects.order_by("created_at", "pk"):
        add(
            f"checkpoint of {checkpoint.created_at:%Y-%m-%d %H:%M} ({checkpoint.length} entries)",
            checkpoint_problems(**_checkpoint_fields(checkpoint)),
        )
    return report


def record_problems(record: Record) -> list[str]:
    """What is wrong with one record: its seal, and its events' places in the chain (each
    entry's HMAC, its links to the entries before and after it, gaps in the record's trail).
    One query in the usual case (the API gate runs this on every call): not a full walk."""
    problems = _seal_problems(record)
    entries = _record_chain(record.pk)
    if not entries or entries[0]["unchained"]:
        # Rare (a tampered trail): name each event of the record that no entry of it chains.
        chained = {row["event"]["id"] for row in entries}
        for event_id in (
            Event.objects.filter(record=record).exclude(pk__in=chained).values_list("pk", flat=True)
        ):
            problems.append(
                f"Event {event_id} of this record's trail is not in the hash chain: it was "
                "written outside the application."
            )
    if not entries:
        problems.append("This record's submission is not in the hash chain.")
        return problems
    positions = {row["position"] for row in entries}
    previous_seq = 0
    for row in entries:
        position = row["position"]
        prev_hash = GENESIS if position == 1 else row["before_hash"] or ""
        found = _entry_problems(row, prev_hash)
        if row["record_seq"] != previous_seq + 1:
            found.append(
                f"the event before it in this record's trail (number {previous_seq + 1}) is "
                "missing: it was deleted"
            )
        previous_seq = row["record_seq"]
        if position + 1 not in positions and position < row["head_length"]:
            if row["after_prev_hash"] is None:
                found.append("the entry after it is missing: an event was deleted")
            elif not hashing.same(row["after_prev_hash"], row["entry_hash"]):
                found.append("the entry after it does not follow it: the chain was altered")
        problems.extend(
            f"Event {row['event']['id']} (chain entry {position}): {what}." for what in found
        )
    left = _left_state(entries[-1])
    if left is not None and left != _case_state(record):
        problem = _state_problem(_case_state(record), left)
        problems.append(problem[0].upper() + problem[1:] + ".")
    return problems


# The record's chain entries (as `_entry_rows` reads them), each with what the entries next to
# it say (NULL when there is none), the chain's length, and how many of the record's events no
# entry of the record chains. Written out: building it through the ORM cost ten times running
# it, on every call of the API gate. A field added to EVENT_FIELDS or RECORD_FIELDS must be
# added here, in the same order: a missing column fails `_record_chain`'s unpacking, a column
# out of order fails every entry's HMAC (tests/integrity/), never passes unchecked.
_RECORD_CHAIN_SQL = """
SELECT ce.position, ce.record_id, ce.record_seq, ce.key_id, ce.legacy, ce.prev_hash,
       ce.entry_hash,
       ev.id, ev.record_id, ev.created_at, ev.actor_label, ev.action, ev.from_status,
       ev.to_status, ev.from_outcome, ev.to_outcome, ev.note, ev.audience, ev.decision,
       ev.record_sha256,
       r.reference, r.sha256, r.seal_key_id, r.seal,
       (SELECT p.entry_hash FROM assessment_chainentry p WHERE p.position = ce.position - 1),
       (SELECT n.prev_hash FROM assessment_chainentry n WHERE n.position = ce.position + 1),
       (SELECT h.length FROM assessment_chainhead h WHERE h.id = 1),
       (SELECT COUNT(*) FROM assessment_event e WHERE e.record_id = %s AND NOT EXISTS
           (SELECT 1 FROM assessment_chainentry c WHERE c.event_id = e.id AND c.record_id = %s))
FROM assessment_chainentry ce
JOIN assessment_event ev ON ev.id = ce.event_id
JOIN assessment_record r ON r.id = ev.record_id
WHERE ce.record_id = %s
ORDER BY ce.record_seq
"""


def _record_chain(record_id: int) -> list[dict[str, Any]]:
    """`_RECORD_CHAIN_SQL`'s rows, in `_entry_rows`' shape plus "before_hash",
    "after_prev_hash", "head_length" and "unchained". Prepared on PostgreSQL (every API gate
    call and record page runs it, and planning its joins cost more than running them)."""
    with compiled.prepared_cursor() as cursor:
        cursor.execute(_RECORD_CHAIN_SQL, [record_id] * 3)
        fetched = cursor.fetchall()
    rows = []
    for values in fetched:
        row, after = _split(values)
        row["legacy"] = bool(row["legacy"])
        row["event"]["created_at"] = _aware(row["event"]["created_at"])
        row["before_hash"], row["after_prev_hash"], head_length, unchained = after
        row["head_length"] = head_length or 0
        row["unchained"] = unchained
        rows.append(row)
    return rows


def _aware(value: Any) -> datetime.datetime:
    """A time read by plain SQL: SQLite gives it naive, in UTC (as Django stored it)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


# --- Full checks and checkpoints ---------------------------------------------------------


def run_full_check() -> tuple[Report, IntegrityCheck]:
    """Verify everything and record when, and what was found (the dashboard shows it)."""
    started = timezone.now()
    report = verify_all()
    check = IntegrityCheck.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        ok=report.ok,
        records=report.records,
        entries=report.entries,
        problems=[str(problem) for problem in report.problems[:KEPT_PROBLEMS]],
    )
    return report, check


def _checkpoint_fields(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "length": checkpoint.length,
        "head_hash": checkpoint.head_hash,
        "created_at": hashing.timestamp(checkpoint.created_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


@transaction.atomic
def make_checkpoint() -> Checkpoint:
    """Sign the chain's length and head hash as they stand (under the head's lock)."""
    head = _locked_head()
    key_id, key = keys.current_key()
    # Stored as it is signed: whole microseconds, UTC.
    now = timezone.now()
    signature = hashing.checkpoint_signature(
        key,
        length=head.length,
        head_hash=head.head_hash,
        created_at=hashing.timestamp(now),
        key_id=key_id,
    )
    return Checkpoint.objects.create(
        created_at=now,
        length=head.length,
        head_hash=head.head_hash,
        key_id=key_id,
        signature=signature,
    )


def checkpoint_if_due(now: datetime.datetime | None = None) -> Checkpoint | None:
    """A checkpoint when the last one is a day old (or there is none); called by every task
    worker's heartbeat, so a deployment with workers gets one a day without a cron job."""
    since = (now or timezone.now()) - CHECKPOINT_EVERY
    if Checkpoint.objects.filter(created_at__gt=since).exists():
        return None  # the usual answer, without taking the head's lock
    with transaction.atomic():
        _locked_head()  # two workers due at once: the second finds the first's checkpoint
        if Checkpoint.objects.filter(created_at__gt=since).exists():
            return None
        return make_checkpoint()


CHECKPOINT_KIND = "assessment-integrity-checkpoint"


def checkpoint_document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint as the JSON file an auditor keeps."""
    return {"kind": CHECKPOINT_KIND, "version": 1, **_checkpoint_fields(checkpoint)}


def document_problems(document: Any) -> list[str]:
    """Check an exported checkpoint file's content against the chain."""
    names = ("length", "head_hash", "created_at", "key_id", "signature")
    if (
        not isinstance(document, dict)
        or document.get("kind") != CHECKPOINT_KIND
        or not isinstance(document.get("length"), int)
        or not all(isinstance(document.get(name), str) for name in names[1:])
    ):
        return ["it is not a checkpoint file of this service"]
    return checkpoint_problems(**{name: document[name] for name in names})
