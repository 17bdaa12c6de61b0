"""Where a respondent is in the journey: the next step, the step before, the private link."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse

from assessment import engine
from assessment.models import Draft
from assessment.services import drafts

RETURN_TO_CHECK = "check"

# Arguments that every path converter of the journey's URLs (`str`) takes as they are, and
# that reverse() writes into the URL unquoted: a token (URL-safe base64), a question's id.
_PLAIN_ARGUMENT = re.compile(r"[A-Za-z0-9_-]+\Z")
_ARGUMENT = "qzargumentqz"


def journey_url(name: str, *args: str) -> str:
    """`reverse(name, args=args)`, for the journey's own URLs, without reverse()'s cost on
    every call: about 50 µs here (three context-local reads, the candidate patterns, the check
    of the result against the route), and a question page needs two, its POST one (issue 15).
    The URL is reversed once per script prefix with stand-ins for its arguments, then each
    call puts the arguments in their places. Anything reverse() might quote or refuse takes
    reverse() itself. tests/web/test_journey_urls.py holds it to reverse() on every route."""
    if not all(_PLAIN_ARGUMENT.match(arg) for arg in args):
        return reverse(name, args=args)
    parts = _url_parts(get_script_prefix(), get_urlconf(), name, len(args))
    url = parts[0]
    for arg, after in zip(args, parts[1:], strict=True):
        url += arg + after
    return url


@lru_cache(maxsize=64)
def _url_parts(prefix: str, urlconf: str | None, name: str, arity: int) -> tuple[str, ...]:
    """The URL reversed with stand-ins, split around them (the prefix and urlconf are the
    reversal's inputs beyond its arguments, so they are part of the key)."""
    stand_ins = [f"{_ARGUMENT}{index}" for index in range(arity)]
    url = reverse(name, urlconf=urlconf, args=stand_ins)
    parts = []
    for stand_in in stand_ins:
        before, found, url = url.partition(stand_in)
        if not found:
            raise AssertionError(f"{name} does not show its argument {stand_in}")
        parts.append(before)
    return (*parts, url)


def next_step_url(draft: Draft, evaluation: engine.Evaluation) -> str:
    """The first step still to do: details, then the next unanswered question, then check."""
    if draft.is_submitted:
        return journey_url("result", draft.token)
    if not draft.has_details:
        return journey_url("details", draft.token)
    if not evaluation.complete and evaluation.next_question is not None:
        return journey_url("question", draft.token, evaluation.next_question.id)
    return journey_url("check", draft.token)


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
        return journey_url("details", draft.token)
    before = evaluation.path[number - 2].question
    return journey_url("question", draft.token, before.id)


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
        "private_link": request.build_absolute_uri(journey_url("resume", token)),
    }
