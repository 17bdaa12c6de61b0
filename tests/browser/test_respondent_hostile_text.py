"""Whatever a respondent types is shown as typed: escaped, never run, and wrapped to the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment import engine
from assessment.models import Record
from assessment.questionnaire import load
from assessment.services import review
from tests.respondent_steps import choose
from tests.review_support import make_reviewer

pytestmark = pytest.mark.browser

MARKUP = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TEMPLATE = "{{ 7*7 }} {% now 'Y' %}"
RTL = "مرحبا بالعالم שלום עולם"
EMOJI = "🙂👩🏽‍💻🏳️‍🌈"
PIECES = (MARKUP, TEMPLATE, RTL, EMOJI)


def hostile(cap: int) -> str:
    """Every hostile piece, then one unbroken word of up to 300 characters, within `cap`."""
    prefix = " ".join(PIECES) + " "
    return prefix + "W" * min(300, cap - len(prefix))


def _path_with_both_text_kinds() -> engine.Evaluation:
    for evaluation in engine.enumerate_paths(load(), combinations=False):
        kinds = {step.question.kind for step in evaluation.path}
        if {"text", "long_text"} <= kinds:
            return evaluation
    raise LookupError("no path asks both a text and a long_text question")


def test_hostile_text_in_every_free_text_field_is_escaped_and_wraps(page, new_page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_viewport_size({"width": 320, "height": 800})  # a phone: long words must wrap
    path = _path_with_both_text_kinds()

    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Your full name").fill(hostile(200))
    page.get_by_label("Email address").fill("hostile@example.com")
    page.get_by_label("Organisation or team (optional)").fill(hostile(200))
    page.get_by_label("Name of the project or model").fill(hostile(200))
    page.get_by_label("Short description (optional)").fill(hostile(2000))
    page.get_by_role("button", name="Save and continue").click()
    for step in path.path:
        text = hostile(step.question.max_length) if step.question.is_text else None
        choose(page, step, text=text)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_be_visible()  # the record exists from here on

    # A reviewer asks a question; the respondent replies with hostile text too.
    record = Record.objects.get()
    reviewer = make_reviewer("rev", "rev@example.com")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message=hostile(4000)
    )
    page.reload()
    page.get_by_label("Your message").fill(hostile(4000))
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your message has been sent")).to_be_visible()

    main = page.locator("main").inner_text()
    text_answers = sum(step.question.is_text for step in path.path)
    # name, organisation, project, description, each text answer, the request and the reply
    expected = 4 + text_answers + 2
    for piece in PIECES:
        assert main.count(piece) >= expected, piece
    assert main.count("W" * 300) >= 4  # the long fields keep the whole 300-character word
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    # On failure, name the elements that stick out, so the fix is obvious.
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => `${e.tagName}.${e.className}`).slice(0, 10)"""
    )
    assert widths[0] <= widths[1], (widths, too_wide)
