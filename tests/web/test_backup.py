"""Backup and restore: the portable route (dumpdata, fresh database, loaddata) keeps every
record, its audit trail and its hash intact. The flags are the ones the README documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

from assessment.models import Draft, Event, EventAction, Record, ReferenceCounter, Status
from assessment.services import integrity
from assessment.services.trail import append_event
from tests.factories import make_draft, make_record

# What the README's backup command dumps: the app and the reviewer accounts; content types and
# permissions are recreated by `migrate`, and sessions and sign-in attempts are not worth keeping.
DUMP_ARGS = [
    # XML, not JSON: Django's JSON encoder cuts timestamps to milliseconds, XML keeps them.
    "--format=xml",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=admin.logentry",
    "--exclude=sessions",
    "--exclude=axes",
]


def snapshot() -> dict:
    return {
        "records": {
            # The assignee by username: with natural keys, a restored user may get a new id.
            r.reference: (
                r.sha256,
                r.payload,
                r.status,
                r.assigned_to.username if r.assigned_to else None,
                r.revision,
                r.token,
                r.submitted_at,
            )
            for r in Record.objects.select_related("assigned_to")
        },
        "events": [
            (e.record.reference, e.action, e.actor_label, e.record_sha256, e.created_at)
            for e in Event.objects.select_related("record")
        ],
        "drafts": {d.token: (d.answers, d.updated_at, d.submitted_at) for d in Draft.objects.all()},
        "counters": list(ReferenceCounter.objects.values_list("year", "last")),
    }


@pytest.mark.django_db(transaction=True)
def test_dump_flush_and_load_keeps_every_record_with_a_valid_hash(tmp_path: Path):
    reviewer = User.objects.create_user("reviewer", email="r@example.com", password="x" * 20)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_record"))
    records = [make_record(kind=kind) for kind in ("permitted", "review", "prohibited")]
    # A case that moved: assigned to a reviewer, with its audit event, as the services do it.
    moved = records[1]
    moved.assigned_to, moved.status, moved.revision = reviewer, Status.IN_REVIEW, 1
    moved.save(update_fields=["assigned_to", "status", "revision"])
    append_event(
        record=moved,
        actor=reviewer,
        actor_label="reviewer",
        action=EventAction.ASSIGNED,
        from_status=Status.NEW,
        from_outcome=moved.outcome,
    )
    make_draft()  # one still being answered
    before = snapshot()

    backup = tmp_path / "backup.xml"
    call_command("dumpdata", *DUMP_ARGS, "--output", str(backup), verbosity=0)
    call_command("flush", "--no-input", verbosity=0)
    assert Record.objects.count() == 0 and Event.objects.count() == 0

    call_command("loaddata", str(backup), verbosity=0)

    assert snapshot() == before
    restored = Record.objects.all()
    assert len(restored) == 3
    for record in restored:
        assert record.integrity_problems() == []
    # The seals and the hash chain (entries, head) come back with them and still verify.
    report = integrity.verify_all()
    assert report.ok, report.problems
    assert report.entries == 4
    # The reviewer can still sign in and review: permissions are matched by natural key.
    restored_reviewer = User.objects.get(username="reviewer")
    assert restored_reviewer.check_password("x" * 20)
    assert restored_reviewer.has_perm("assessment.review_record")


@pytest.mark.django_db(transaction=True)
def test_restore_leaves_new_submissions_numbered_after_the_restored_ones(tmp_path: Path):
    first = make_record(kind="review")
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", *DUMP_ARGS, "--output", str(backup), verbosity=0)
    call_command("flush", "--no-input", verbosity=0)
    call_command("loaddata", str(backup), verbosity=0)

    # loaddata sets explicit primary keys; the next insert must not collide with them.
    second = make_record(kind="review")
    assert second.reference != first.reference
    assert second.pk != first.pk
    assert second.integrity_problems() == []
