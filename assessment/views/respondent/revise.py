"""Starting a new assessment from a submitted one's answers (the old record stays as it was)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessment.access import record_for_respondent
from assessment.services import drafts, revisions


@require_POST
def revise(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_respondent(token)
    try:
        draft = revisions.start_revision(
            record=record, client_address=request.META.get("REMOTE_ADDR", "")
        )
    except drafts.DraftLimitReached:
        return render(
            request,
            "respondent/limit.html",
            {"per_hour": settings.ASSESSMENT_DRAFTS_PER_HOUR},
            status=429,
        )
    # The new draft has its own private link; resuming goes to its first step still to do.
    return redirect("resume", draft.token)
