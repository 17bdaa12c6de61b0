"""`manage.py run_worker`: django-tasks-db's `db_worker`, plus a heartbeat.

Every few seconds a thread reports this worker alive and requeues the tasks of workers that
stopped reporting (`assessment.background.workers`); once a day it also signs a checkpoint of
the hash chain and queues a full integrity check (`services.integrity.checkpoint_if_due`), and
folds the stored record counts when they have grown (`services.counts.compact`).
Run as many as you like, on any host that reaches the database; run them under a process
manager (see README, "Background work").
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from assessment import tasks
from assessment.background import workers
from assessment.services import counts, integrity

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0


class Command(DbWorkerCommand):
    help = "Run a background task worker (db_worker with a heartbeat and orphan recovery)"

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=_heartbeat, args=(options["worker_id"], stop), daemon=True, name="heartbeat"
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()


def _heartbeat(worker_id: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            workers.beat(worker_id)
            workers.requeue_orphans()
            if integrity.checkpoint_if_due() is not None:
                tasks.check_integrity.enqueue()
            counts.compact(minimum=counts.COMPACT_FROM)  # the queue sums these rows
        except Exception:  # a database hiccup must not kill the worker: try again later
            logger.exception("Worker heartbeat failed")
        finally:
            connection.close()
        stop.wait(HEARTBEAT_SECONDS)
