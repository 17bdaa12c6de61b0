"""Starting a new assessment from a submitted one's answers (the old record stays as it was)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from assessment.access import record_for_respondent
from assessment.services import drafts, revisions
from assessment.views.respondent.journey import draft_limit_page


@require_POST
def revise(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_respondent(token)
    try:
        draft = revisions.start_revision(
            record=record, client_address=request.META.get("REMOTE_ADDR", "")
        )
    except drafts.DraftLimitReached as limit:
        return draft_limit_page(request, limit)
    # The new draft has its own private link; resuming goes to its first step still to do.
    return redirect("resume", draft.token)
