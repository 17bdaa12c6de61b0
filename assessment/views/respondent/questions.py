"""One question per page: show it, hand the answer to the service, redirect after every POST.

A refused answer redirects too (post/redirect/get): the service keeps what was sent and why it
was refused on the draft, and the page shows them again, so Back after an error works as it
does after a valid answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from assessment.forms.questions import QuestionForm, posted_answer
from assessment.models import Draft
from assessment.questionnaire import load
from assessment.services import drafts
from assessment.views.caching import never_cache
from assessment.views.respondent import question_page
from assessment.views.respondent.navigation import (
    journey_context,
    journey_step,
    journey_url,
    next_step_url,
    previous_url,
    question_number,
    redirect_to,
    returning_to_check,
)

# An old bookmark, a back button after a change of path, or a link to a question not reached yet:
# which one the engine cannot tell until the earlier questions are answered, so the message
# names both.
NOT_ON_PATH = (
    "That question cannot be answered now: earlier questions come first, or it is not part of "
    "your assessment with the answers you have given. Nothing was saved. Continue from here."
)


@never_cache
@require_http_methods(["GET", "POST"])
@journey_step
def question(request: HttpRequest, token: str, question_id: str) -> HttpResponse:
    if request.method == "POST":
        return _answer(request, token, question_id)
    return _page(request, drafts.open_draft(token), question_id)


def _page(
    request: HttpRequest,
    draft: Draft,
    question_id: str,
    *,
    forged: drafts.InvalidAnswer | None = None,
    sent: list[str] | None = None,
) -> HttpResponse:
    asked = load(draft.questionnaire_version).questions.get(question_id)
    if asked is None:
        raise Http404
    if not draft.has_details:
        return redirect("details", draft.token)
    evaluation = drafts.evaluate_draft(draft)
    number = question_number(evaluation, question_id)
    if number is None:
        # An old bookmark, or a back button after a change of path: not part of it any more.
        messages.warning(request, NOT_ON_PATH)
        return redirect_to(next_step_url(draft, evaluation))

    if forged is not None:
        form = QuestionForm(asked, sent=sent, refusal=forged.message)
    else:
        pending = drafts.pending_for(draft, question_id)
        if pending is not None:
            form = QuestionForm(asked, sent=pending[0], refusal=pending[1])
        else:
            # The stored answer, or one a change took off the path, filled in again.
            stored = draft.answers.get(question_id)
            if stored is None:
                stored = drafts.set_aside_for(draft, question_id)
            form = QuestionForm(asked, sent=stored)
    back_url = (
        journey_url("check", draft.token)
        if returning_to_check(request)
        else previous_url(draft, evaluation, number)
    )
    context = {
        **journey_context(request, draft.token),
        "version": draft.questionnaire_version,
        "form": form,
        "question": asked,
        "number": number,
        "back_url": back_url,
        "action": request.get_full_path(),
    }
    if forged is not None:
        # An option that is not on the page can only come from a forged request (400).
        return question_page.render_page(request, context, status=400)
    if question_page.can_use_cache(request, form):
        return question_page.render_cached(request, context)
    return question_page.render_page(request, context)


def _answer(request: HttpRequest, token: str, question_id: str) -> HttpResponse:
    sent = posted_answer(request.POST)
    # One value as a string (a radio, a text, a single ticked checkbox), several as a list.
    raw: str | list[str] | None = sent[0] if len(sent) == 1 else (sent or None)
    try:
        saved = drafts.answer_question(token=token, question_id=question_id, raw=raw)
    except drafts.UnknownQuestion:
        raise Http404 from None
    except drafts.DetailsMissing:
        return redirect("details", token)
    except drafts.QuestionNotOnPath as refused:
        messages.warning(request, NOT_ON_PATH)
        return redirect_to(next_step_url(refused.draft, drafts.evaluate_draft(refused.draft)))
    except drafts.InvalidAnswer as refused:
        if refused.forged:
            return _page(request, drafts.open_draft(token), question_id, forged=refused, sent=sent)
        # Post/redirect/get: the page shows the refused answer and its message again.
        return redirect_to(request.get_full_path())
    if saved.dropped:
        messages.warning(request, _dropped_message(saved.dropped))
    if returning_to_check(request) and saved.evaluation.complete:
        return redirect("check", token)
    return redirect_to(next_step_url(saved.draft, saved.evaluation))


def _dropped_message(texts: tuple[str, ...]) -> str:
    listed = "; ".join(f"“{text}”" for text in texts)
    if len(texts) == 1:
        what = "this question no longer applies and its answer was removed from your assessment"
        kept = "If it applies again, your answer is filled in for you to check."
    else:
        what = "these questions no longer apply and their answers were removed from your assessment"
        kept = "If they apply again, your answers are filled in for you to check."
    return f"You changed an answer, so {what}: {listed}. {kept}"
