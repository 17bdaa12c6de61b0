"""The bulk seeder (`manage.py seed_demo`, the million-record benchmark): what it writes is what
submission would have written, so every integrity check passes and the queue shows it.

On PostgreSQL the rows go through COPY (assessment/demo/bulk.py), elsewhere bulk_create; run
this file on both (DATABASE_URL).
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assessment.canonical import payload_sha256
from assessment.demo import bulk
from assessment.demo.seed import seed_assessments
from assessment.models import ChainEntry, ChainHead, Draft, Event, Record, Status
from assessment.services import integrity

pytestmark = pytest.mark.django_db


def _assert_everything_verifies(count: int) -> None:
    report = integrity.verify_all()
    assert report.ok, report.problems[:3]
    assert report.records == Record.objects.count() == count
    assert report.entries == Event.objects.count() == ChainEntry.objects.count()
    head = ChainHead.objects.get()
    assert head.length == report.entries
    out = StringIO()
    call_command("verify_integrity", stdout=out)
    assert "Integrity check passed" in out.getvalue()


def test_seeded_records_pass_verify_integrity_and_fill_the_queue(signed_in):
    # Several batches, so ids, references and the chain carry over from batch to batch.
    assert seed_assessments(count=130, batch_size=50) == 130
    _assert_everything_verifies(130)
    for record in Record.objects.all():
        assert record.sha256 == payload_sha256(record.payload)
        assert record.payload["reference"] == record.reference
        assert record.draft.token == record.token
        # Every case move is an event, the submission first.
        actions = list(record.events.order_by("created_at", "pk").values_list("action", flat=True))
        assert actions[0] == "submitted"
        assert record.revision == len(actions) - 1
    # References follow submission time, as the counter gives them out.
    by_time = list(Record.objects.order_by("submitted_at").values_list("reference", flat=True))
    assert by_time == sorted(by_time)
    assert Record.objects.exclude(status=Status.NEW).exists()
    body = signed_in.get(reverse("review:queue")).content.decode()
    assert "of 130 records" in body
    newest = Record.objects.order_by("-submitted_at").first()
    assert newest.reference in body


def test_a_second_seeding_extends_the_chain_and_the_references(signed_in):
    seed_assessments(count=20, seed=1, batch_size=8)
    seed_assessments(count=15, seed=2, batch_size=8)
    _assert_everything_verifies(35)
    assert Record.objects.values("reference").distinct().count() == 35


@pytest.mark.django_db(transaction=True)
def test_seeding_with_forked_workers_writes_the_same_valid_records():
    # Outside a transaction, as `manage.py seed_demo` runs: batches built by two processes.
    assert seed_assessments(count=60, batch_size=10, workers=2) == 60
    _assert_everything_verifies(60)
    positions = list(
        ChainEntry.objects.filter(record_seq=1)
        .order_by("position")
        .values_list("record__submitted_at", flat=True)
    )
    assert positions == sorted(positions)  # the chain follows submission time too


def test_bulk_insert_stores_every_column_as_the_orm_would():
    drafts = [
        Draft(questionnaire_version="v2", answers={"q": ["a", "é"]}, pending=None),
        Draft(questionnaire_version="v2", answers={}, pending={"question_id": "q", "raw": ""}),
    ]
    bulk.insert(Draft, drafts)
    assert all(draft.pk is not None for draft in drafts)
    stored = {draft.pk: draft for draft in Draft.objects.filter(pk__in=[d.pk for d in drafts])}
    first, second = (stored[draft.pk] for draft in drafts)
    assert first.answers == {"q": ["a", "é"]} and first.pending is None
    assert second.pending == {"question_id": "q", "raw": ""}
    assert first.token == drafts[0].token and len(first.token) > 40
    assert Draft.objects.filter(pk=first.pk, pending__isnull=True).exists()


def _schema(tables: list[str]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[])",
            [tables],
        )
        # A partial index's predicate is deparsed with its casts placed differently once it
        # is created again from its own definition: compare without casts and brackets.
        indexes = {
            (name, re.sub(r"::[a-z ]+(\[\])?|[()]", "", definition))
            for name, definition in cursor.fetchall()
        }
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = set(cursor.fetchall())
    return indexes, constraints


@pytest.mark.postgres_only  # elsewhere the indexes are kept as they are
def test_a_large_seeding_rebuilds_every_index_and_foreign_key_it_dropped():
    tables = [model._meta.db_table for model in (Draft, Record, Event, ChainEntry)]
    before = _schema(tables)
    assert any("gin_trgm_ops" in definition for _, definition in before[0])
    assert any("FOREIGN KEY" in definition for _, definition in before[1])
    seed_assessments(count=40, batch_size=15, rebuild_indexes=True)
    assert _schema(tables) == before
    _assert_everything_verifies(40)


def test_seeding_is_one_transaction_so_a_failure_leaves_nothing(monkeypatch):
    from assessment.demo import seed

    calls = []

    def fail_on_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    real = seed._write_batch
    monkeypatch.setattr(seed, "_write_batch", fail_on_the_second_batch)
    with pytest.raises(RuntimeError):
        seed_assessments(count=30, batch_size=10, rebuild_indexes=True)
    assert not Record.objects.exists() and not Event.objects.exists()
    assert not ChainEntry.objects.exists()
