"""The result of a submitted assessment, and the respondent's replies to reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from assessment.access import draft_for_respondent, record_for_respondent
from assessment.forms.reply import ReplyForm
from assessment.selectors.respondent import ResultPage, result_page, result_page_for_respondent
from assessment.services import review
from assessment.views.caching import never_cache
from assessment.views.respondent import result_cache
from assessment.views.respondent.navigation import journey_context


def _render(request: HttpRequest, page: ResultPage, form: ReplyForm | None = None) -> HttpResponse:
    """The page; `form` is a refused reply, to show with its errors."""
    context = {**journey_context(request, page.record.token), "page": page}
    if form is None and result_cache.can_use_cache(request):
        return result_cache.render_cached(request, context)
    return result_cache.render_page(request, {**context, "form": form or ReplyForm()})


@never_cache
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    try:
        page = result_page_for_respondent(token)
    except Http404:
        # A draft's private link before submission: send it to the step still to do.
        draft_for_respondent(token)  # a guessed token is still a 404
        return redirect("resume", token)
    return _render(request, page)


@never_cache
@require_POST
def reply(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_respondent(token)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, result_page(record), form)
    # Kept whatever the case's status now: reviewers may have decided while they typed.
    review.respondent_reply(
        record=record,
        message=form.cleaned_data["message"],
        attachment=form.cleaned_data["attachment"],
    )
    messages.success(request, "Your message has been sent to the reviewers.")
    return redirect("result", token)
