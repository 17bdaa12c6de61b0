"""The staff page on background work: what is queued or running, and what failed, with its
error, so a reviewer sees that an email or a rendering did not happen."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from assessment.models import Delivery
from assessment.views.review.decorators import reviewer_required

SHOWN = 50


@require_GET
@reviewer_required
def background(request: HttpRequest) -> HttpResponse:
    results = DBTaskResult.objects
    failed_tasks = [
        {
            "task": result.task_name,
            "args": result.args_kwargs.get("args", []),
            "finished_at": result.finished_at,
            "error": _last_line(result.traceback),
        }
        for result in results.failed().order_by("-finished_at")[:SHOWN]
    ]
    return render(
        request,
        "review/background.html",
        {
            "queued": results.ready().count(),
            "running": results.running().count(),
            "failed_tasks": failed_tasks,
            "failed_emails": Delivery.objects.filter(state=Delivery.State.FAILED)[:SHOWN],
            "pending_emails": Delivery.objects.exclude(
                state__in=[Delivery.State.SENT, Delivery.State.FAILED]
            ).count(),
        },
    )


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
