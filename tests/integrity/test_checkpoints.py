"""Signed checkpoints (chain length + head hash): stored daily, exported as JSON, and proving
later that the chain still extends them; the dashboard shows the chain and the last check."""

from __future__ import annotations

import datetime
import json
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment import tasks
from assessment.management.commands import run_worker
from assessment.models import ChainEntry, ChainHead, Checkpoint, Event, IntegrityCheck
from assessment.services import integrity, review
from tests.factories import make_record
from tests.integrity.conftest import first_failure, sql, verify

pytestmark = pytest.mark.django_db


def export(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.json"
    call_command("integrity_checkpoint", "--output", str(path), stderr=StringIO())
    return path


def test_a_checkpoint_is_signed_stored_and_exported(world, tmp_path):
    document = json.loads(export(tmp_path).read_text())
    head = ChainHead.objects.get()
    assert document["kind"] == "assessment-integrity-checkpoint"
    assert (document["length"], document["head_hash"]) == (7, head.head_hash)
    assert document["key_id"] == "test" and len(document["signature"]) == 64
    stored = Checkpoint.objects.get()
    assert integrity.checkpoint_document(stored) == document


def test_the_chain_still_extends_a_checkpoint_after_more_events(world, rita, tmp_path):
    path = export(tmp_path)
    review.add_note(record=world.plain, user=rita, note="Later.", audience="internal")
    make_record(kind="review")
    result = verify("--checkpoint", str(path))
    assert result.ok, result.output
    assert "The chain extends the checkpoint of" in result.output
    assert "(7 entries)" in result.output


def test_a_checkpoint_file_altered_by_hand_is_refused(world, tmp_path):
    path = export(tmp_path)
    document = json.loads(path.read_text())
    document["length"] = 6
    path.write_text(json.dumps(document))
    failure = first_failure(verify("--checkpoint", str(path)))
    assert failure == (
        f"checkpoint file {path}: its signature does not match: it is not a checkpoint this "
        "service signed"
    )


def test_a_replayed_old_head_is_caught_only_by_the_auditors_checkpoint(world, tmp_path):
    # The insider kept a copy of the head row from when the chain had 6 entries (its signature
    # was genuine then). Later, to hide the 7th event, they delete it and put the old head
    # back, and delete the stored checkpoints: the database is consistent again...
    sixth = ChainEntry.objects.get(position=6)
    assert ChainEntry.objects.get(position=7).event.record_id == world.other.pk
    last = Event.objects.order_by("-pk").first()
    assert last is not None
    # Exactly the row as it stood when the chain had 6 entries (signing is deterministic).
    kept = ChainHead(length=6, head_hash=sixth.entry_hash)
    integrity._sign_head(kept)
    old_head = [kept.length, kept.head_hash, kept.key_id, kept.signature]
    path = export(tmp_path)

    sql("DELETE FROM assessment_chainentry WHERE event_id = %s", [last.pk])
    sql("DELETE FROM assessment_event WHERE id = %s", [last.pk])
    sql(
        "UPDATE assessment_chainhead SET length = %s, head_hash = %s, key_id = %s, signature = %s"
        " WHERE id = 1",
        old_head,
    )
    sql("DELETE FROM assessment_checkpoint")
    assert verify().ok  # ...so a walk of the database alone finds nothing,

    # but the checkpoint the auditor kept proves the chain was cut short.
    failure = first_failure(verify("--checkpoint", str(path)))
    assert (
        failure == f"checkpoint file {path}: the chain no longer has an entry 7: it was cut short"
    )


def test_stored_checkpoints_are_checked_by_every_full_check(world, tmp_path):
    export(tmp_path)
    sql("UPDATE assessment_checkpoint SET length = 5")
    assert "its signature does not match" in first_failure(verify())


def test_a_checkpoint_is_due_once_a_day():
    now = timezone.now()
    first = integrity.checkpoint_if_due(now)
    assert first is not None
    assert integrity.checkpoint_if_due(now + datetime.timedelta(hours=23)) is None
    assert integrity.checkpoint_if_due(now + datetime.timedelta(hours=25)) is not None
    assert Checkpoint.objects.count() == 2


def test_the_daily_task_runs_a_full_check_and_records_it(world):
    result = tasks.check_integrity.enqueue()
    assert result.return_value.startswith("passed: 3 seals, 7 chain entries")
    assert IntegrityCheck.objects.get().ok


def test_the_dashboard_shows_the_chain_and_the_last_full_check(signed_in, world, tmp_path):
    page = signed_in.get(reverse("review:queue")).content.decode()
    assert 'data-chain-length="7"' in page
    assert 'data-head="signed"' in page
    assert 'data-last-check="never"' in page
    assert "Latest signed checkpoint: none yet" in page

    assert verify().ok
    export(tmp_path)
    page = signed_in.get(reverse("review:queue")).content.decode()
    assert 'data-last-check="passed"' in page
    assert reverse("review:integrity_checkpoint") in page

    sql("DELETE FROM assessment_chainentry WHERE position = 3")
    assert not verify().ok
    page = signed_in.get(reverse("review:queue")).content.decode()
    assert 'data-last-check="failed"' in page
    assert "chain entry 3: missing (the next entry is 4)" in page


def test_the_dashboard_says_when_the_head_was_rewritten(signed_in, world):
    sql("UPDATE assessment_chainhead SET length = 6")
    page = signed_in.get(reverse("review:queue")).content.decode()
    assert 'data-head="broken"' in page


def test_reviewers_download_the_latest_checkpoint(signed_in, client, world, tmp_path):
    url = reverse("review:integrity_checkpoint")
    assert signed_in.get(url).status_code == 404
    expected = json.loads(export(tmp_path).read_text())
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="checkpoint-')
    assert json.loads(response.content) == expected
    client.logout()
    assert client.get(url).status_code == 302  # sign in first


@pytest.mark.django_db(transaction=True)
def test_the_task_workers_heartbeat_signs_the_daily_checkpoint_and_checks(settings):
    immediate = settings.TASKS
    # Records submitted without rendering their PDFs (committed here, so they would be).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for kind in ("permitted", "review"):
        make_record(kind=kind)
    settings.TASKS = immediate
    # The heartbeat thread of `run_worker`, as it runs: one beat signs the day's checkpoint
    # and queues a full check (run at once here: the tests' tasks backend is immediate).
    stop = threading.Event()
    beat = threading.Thread(target=run_worker._heartbeat, args=("worker-1", stop))
    beat.start()
    deadline = time.monotonic() + 30
    while not IntegrityCheck.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    beat.join()
    assert Checkpoint.objects.get().length == 2
    check = IntegrityCheck.objects.get()
    assert check.ok and check.entries == 2
