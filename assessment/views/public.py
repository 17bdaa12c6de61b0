"""Pages anyone may see: the start page and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.questionnaire import CURRENT_VERSION, load
from assessment.views.caching import never_cache


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    questionnaire = load(CURRENT_VERSION)
    return render(request, "respondent/start.html", {"questionnaire": questionnaire})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; the reason goes to the log
        import logging

        logging.getLogger(__name__).exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
