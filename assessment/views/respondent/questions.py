"""One question per page: show it, validate the answer with the engine, save, move on."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessment import engine
from assessment.access import draft_for_respondent
from assessment.forms.questions import QuestionForm
from assessment.models import Draft
from assessment.questionnaire import load
from assessment.services import drafts
from assessment.views.respondent.navigation import (
    journey_context,
    next_step_url,
    previous_url,
    question_number,
    returning_to_check,
    to_result_already_submitted,
)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, token: str, question_id: str) -> HttpResponse:
    draft = draft_for_respondent(token)
    if draft.is_submitted:
        return to_result_already_submitted(request, draft)
    questionnaire = load(draft.questionnaire_version)
    asked = questionnaire.questions.get(question_id)
    if asked is None:
        raise Http404
    evaluation = drafts.evaluate_draft(draft)
    if not draft.has_details:
        return redirect("details", token)
    number = question_number(evaluation, question_id)
    if number is None:
        # An old bookmark, a back button after a change of path, or a forged POST: the
        # question is not part of this assessment any more, so nothing is saved.
        messages.warning(
            request,
            "That question is not part of your assessment with the answers you have given, "
            "so nothing was saved. Continue from here.",
        )
        return redirect(next_step_url(draft, evaluation))

    if request.method == "POST":
        form = QuestionForm(asked, data=request.POST)
        if form.is_valid():
            return _save(request, draft, question_id, form)
    else:
        form = QuestionForm(asked, stored=draft.answers.get(question_id))

    returning = returning_to_check(request)
    back_url = (
        reverse("check", args=[token]) if returning else previous_url(draft, evaluation, number)
    )
    return render(
        request,
        "respondent/question.html",
        {
            **journey_context(request, token),
            "form": form,
            "question": asked,
            "number": number,
            "back_url": back_url,
            "action": request.get_full_path(),
        },
        # A missing or overlong answer is an ordinary mistake (200, as GOV.UK pages do); an
        # option that is not on the page can only come from a forged request (400).
        status=400 if form.has_forged_choice else 200,
    )


def _save(request: HttpRequest, draft: Draft, question_id: str, form: QuestionForm) -> HttpResponse:
    with transaction.atomic():
        # Locked, so two tabs answering at once cannot interleave their path changes.
        draft = draft_for_respondent(draft.token, for_update=True)
        if draft.is_submitted:
            return to_result_already_submitted(request, draft)
        try:
            saved = drafts.save_answer(
                draft=draft, question_id=question_id, raw=form.cleaned_data["answer"]
            )
        except engine.AnswerError:
            # The path moved between the page load and the lock (another tab): start over.
            messages.warning(request, "Your answers changed in another window. Check this step.")
            return redirect("resume", draft.token)
    if saved.dropped:
        messages.warning(request, _dropped_message(saved.dropped))
    if returning_to_check(request) and saved.evaluation.complete:
        return redirect("check", draft.token)
    return redirect(next_step_url(draft, saved.evaluation))


def _dropped_message(texts: tuple[str, ...]) -> str:
    listed = "; ".join(f"“{text}”" for text in texts)
    if len(texts) == 1:
        what = "this question no longer applies and its answer was removed"
    else:
        what = "these questions no longer apply and their answers were removed"
    return f"You changed an answer, so {what}: {listed}"
