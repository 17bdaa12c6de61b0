"""Each email goes out once per event, however many workers run and however often it is queued."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from assessment import notifications, tasks
from assessment.background import outbox
from assessment.models import Delivery
from tests.background.conftest import run_worker
from tests.factories import make_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_announcing_the_same_event_twice_queues_one_email(database_queue):
    record = make_record(kind="review")
    notifications.decision_made(record.pk)
    notifications.decision_made(record.pk)
    assert Delivery.objects.filter(reference=record.reference).count() == 1


def test_an_email_task_queued_twice_sends_one_email(database_queue):
    record = make_record(kind="review")
    mail.outbox.clear()
    notifications.decision_made(record.pk)
    delivery = Delivery.objects.get(reference=record.reference)
    tasks.send_email.enqueue(delivery.pk)  # a duplicate, as a retried request might queue

    run_worker()

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)


@pytest.mark.postgres_only
def test_an_email_task_queued_twice_and_run_by_two_workers_at_once_sends_one_email(
    database_queue, monkeypatch
):
    # Two worker threads, each with its own connection: on PostgreSQL as in production. (The
    # SQLite test database lives in shared memory, where concurrent writers fail at once
    # instead of waiting as they do on a SQLite file; `make cluster-check` runs two worker
    # processes for real.)
    record = make_record(kind="review")
    mail.outbox.clear()
    notifications.decision_made(record.pk)
    delivery = Delivery.objects.get(reference=record.reference)
    tasks.send_email.enqueue(delivery.pk)  # a duplicate, as a retried request might queue
    real_send = outbox.send_mail

    def slow_send(*args, **kwargs):
        time.sleep(0.5)  # both workers are at it at the same time
        return real_send(*args, **kwargs)

    monkeypatch.setattr("assessment.background.outbox.send_mail", slow_send)

    errors: list[BaseException] = []

    def work(worker_id: str) -> None:
        try:
            run_worker(worker_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(f"w{n}",)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [record.respondent_email]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 1


def test_an_email_whose_sender_died_mid_way_is_sent_once_its_lease_lapses(database_queue):
    record = make_record(kind="review")
    mail.outbox.clear()
    notifications.decision_made(record.pk)
    delivery = Delivery.objects.get(reference=record.reference)
    # A worker claimed it and was killed before sending: the row says "sending", lease lapsed.
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING,
        attempts=1,
        claimed_until=timezone.now() - timedelta(seconds=1),
    )

    run_worker()

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
