""" "Check your answers" and submitting: one record, however often the form is sent."""

from __future__ import annotations

import hmac

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessment.access import draft_for_respondent
from assessment.canonical import payload_sha256
from assessment.forms.details import DetailsForm
from assessment.models import Draft
from assessment.services import drafts, submission
from assessment.views.respondent.navigation import (
    journey_context,
    next_step_url,
    to_result_already_submitted,
)


def _shown_digest(draft: Draft) -> str:
    """A fingerprint of what the check page showed, so a stale page cannot submit other answers."""
    return payload_sha256(
        {
            "answers": draft.answers,
            "details": {field: getattr(draft, field) for field in drafts.DETAIL_FIELDS},
        }
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, token: str) -> HttpResponse:
    draft = draft_for_respondent(token)
    if draft.is_submitted:
        # A resent form, a double click or back-and-resubmit: the record already exists.
        return to_result_already_submitted(request, draft)
    evaluation = drafts.evaluate_draft(draft)
    if not draft.has_details or not evaluation.complete:
        messages.warning(request, "Some questions still need an answer before you can submit.")
        return redirect(next_step_url(draft, evaluation))

    if request.method == "POST":
        # The page's fingerprint guards against a stale tab; a POST without one (a script
        # using the documented "POST submits" interface) submits the answers as they stand.
        shown = request.POST.get("shown")
        if shown is not None and not hmac.compare_digest(
            shown.encode(), _shown_digest(draft).encode()
        ):
            messages.warning(
                request,
                "Your answers changed since this page was shown (perhaps in another window). "
                "Check them again, then submit.",
            )
            return redirect("check", token)
        try:
            submission.submit(draft_id=draft.pk)
        except submission.NotReadyToSubmit as error:
            messages.warning(request, error.reason)
            return redirect(next_step_url(draft, evaluation))
        return redirect("result", token)

    return render(
        request,
        "respondent/check.html",
        {
            **journey_context(request, token),
            "draft": draft,
            "steps": evaluation.path,
            "shown": _shown_digest(draft),
            "details": [
                (str(DetailsForm.base_fields[field].label), getattr(draft, field), field)
                for field in drafts.DETAIL_FIELDS
            ],
        },
    )
