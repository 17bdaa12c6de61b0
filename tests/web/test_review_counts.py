"""The stored counts (models/counts.py: records per state, review events per day): kept by
database triggers on every write, so after each kind of write they equal the counts recomputed
from the records and events; the queue and the statistics read them; `rebuild_record_counts`
recomputes and checks them. Run on SQLite and PostgreSQL (their triggers differ)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse

from assessment.demo.seed import seed_assessments
from assessment.models import EventDay, Record, RecordCount, Status
from assessment.services import counts, review
from assessment.services.review import respondent_reply
from tests.factories import make_record, reloaded
from tests.review_support import make_approver

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The signed agreement AGR-2026-7 covers this use."


def _assert_counts_match() -> None:
    assert counts.stored_counts() == counts.counted_counts()
    assert counts.stored_days() == counts.counted_days()
    assert counts.stored_submission_days() == counts.counted_submission_days()


def _by_state() -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = {}
    for (status, outcome, _, _), n in counts.stored_counts().items():
        totals[(status, outcome)] = totals.get((status, outcome), 0) + n
    return totals


def test_every_kind_of_write_keeps_the_stored_counts_equal_to_the_records(rita):
    april = make_approver()
    _assert_counts_match()
    # Submission.
    first, second, third = (make_record(kind=kind) for kind in ("review", "permitted", "review"))
    fourth = make_record(kind="prohibited")
    _assert_counts_match()
    assert _by_state()[(Status.NEW, "review")] == 2
    # Assign, ask, the respondent's reply.
    review.assign_to_me(record=first, user=rita, expected_revision=0)
    _assert_counts_match()
    review.request_information(record=first, user=rita, expected_revision=1, message="Which?")
    _assert_counts_match()
    respondent_reply(record=reloaded(first), message="This one.")
    _assert_counts_match()
    # Decide (no four eyes), close.
    first = reloaded(first)
    review.decide(record=first, user=rita, expected_revision=first.revision, outcome="prohibited")
    _assert_counts_match()
    first = reloaded(first)
    review.close(record=first, user=rita, expected_revision=first.revision, reason="Done.")
    _assert_counts_match()
    # Confirm; then a revision proposed (four eyes) and approved.
    review.confirm(record=second, user=rita, expected_revision=0)
    _assert_counts_match()
    second = reloaded(second)
    review.override(
        record=second,
        user=rita,
        expected_revision=second.revision,
        outcome="prohibited",
        justification=JUSTIFICATION,
    )
    _assert_counts_match()
    second = reloaded(second)
    review.approve(record=second, user=april, expected_revision=second.revision)
    _assert_counts_match()
    # A proposal sent back; a case closed with a named ending, with nothing decided.
    review.override(
        record=fourth,
        user=rita,
        expected_revision=0,
        outcome="permitted",
        justification=JUSTIFICATION,
    )
    fourth = reloaded(fourth)
    review.reject(record=fourth, user=april, expected_revision=fourth.revision, note="No.")
    _assert_counts_match()
    review.close(
        record=third, user=rita, expected_revision=0, reason="Withdrawn.", ending="withdrawn"
    )
    _assert_counts_match()
    # The bulk seeder (COPY on PostgreSQL), with and without rebuilt indexes.
    seed_assessments(count=40, batch_size=15)
    _assert_counts_match()
    if connection.vendor == "postgresql":
        seed_assessments(count=20, seed=3, batch_size=15, rebuild_indexes=True)
        _assert_counts_match()
    # SQL typed by hand, many rows at once: still counted.
    Record.objects.filter(status=Status.NEW).update(status=Status.IN_REVIEW)
    _assert_counts_match()
    Record.objects.filter(pk=second.pk).update(submitted_at=F("submitted_at") - timedelta(days=3))
    _assert_counts_match()
    Record.objects.filter(pk=first.pk).update(status=Status.CLOSED)  # unchanged: no row
    _assert_counts_match()
    assert sum(counts.stored_counts().values()) == Record.objects.count()


def test_compacting_folds_the_rows_and_keeps_every_count():
    seed_assessments(count=30, batch_size=10)
    Record.objects.filter(status=Status.DECIDED).update(status=Status.CLOSED)
    Record.objects.filter(status=Status.CLOSED).update(status=Status.DECIDED)
    before = counts.stored_counts()
    days = counts.stored_days()
    assert counts.compact() is True
    assert counts.stored_counts() == before == counts.counted_counts()
    assert RecordCount.objects.count() == len(before)  # one row per state
    assert counts.stored_days() == days == counts.counted_days()
    assert EventDay.objects.count() == len(days)
    assert counts.stored_submission_days() == counts.counted_submission_days()
    assert counts.compact(minimum=100) is False  # few rows: nothing to do


def test_rebuild_record_counts_checks_and_repairs_them():
    seed_assessments(count=25, batch_size=10)
    out = StringIO()
    call_command("rebuild_record_counts", "--check", stdout=out)
    assert "match" in out.getvalue()
    RecordCount.objects.filter(status=Status.DECIDED).delete()  # as if the triggers were off
    EventDay.objects.filter(action="approved").update(n=0)
    err = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_record_counts", "--check", stdout=StringIO(), stderr=err)
    assert "records decided/" in err.getvalue() and "events " in err.getvalue()
    call_command("rebuild_record_counts", stdout=StringIO())
    _assert_counts_match()
    call_command("rebuild_record_counts", "--check", stdout=StringIO())


def test_the_queue_counts_come_from_the_stored_counts(signed_in):
    seed_assessments(count=30, batch_size=10)
    new_review = _by_state().get((Status.NEW, "review"), 0)
    # The stored counts are what the page shows: a row added to them shows up.
    RecordCount.objects.create(
        status=Status.NEW, outcome="review", outcome_ids=";x;", decided=False, n=1000
    )
    shown = f'data-status-count="new">New <span class="count">({new_review + 1000})</span>'
    body = signed_in.get(reverse("review:queue") + "?outcome=review").content.decode()
    assert shown in body
    # Other filters count the matching records themselves.
    body = signed_in.get(reverse("review:queue") + "?outcome=review&q=a").content.decode()
    assert shown not in body
    assert 'data-status-count="new">New <span class="count">(' in body
