"""The cached "Check your answers" page is the template's page, byte for byte, for every question
and option of every version, whatever is typed; and the cache steps aside whenever the page
differs."""

from __future__ import annotations

import dataclasses

import pytest

from assessment import engine
from assessment.forms.details import DetailsForm
from assessment.questionnaire import available_versions, load
from assessment.services import drafts
from assessment.views.respondent import check_page, markers
from tests.respondent_pages import anonymous_request, slow_and_fast, with_messages

PATH = "/a/tok/check/"
# A route is never longer than its version's questions.
_LONGEST_ROUTE = max(len(load(version).questions) for version in available_versions())
# Every marker the page can hold, secret and all: typed text is a value, never taken for a marker
# and replaced in its turn, whichever marker is filled in first.
PAGE_MARKERS = " ".join(
    markers.marker(name)
    for name in (
        "token",
        "link",
        "csrf",
        "shown",
        *(f"detail{index}" for index in range(len(drafts.DETAIL_FIELDS))),
        *(f"text{index}" for index in range(_LONGEST_ROUTE)),
    )
)
# Escaping, template syntax, a format string, and the cache's own markers.
HOSTILE = '<b>"Tom\'s" & co</b> {{ x }} %s \\ é ' + PAGE_MARKERS
DETAILS = {
    "respondent_name": HOSTILE,
    "respondent_email": "ada@example.com",
    "organisation": "",  # optional and empty: "Not given"
    "project_name": "Model <v2>",
    "project_description": f"Line one\nline two & {PAGE_MARKERS}",
}


def _context(version: str, evaluation: engine.Evaluation, details: dict[str, str]):
    return {
        "token": "tok-_09AZaz",
        "private_link": "http://testserver/a/tok&'\"/",
        "version": version,
        "steps": evaluation.path,
        "shown": "0123abcd",
        "details": [
            (str(DetailsForm.base_fields[field].label), details[field], field)
            for field in drafts.DETAIL_FIELDS
        ],
    }


def _both(context) -> tuple[str, str]:
    return slow_and_fast(check_page, context, PATH)


def _typed(evaluation: engine.Evaluation, text: str) -> engine.Evaluation:
    """The same route with `text` typed into every text question."""
    steps = tuple(
        engine.Step(step.question, text, (text,)) if step.question.is_text else step
        for step in evaluation.path
    )
    return dataclasses.replace(evaluation, path=steps)


def _covering_routes(version: str) -> list[engine.Evaluation]:
    """Complete routes until every question has been shown with every option (thousands of
    routes differ only in their combination; each row is drawn on its own)."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    routes = []
    for evaluation in engine.enumerate_paths(load(version), combinations=False):
        rows = {(step.question.id, step.labels) for step in evaluation.path}
        if not rows <= seen:
            seen |= rows
            routes.append(evaluation)
    return routes


@pytest.mark.parametrize("version", available_versions())
def test_the_cached_page_is_the_templates_page_on_routes_showing_every_option(version):
    routes = _covering_routes(version)
    assert routes
    for evaluation in routes:
        for typed, details in [
            (None, DETAILS),
            (HOSTILE, DETAILS),
            ("", {**DETAILS, "project_description": ""}),
        ]:
            walked = evaluation if typed is None else _typed(evaluation, typed)
            slow, fast = _both(_context(version, walked, details))
            assert fast == slow, [step.question.id for step in evaluation.path]


def _with_two_options_ticked() -> tuple[str, engine.Evaluation]:
    for version in available_versions():
        for evaluation in engine.enumerate_paths(load(version)):
            if any(len(step.labels) > 1 for step in evaluation.path):
                return version, evaluation
    raise LookupError("no route with two options ticked")


def test_several_options_ticked_show_as_a_list_in_both():
    version, evaluation = _with_two_options_ticked()
    slow, fast = _both(_context(version, evaluation, DETAILS))
    assert '<ul class="list-unstyled mb-0">' in fast
    assert fast == slow


def test_a_message_or_a_signed_in_user_takes_the_template(django_user_model, db):
    request = with_messages(anonymous_request(PATH))
    assert check_page.can_use_cache(request)
    request._messages.add(20, "A message")
    assert not check_page.can_use_cache(request)
    signed_in = anonymous_request(PATH)
    signed_in.user = django_user_model.objects.create_user("reviewer")
    assert not check_page.can_use_cache(signed_in)
