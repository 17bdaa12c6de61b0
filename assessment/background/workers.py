"""Liveness of task workers: each reports every few seconds; a task left running by a worker
that stopped reporting (killed, host lost) goes back to the queue for another worker.

django-tasks-db claims a task with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (an
exclusive transaction on SQLite), so two workers never claim the same task; what it does not
do is notice a worker that died holding one. This module does, and the tasks are idempotent,
so running such a task again is safe.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessment.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def requeue_orphans() -> int:
    """Put back in the queue the running tasks whose worker has stopped reporting."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.ASSESSMENT_WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        requeued += DBTaskResult.objects.filter(
            pk=result.pk, status=result.status, started_at=result.started_at
        ).update(status="READY", started_at=None)
        logger.warning("Requeued task %s (%s): its worker stopped", result.pk, result.task_path)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued
