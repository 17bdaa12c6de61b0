"""The background tasks (django-tasks' `@task`, so `django.tasks` in Django 6 is an import away).

Each task is idempotent: running it twice, or on two workers at once, has the effect of running
it once (see each module in `assessment.background`). A task that raises is enqueued again after
the next of ASSESSMENT_TASK_RETRY_DELAYS; when none is left it ends failed, with its error kept
on its row (a delivery's or an export's) and on the task result the staff page lists.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from assessment.background import exports, outbox, renderings
from assessment.services import integrity

logger = logging.getLogger(__name__)


def _again(task_: Any, attempt: int, *args: Any, run_after: Any = None) -> None:
    backend_defers = task_.get_backend().supports_defer
    if run_after is not None and backend_defers:
        task_ = task_.using(run_after=run_after)
    task_.enqueue(*args, attempt=attempt)


def _retry_or_raise(task_: Any, attempt: int, *args: Any) -> str:
    """Called from an `except` block: schedule the next attempt, or re-raise on the last one."""
    delays = settings.ASSESSMENT_TASK_RETRY_DELAYS
    if attempt > len(delays):
        raise  # always called while handling the task's exception
    delay = delays[attempt - 1]
    _again(task_, attempt + 1, *args, run_after=timezone.now() + timedelta(seconds=delay))
    logger.warning("%s%s failed (attempt %d); retrying in %ss", task_.name, args, attempt, delay)
    return f"retrying (attempt {attempt} failed)"


@task()
def send_email(delivery_id: int, attempt: int = 1) -> str:
    try:
        return outbox.deliver(delivery_id)
    except outbox.StillSending as busy:
        # Not a failure: another worker is sending it. Look again when its lease lapses.
        _again(send_email, attempt, delivery_id, run_after=busy.until)
        return "being sent by another worker"
    except Exception as exc:
        if attempt > len(settings.ASSESSMENT_TASK_RETRY_DELAYS):
            outbox.give_up(delivery_id, exc)
        return _retry_or_raise(send_email, attempt, delivery_id)


@task()
def render_pdf(record_id: int, for_reviewers: bool = False, attempt: int = 1) -> str:
    try:
        (revision, last_event_id), _ = renderings.render_and_store(
            record_id, for_reviewers=for_reviewers
        )
    except Exception:
        return _retry_or_raise(render_pdf, attempt, record_id, for_reviewers)
    return f"rendered revision {revision}, event {last_event_id}"


@task()
def build_export(export_id: str, attempt: int = 1) -> str:
    try:
        return exports.build(export_id)
    except Exception as exc:
        if attempt > len(settings.ASSESSMENT_TASK_RETRY_DELAYS):
            exports.fail(export_id, exc)
        return _retry_or_raise(build_export, attempt, export_id)


@task()
def check_integrity() -> str:
    """A full `verify_integrity`, recorded for the dashboard; queued once a day by the task
    workers' heartbeat, with the daily checkpoint. A broken chain is a result, not an error:
    running it again would find the same."""
    report, _ = integrity.run_full_check()
    if report.ok:
        return f"passed: {report.records} seals, {report.entries} chain entries"
    logger.error("Integrity check FAILED at %s", report.problems[0])
    return f"FAILED at {report.problems[0]}"
