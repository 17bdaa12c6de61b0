"""Where a respondent is in the journey: the next step, the step before, the private link."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from assessment import engine
from assessment.models import Draft
from assessment.services import drafts

RETURN_TO_CHECK = "check"


def next_step_url(draft: Draft, evaluation: engine.Evaluation) -> str:
    """The first step still to do: details, then the next unanswered question, then check."""
    if draft.is_submitted:
        return reverse("result", args=[draft.token])
    if not draft.has_details:
        return reverse("details", args=[draft.token])
    if not evaluation.complete and evaluation.next_question is not None:
        return reverse("question", args=[draft.token, evaluation.next_question.id])
    return reverse("check", args=[draft.token])


def redirect_to(url: str) -> HttpResponseRedirect:
    """A redirect to a URL already built. Not `redirect(url)`: that first tries the URL as a view
    name, and the failed reverse() costs about 0.2 ms, a tenth of an answer's POST (issue 15)."""
    return HttpResponseRedirect(url)


def question_number(evaluation: engine.Evaluation, question_id: str) -> int | None:
    """The question's place on the live path (1-based), or None when it is off the path."""
    for number, step in enumerate(evaluation.path, start=1):
        if step.question.id == question_id:
            return number
    upcoming = evaluation.next_question
    if upcoming is not None and upcoming.id == question_id:
        return len(evaluation.path) + 1
    return None


def previous_url(draft: Draft, evaluation: engine.Evaluation, number: int) -> str:
    """The page before question `number`: the question before it, or the details page."""
    if number <= 1:
        return reverse("details", args=[draft.token])
    before = evaluation.path[number - 2].question
    return reverse("question", args=[draft.token, before.id])


def returning_to_check(request: HttpRequest) -> bool:
    """Whether the respondent came from "Check your answers" through a Change link."""
    return request.GET.get("return") == RETURN_TO_CHECK


def to_result_already_submitted(request: HttpRequest, draft: Draft) -> HttpResponse:
    messages.info(
        request,
        "You have already submitted this assessment, so its answers can no longer be changed. "
        "This is your result.",
    )
    return redirect("result", draft.token)


def journey_step(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A step of a draft's journey: once the draft is submitted (a resent form, a double click,
    back-and-resubmit, another tab), every step shows the result with one message."""

    @wraps(view)
    def step(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except drafts.DraftAlreadySubmitted as submitted:
            return to_result_already_submitted(request, submitted.draft)

    return step


def journey_context(request: HttpRequest, token: str) -> dict[str, Any]:
    """What every page of the journey shows: the private link to come back with."""
    return {
        "token": token,
        "private_link": request.build_absolute_uri(reverse("resume", args=[token])),
    }
