"""Driving the real queue: tasks go to the database backend and the django-tasks-db worker
runs them, in this process (batch mode: it stops when nothing is left to do)."""

from __future__ import annotations

import pytest
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """Tasks are queued in the database until a worker runs them."""
    settings.TASKS = DATABASE_TASKS


def run_worker(worker_id: str = "test-worker") -> None:
    """Run every task that is ready, as `manage.py run_worker --batch` would, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
