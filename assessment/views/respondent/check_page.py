""" "Check your answers", drawn fast: its markup rendered once per questionnaire version and set
of choices, then only the respondent's own values filled in.

The page is the same for every draft that chose the same options on the same path, except for
what the respondent typed (their details, text answers), the private link's token in every
Change link, the fingerprint of the answers shown, the private link and the CSRF token.
`cached_page` renders the ordinary template once with a marker in place of each of these;
`fill` puts the respondent's values where the markers are, escaped exactly as the template
escapes them, in one pass (so nothing a respondent typed is ever taken for a marker). Rendering
it through the template took most of the page's time (issue 15): about 17 URL reversals (a
Change link per row) and a few hundred template nodes. Anything rarer takes the template
itself: a message, a signed-in reviewer (whose header differs).
tests/web/test_respondent_check_page.py compares both renderings for every route of every
version, with hostile text, so the page a respondent sees cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from assessment import engine
from assessment.context_processors import product
from assessment.questionnaire import load
from assessment.views.respondent.markers import fill, marker

TEMPLATE = "respondent/check.html"
LINK_KEY = marker("token")
PRIVATE_LINK = marker("link")
CSRF = marker("csrf")
SHOWN = marker("shown")


def _detail_marker(index: int) -> str:
    return marker(f"detail{index}")


def _text_marker(index: int) -> str:
    return marker(f"text{index}")


# One entry per version and set of choices (about 15 kB each): the common routes stay cached.
@lru_cache(maxsize=256)
def cached_page(
    version: str,
    route: tuple[tuple[str, tuple[str, ...] | None], ...],
    details: tuple[tuple[str, str, bool], ...],
) -> str:
    """The check page of `route` ((question id, option labels, or None for typed text) per
    step) with markers for the respondent's values; `details` gives (label, field, given)."""
    questions = load(version).questions
    steps = [
        engine.Step(
            question=questions[question_id],
            value="",  # not shown
            labels=(_text_marker(index),) if labels is None else labels,
        )
        for index, (question_id, labels) in enumerate(route)
    ]
    context = {
        **product(None),  # reads settings only
        "token": LINK_KEY,
        "private_link": PRIVATE_LINK,
        "csrf_token": CSRF,
        "steps": steps,
        "shown": SHOWN,
        # An empty detail must stay empty: the template shows "Not given" instead.
        "details": [
            (label, _detail_marker(index) if given else "", field)
            for index, (label, field, given) in enumerate(details)
        ],
    }
    return render_to_string(TEMPLATE, context)


def can_use_cache(request: HttpRequest) -> bool:
    """The cached markup fits: no message to show, nobody signed in."""
    return not get_messages(request) and not request.user.is_authenticated


def render_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page through the template: every case, and the reference the cache is tested on."""
    return render(request, TEMPLATE, context)


def render_cached(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    steps: Sequence[engine.Step] = context["steps"]
    details: list[tuple[str, str, str]] = context["details"]
    route = tuple(
        (step.question.id, None if step.question.is_text else step.labels) for step in steps
    )
    page = cached_page(
        context["version"],
        route,
        tuple((label, field, bool(value)) for label, value, field in details),
    )
    values = {
        LINK_KEY: context["token"],
        PRIVATE_LINK: context["private_link"],
        CSRF: get_token(request),
        SHOWN: context["shown"],
        **{_detail_marker(index): value for index, (_, value, _) in enumerate(details)},
        **{
            _text_marker(index): "".join(step.labels)
            for index, step in enumerate(steps)
            if step.question.is_text
        },
    }
    return HttpResponse(fill(page, values))


__all__ = ["cached_page", "can_use_cache", "render_cached", "render_page"]
