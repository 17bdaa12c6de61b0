"""Starting an assessment, coming back to it through the private link, and the details page."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import draft_for_respondent
from assessment.forms.details import DetailsForm
from assessment.services import drafts
from assessment.views.caching import never_cache
from assessment.views.respondent.navigation import (
    journey_context,
    journey_step,
    next_step_url,
    redirect_to,
    returning_to_check,
)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        draft = drafts.start_draft(client_address=request.META.get("REMOTE_ADDR", ""))
    except drafts.DraftLimitReached as limit:
        return draft_limit_page(request, limit)
    return redirect("details", draft.token)


def draft_limit_page(request: HttpRequest, limit: drafts.DraftLimitReached) -> HttpResponse:
    """The 429 page for a client past the drafts limit, saying (and sending) when to retry."""
    seconds = max(1, math.ceil(limit.retry_after.total_seconds()))
    response = render(
        request,
        "respondent/limit.html",
        {"per_hour": settings.ASSESSMENT_DRAFTS_PER_HOUR, "minutes": math.ceil(seconds / 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """The private link: takes the respondent to the first step still to do, in any browser."""
    draft = draft_for_respondent(token)
    return redirect_to(next_step_url(draft, drafts.evaluate_draft(draft)))


@never_cache
@require_http_methods(["GET", "POST"])
@journey_step
def details(request: HttpRequest, token: str) -> HttpResponse:
    returning = returning_to_check(request)
    if request.method == "POST":
        form = DetailsForm(request.POST)
        if form.is_valid():
            draft = drafts.save_details(token=token, details=form.cleaned_data)
            evaluation = drafts.evaluate_draft(draft)
            if returning and evaluation.complete:
                return redirect("check", token)
            return redirect_to(next_step_url(draft, evaluation))
        # Shown again by the GET below: an error page that answers a POST would make Back
        # ask to resubmit the form.
        sent = {field: request.POST.get(field, "") for field in drafts.DETAIL_FIELDS}
        drafts.keep_refused_details(token=token, sent=sent)
        return redirect_to(request.get_full_path())
    draft = drafts.open_draft(token)
    refused = drafts.pending_details(draft)
    if refused is not None:
        form = DetailsForm(refused)
        form.is_valid()  # the errors to show next to the fields
    else:
        form = DetailsForm(initial={field: getattr(draft, field) for field in drafts.DETAIL_FIELDS})
    back_url = reverse("check", args=[token]) if returning else reverse("home")
    return render(
        request,
        "respondent/details.html",
        {**journey_context(request, token), "form": form, "back_url": back_url},
    )
