"""An insider with database access, in plain SQL: every change is caught by `verify_integrity`,
named, and shown on the record's page; an honest database passes. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.test import override_settings

from assessment.canonical import payload_sha256
from assessment.integrity import hashing
from assessment.models import ChainEntry, ChainHead, Event, IntegrityCheck, Record
from assessment.records import read_record
from assessment.services import integrity
from tests.factories import insert_stored_record, make_record, stored_v1_records
from tests.integrity.conftest import first_failure, record_page, set_payload, sql, verify

pytestmark = pytest.mark.django_db

WARNING = "this record may have been tampered with"


def at(value: datetime.datetime) -> object:
    """A timestamp as this database takes it in raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def test_an_honest_database_passes_and_the_check_is_recorded(world):
    result = verify()
    assert result.ok, result.output
    assert "Checked 3 record seals and 7 chain entries." in result.output
    assert "Integrity check passed" in result.output
    check = IntegrityCheck.objects.get()
    assert check.ok and check.entries == 7 and check.records == 3 and check.problems == []


def test_the_honest_record_page_shows_no_warning_and_the_keyed_seal(signed_in, world):
    body = record_page(signed_in, world.busy)
    assert WARNING not in body
    assert 'data-seal="keyed"' in body
    assert "Keyed seal (HMAC-SHA256, key test)" in body


def test_the_record_check_reads_the_hashed_columns_in_their_order():
    # The record page's and the API gate's check is one written-out query: its columns must be
    # the entry's, the event's and the record's hashed fields, in the order they are unpacked.
    columns = [
        *(f"ce.{name}" for name in integrity._ENTRY_COLUMNS),
        *(f"ev.{name}" for name in hashing.EVENT_FIELDS),
        *(f"r.{name}" for name in hashing.RECORD_FIELDS),
    ]
    select = " ".join(integrity._RECORD_CHAIN_SQL.split())
    assert select.startswith("SELECT " + ", ".join(columns) + ", (SELECT ")


def test_a_changed_payload_with_its_plain_sha256_recomputed(signed_in, world):
    # Turn "prohibited" into "permitted" and make the plain hash agree, as the old check trusted.
    record = world.other
    payload = json.loads(json.dumps(record.payload))
    payload["result"]["outcome"] = "permitted"
    set_payload(record.pk, payload, sha256=payload_sha256(payload), outcome="permitted")

    failure = first_failure(verify())
    assert failure == f"{record.reference}: The keyed seal does not match the record's content."
    assert WARNING in record_page(signed_in, record)
    assert "The keyed seal does not match" in record_page(signed_in, record)
    # Its events were chained with the hash it had then: every one now disagrees.
    assert "the event recorded another hash of the record" in verify().output
    assert WARNING not in record_page(signed_in, world.busy)


def test_a_legacy_record_changed_with_its_plain_sha256_is_caught_by_the_chain(signed_in, rita):
    record = insert_stored_record(stored_v1_records()[0])
    assert verify().ok
    payload = json.loads(json.dumps(record.payload))
    payload["respondent"]["organisation"] = "Someone Else Ltd"
    set_payload(record.pk, payload, sha256=payload_sha256(payload))

    assert Record.objects.get(pk=record.pk).integrity_problems() == []  # the plain check passes
    failure = first_failure(verify())
    assert failure.startswith(f"{record.reference} event ")
    assert "its HMAC does not match" in failure
    body = record_page(signed_in, record)
    assert WARNING in body and "another hash of the record" in body


def test_deleting_one_event_from_the_middle_of_a_trail(signed_in, world):
    events = world.events(world.busy)
    deleted = events[2]  # the first note
    position = world.entry(deleted).position
    sql("DELETE FROM assessment_chainentry WHERE event_id = %s", [deleted.pk])
    sql("DELETE FROM assessment_event WHERE id = %s", [deleted.pk])

    failure = first_failure(verify())
    assert failure == (
        f"chain entry {position}: missing (the next entry is {position + 1}): an event was deleted"
    )
    body = record_page(signed_in, world.busy)
    assert WARNING in body
    assert "is missing: it was deleted" in body


def test_deleting_the_last_event_and_rewinding_the_head(signed_in, world):
    last = Event.objects.order_by("-pk").first()
    assert last is not None and last.record_id == world.other.pk
    before = ChainEntry.objects.get(position=6)
    sql("DELETE FROM assessment_chainentry WHERE event_id = %s", [last.pk])
    sql("DELETE FROM assessment_event WHERE id = %s", [last.pk])
    assert first_failure(verify()).startswith("chain head: the head says 7 entries")

    # A careful insider points the head at the new last entry too: its signature gives it away.
    sql(
        "UPDATE assessment_chainhead SET length = 6, head_hash = %s WHERE id = 1",
        [before.entry_hash],
    )
    assert (
        first_failure(verify())
        == "chain head: the head's signature does not match: it was rewritten"
    )


def test_swapping_two_events_order(signed_in, world):
    first, second = world.events(world.busy)[2:4]  # the two notes, in time order
    sql(
        "UPDATE assessment_event SET created_at = %s WHERE id = %s",
        [at(second.created_at), first.pk],
    )
    sql(
        "UPDATE assessment_event SET created_at = %s WHERE id = %s",
        [at(first.created_at), second.pk],
    )
    assert [e.pk for e in world.events(world.busy)] != [
        e.pk for e in Event.objects.filter(record=world.busy)
    ]

    failure = first_failure(verify())
    position = world.entry(first).position
    assert failure.startswith(f"{world.busy.reference} event {first.pk} (chain entry {position})")
    assert "its HMAC does not match" in failure
    body = record_page(signed_in, world.busy)
    assert WARNING in body and "its HMAC does not match" in body


def test_swapping_two_entries_places_in_the_chain(signed_in, world):
    a, b = (world.entry(event) for event in world.events(world.busy)[2:4])
    sql("UPDATE assessment_chainentry SET position = 0 WHERE id = %s", [a.pk])
    sql("UPDATE assessment_chainentry SET position = %s WHERE id = %s", [a.position, b.pk])
    sql("UPDATE assessment_chainentry SET position = %s WHERE id = %s", [b.position, a.pk])

    failure = first_failure(verify())
    assert failure.startswith(
        f"{world.busy.reference} event {b.event_id} (chain entry {a.position})"
    )
    assert WARNING in record_page(signed_in, world.busy)


def test_an_event_inserted_in_sql(signed_in, world):
    template = world.events(world.plain)[0]
    sql(
        "INSERT INTO assessment_event (record_id, created_at, actor_label, action, from_status,"
        " to_status, from_outcome, to_outcome, note, audience, decision, record_sha256)"
        " VALUES (%s, %s, 'rita', 'decided', 'new', 'decided', 'permitted', 'permitted',"
        " 'Fine.', '', 'permitted', %s)",
        [world.plain.pk, at(template.created_at), world.plain.sha256],
    )
    forged = Event.objects.order_by("-pk").first()
    assert forged is not None

    failure = first_failure(verify())
    assert failure == (
        f"{world.plain.reference} event {forged.pk}: not in the hash chain: it was written "
        "outside the application (forged)"
    )
    body = record_page(signed_in, world.plain)
    assert WARNING in body and f"Event {forged.pk} of this record" in body


def test_an_event_inserted_with_a_forged_chain_entry(signed_in, world):
    head = ChainHead.objects.get()
    template = world.events(world.plain)[0]
    sql(
        "INSERT INTO assessment_event (record_id, created_at, actor_label, action, from_status,"
        " to_status, from_outcome, to_outcome, note, audience, decision, record_sha256)"
        " VALUES (%s, %s, 'rita', 'decided', 'new', 'decided', 'permitted', 'permitted',"
        " 'Fine.', '', 'permitted', %s)",
        [world.plain.pk, at(template.created_at), world.plain.sha256],
    )
    forged = Event.objects.order_by("-pk").first()
    assert forged is not None
    # Without the key, the best the insider can do is a plain hash in the HMAC's place.
    guess = hashlib.sha256(f"{head.head_hash}{forged.pk}".encode()).hexdigest()
    sql(
        "INSERT INTO assessment_chainentry (position, event_id, record_id, record_seq, key_id,"
        " legacy, prev_hash, entry_hash) VALUES (%s, %s, %s, 2, 'test', FALSE, %s, %s)",
        [head.length + 1, forged.pk, world.plain.pk, head.head_hash, guess],
    )
    sql(
        "UPDATE assessment_chainhead SET length = %s, head_hash = %s WHERE id = 1",
        [head.length + 1, guess],
    )

    failure = first_failure(verify())
    assert failure.startswith(f"{world.plain.reference} event {forged.pk} (chain entry 8)")
    assert "its HMAC does not match" in failure
    assert WARNING in record_page(signed_in, world.plain)


def test_a_record_replaced_by_a_copy_from_another_database(signed_in, world):
    # Another installation (another key, same key id) issued the same reference to a permitted
    # assessment; the insider copies its row over ours.
    other_key = base64.b64encode(b"another-installation-seal-key-0123456789").decode()
    target = world.other
    with override_settings(ASSESSMENT_SEAL_KEYS={"test": base64.b64decode(other_key)}):
        copy = make_record(kind="permitted")
        payload = json.loads(json.dumps(copy.payload))
        payload["reference"] = target.reference
        key_id, seal = integrity.seal_payload(payload)
    set_payload(
        target.pk,
        payload,
        sha256=payload_sha256(payload),
        seal=seal,
        seal_key_id=key_id,
        outcome="permitted",
        questionnaire_version=copy.questionnaire_version,
    )

    failure = first_failure(verify())
    assert failure == f"{target.reference}: The keyed seal does not match the record's content."
    body = record_page(signed_in, target)
    assert WARNING in body and "The keyed seal does not match" in body


def test_a_keyed_record_downgraded_to_a_legacy_seal(signed_in, world):
    # Blanking the seal so the record reads as "legacy": its chain entries covered the seal.
    sql("UPDATE assessment_record SET seal = '', seal_key_id = '' WHERE id = %s", [world.plain.pk])
    failure = first_failure(verify())
    assert failure.startswith(f"{world.plain.reference} event ")
    assert "its HMAC does not match" in failure
    assert WARNING in record_page(signed_in, world.plain)


def test_a_record_inserted_in_sql(signed_in):
    # A whole record row copied in (here: as an earlier release wrote one), without any event.
    insert_stored_record(stored_v1_records()[0])
    record = insert_stored_record(stored_v1_records()[1], chained=False)
    sql("DELETE FROM assessment_event WHERE record_id = %s", [record.pk])
    assert record.integrity_problems() == []  # its plain hash is right

    failure = first_failure(verify())
    assert failure == (
        f"{record.reference}: its submission is not in the hash chain: the record was inserted"
    )
    body = record_page(signed_in, record)
    assert WARNING in body and "submission is not in the hash chain" in body


def test_the_whole_chain_recomputed_with_a_guessed_key_fails(world):
    # An insider who rebuilds every entry needs the key: with any other key, nothing verifies.
    wrong = b"x" * 32
    prev = hashing.GENESIS
    for entry in ChainEntry.objects.order_by("position"):
        digest = hashing.hmac_hex(wrong, prev.encode() + str(entry.event_id).encode())
        sql(
            "UPDATE assessment_chainentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [prev, digest, entry.pk],
        )
        prev = digest
    result = verify()
    assert not result.ok
    assert "chain entry 1)" in first_failure(result)


def test_a_decision_written_straight_into_the_record_row(signed_in, world):
    # The case state moves, so it is not sealed; but every move appends an event saying where
    # it left the case, and a "permitted" typed into the row disagrees with the last one.
    record = world.other
    sql(
        "UPDATE assessment_record SET decided_outcome = 'permitted', status = 'decided'"
        " WHERE id = %s",
        [record.pk],
    )
    failure = first_failure(verify())
    assert failure == (
        f"{record.reference}: its case state (status decided, counts as permitted) is not the "
        "one its last chained event left (status new, counts as prohibited): the record row "
        "was edited outside the application"
    )
    assert WARNING in record_page(signed_in, record)
    # The API's gate reads the record through the same checks: never cleared.
    view = read_record(Record.objects.get(pk=record.pk))
    assert view.review.effective_outcome == "permitted"
    assert not view.intact and not view.cleared


@pytest.mark.parametrize("shape", ["a string", ["a", "list"], {"result": "not an object"}])
def test_a_payload_altered_into_another_shape_is_reported_not_a_crash(world, signed_in, shape):
    set_payload(world.plain.pk, shape)
    record = Record.objects.get(pk=world.plain.pk)
    assert "The stored hash does not match the record's content." in record.integrity_problems()
    assert WARNING in record_page(signed_in, record)
    assert not verify().ok
