"""Appends from concurrent transactions never fork the chain: each waits for the head's lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from assessment.models import ChainEntry, ChainHead
from assessment.services import review
from tests.factories import make_record
from tests.integrity.conftest import verify
from tests.review_support import make_reviewer

NOTES = 15


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_at_once_make_one_unbroken_chain():
    reviewer = make_reviewer()
    records = [make_record(kind="review"), make_record(kind="permitted")]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append_notes(record) -> None:
        try:
            start.wait()
            for n in range(NOTES):
                review.add_note(record=record, user=reviewer, note=f"Note {n}", audience="internal")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append_notes, args=(record,)) for record in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = 2 + 2 * NOTES
    positions = list(ChainEntry.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, total + 1))
    assert ChainHead.objects.get().length == total
    result = verify()
    assert result.ok, result.output
