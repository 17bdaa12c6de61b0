""" "Check your answers" and submitting: one record, however often the form is sent."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from assessment.forms.details import DetailsForm
from assessment.services import drafts, submission
from assessment.views.caching import never_cache
from assessment.views.respondent import check_page
from assessment.views.respondent.navigation import (
    journey_context,
    journey_step,
    next_step_url,
    redirect_to,
)

INCOMPLETE = "Some questions still need an answer before you can submit."


@never_cache
@require_http_methods(["GET", "POST"])
@journey_step
def check(request: HttpRequest, token: str) -> HttpResponse:
    draft = drafts.open_draft(token)
    if request.method == "POST":
        # The page's fingerprint guards against a stale tab; a POST without one (a script
        # using the documented "POST submits" interface) submits the answers as they stand.
        try:
            submission.submit(draft=draft, shown_digest=request.POST.get("shown"))
        except submission.StaleCheckPage:
            messages.warning(
                request,
                "Your answers changed since this page was shown (perhaps in another window). "
                "Check them again, then submit.",
            )
            return redirect("check", token)
        except submission.NotReadyToSubmit:
            messages.warning(request, INCOMPLETE)
            return redirect_to(next_step_url(draft, drafts.evaluate_draft(draft)))
        return redirect("result", token)

    evaluation = drafts.evaluate_draft(draft)
    if not draft.has_details or not evaluation.complete:
        messages.warning(request, INCOMPLETE)
        return redirect_to(next_step_url(draft, evaluation))
    context = {
        **journey_context(request, token),
        "version": draft.questionnaire_version,
        "steps": evaluation.path,
        "shown": submission.fingerprint(draft),
        "details": [
            (str(DetailsForm.base_fields[field].label), getattr(draft, field), field)
            for field in drafts.DETAIL_FIELDS
        ],
    }
    if check_page.can_use_cache(request):
        return check_page.render_cached(request, context)
    return check_page.render_page(request, context)
