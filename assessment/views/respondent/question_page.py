"""The question page, drawn fast: its markup rendered once per (version, question), then only
the respondent's parts filled in.

A question page is the same for every respondent of a version except for a handful of values:
the question's number on their path, the Back link, the form's action, the private link, the
CSRF token, which options are ticked and the text typed. `cached_page` renders the ordinary
template once with a marker in place of each of these; `fill` puts the respondent's values
where the markers are, escaped exactly as the template escapes them. Anything rarer takes the
template itself (`render_page`): an error shown again, a message, a signed-in reviewer (whose
header differs). tests/web/test_respondent_question_page.py compares both renderings for every
question of every version, so the page a respondent sees cannot drift.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape

from assessment.context_processors import product
from assessment.forms.questions import FIELD, QuestionForm
from assessment.questionnaire import Question, load
from assessment.views.respondent import markers

TEMPLATE = "respondent/question.html"
NUMBER = markers.marker("number")
BACK_URL = markers.marker("back")
ACTION = markers.marker("action")
PRIVATE_LINK = markers.marker("link")
CSRF = markers.marker("csrf")
TEXT = markers.marker("text")


@lru_cache(maxsize=1024)
def cached_page(version: str, question_id: str) -> str:
    """The page of a question with markers for the respondent's values, nothing ticked."""
    question = load(version).questions[question_id]
    context = {
        **product(None),  # reads settings only
        "form": QuestionForm(question, sent=TEXT if question.is_text else None),
        "question": question,
        "number": NUMBER,
        "back_url": BACK_URL,
        "action": ACTION,
        "private_link": PRIVATE_LINK,
        "csrf_token": CSRF,
    }
    page = render_to_string(TEMPLATE, context)
    for marker in (NUMBER, BACK_URL, ACTION, PRIVATE_LINK, CSRF):
        if marker not in page:
            raise AssertionError(f"{TEMPLATE} no longer shows {marker}")
    return page


def fill(
    page: str,
    form: QuestionForm,
    *,
    number: int,
    back_url: str,
    action: str,
    private_link: str,
    csrf_token: str,
) -> str:
    """The respondent's values in place of the markers, escaped as the template would, in one
    pass: a value that holds a marker's letters (typed text, the query string in `action`) is
    never taken for a marker and replaced in its turn. `form` is the page's own, unbound (no
    refusal to show): what it holds is what gets ticked or typed."""
    values = {
        NUMBER: str(number),
        BACK_URL: back_url,
        ACTION: action,
        PRIVATE_LINK: private_link,
        CSRF: csrf_token,
    }
    if form.question.is_text:
        values[TEXT] = form.text_value
    else:
        for input_id, value in form.checked():
            # The template writes ` checked` right after the value attribute.
            drawn = f'id="{input_id}" value="{escape(value)}"'
            page = page.replace(drawn, f"{drawn} checked", 1)
    return markers.fill(page, values)


def can_use_cache(request: HttpRequest, form: QuestionForm) -> bool:
    """The cached markup fits: no error to show, no message, nobody signed in."""
    from django.contrib.messages import get_messages

    return (
        form.refusal is None
        and not get_messages(request)  # len() only: the messages stay unread
        and not request.user.is_authenticated
    )


def render_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The page through the template: every case, and the reference the cache is tested on."""
    from django.shortcuts import render

    return render(request, TEMPLATE, context, status=status)


def render_cached(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    question: Question = context["question"]
    page = fill(
        cached_page(context["version"], question.id),
        context["form"],
        number=context["number"],
        back_url=context["back_url"],
        action=context["action"],
        private_link=context["private_link"],
        csrf_token=get_token(request),
    )
    return HttpResponse(page)


__all__ = ["FIELD", "cached_page", "can_use_cache", "fill", "render_cached", "render_page"]
