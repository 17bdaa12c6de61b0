"""The respondent's journey in Chromium: start to result for each outcome, changing an answer,
resuming elsewhere, keyboard only, and no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment import engine
from assessment.questionnaire import load
from tests.factories import answers_for, make_draft
from tests.respondent_steps import fill_details, steps_for, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("kind", "javascript"),
    [("permitted", True), ("prohibited", True), ("review", False)],
    ids=["permitted", "prohibited", "review-without-javascript"],
)
def test_a_complete_journey_ends_in_the_expected_outcome(new_page, kind, javascript):
    page = new_page(javascript=javascript)
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("h1")).to_have_text("Your details")
    copy = page.get_by_role("button", name="Copy link")
    # The copy button is an enhancement: without JavaScript it stays hidden, and the link is
    # still there to select and copy by hand.
    if javascript:
        expect(copy).to_be_visible()
    else:
        expect(copy).to_be_hidden()
    assert page.locator("#private-link").input_value().endswith("/")
    fill_details(page)
    walk(page, steps_for(kind))
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    page.get_by_role("button", name="Submit assessment").click()
    banner = page.locator("[data-outcome]")
    assert banner.get_attribute("data-outcome") == kind
    assert re.search(r"AS-\d{4}-\d{5}", banner.inner_text())
    assert page.locator("#private-link").input_value() == page.url.replace("result/", "")


def test_the_copy_button_copies_the_private_link(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    draft = make_draft()
    page.goto(f"/a/{draft.token}/details/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#private-link-status")).to_have_text(re.compile(r"^Link copied"))
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/a/{draft.token}/")


def test_changing_an_earlier_answer_tells_which_later_answers_were_dropped(page):
    draft = make_draft(answers=answers_for("permitted"))
    steps = steps_for("permitted")
    page.goto(f"/a/{draft.token}/check/")
    page.get_by_role("link", name=f"Change your answer to: {steps[0].question.text}").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    message = page.get_by_role("status").filter(has_text="no longer apply")
    expect(message).to_be_visible()
    for step in steps[1:]:
        assert step.question.text in message.inner_text()
    # The path now continues with the questions the new answer opened.
    assert (
        page.locator("h1").inner_text()
        == engine.evaluate(load(), {"training_use": "no"}).next_question.text
    )
    # A change back brings the set-aside answers back, filled in for checking: nothing typed
    # was lost (the model's description is the second question).
    page.get_by_role("link", name="Back").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(steps[1].question.text)
    expect(page.locator("#id_answer")).to_have_value(steps[1].labels[0])


def test_the_private_link_resumes_the_assessment_in_another_browser(page, new_page):
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    fill_details(page)
    steps = steps_for("review")
    walk(page, steps[:2])
    link = page.locator("#private-link").input_value()

    elsewhere = new_page()  # a fresh context: no cookies, nothing shared
    elsewhere.goto(link)
    assert elsewhere.locator("h1").inner_text() == steps[2].question.text
    assert "Question 3" in elsewhere.locator(".caption").inner_text()
    # Every answer is there: going back shows the last one as it was given.
    elsewhere.get_by_role("link", name="Back").click()
    previous = steps[1]
    if previous.question.is_text:
        assert elsewhere.locator("#id_answer").input_value() == previous.labels[0]
    else:
        for label in previous.labels:
            assert elsewhere.get_by_label(label, exact=True).is_checked()


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (no mouse)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_keyboard_only_journey_reaches_a_result(page):
    # The first path in option order: every radio answer is its group's first option, which a
    # keyboard user selects with Space once Tab has reached the group.
    first_path = next(engine.enumerate_paths(load(), combinations=False))
    page.goto("/")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/details/")
    for field, value in (
        ("respondent_name", "Kim"),
        ("respondent_email", "kim@example.com"),
        ("project_name", "Kbd"),
    ):
        _tab_to(page, f"#id_{field}")
        page.keyboard.type(value)
    _tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    for step in first_path.path:
        expect(page.locator("h1")).to_have_text(step.question.text)
        if step.question.is_text:
            _tab_to(page, "#id_answer")
            page.keyboard.type("Typed with the keyboard")
        elif step.question.kind == "facts":
            # A statement's radios are one group: Tab reaches its first (Yes), and the arrow keys
            # move to and select the others, as in any radio group.
            for value in step.value:
                statement, answer = value.rsplit(":", 1)
                _tab_to(page, f"input[name='answer-{statement}']")
                for _ in range(["yes", "no", "not_sure"].index(answer)):
                    page.keyboard.press("ArrowRight")
                if answer == "yes":
                    page.keyboard.press("Space")
                expect(page.locator(f"input[value='{value}']")).to_be_checked()
        else:
            for value in step.value if isinstance(step.value, tuple) else (step.value,):
                _tab_to(page, f"input[name=answer][value={value!r}]")
                page.keyboard.press("Space")
        _tab_to(page, "form button[type=submit]")
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    _tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-outcome]")
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == first_path.result.kind


def test_a_random_or_altered_link_answers_404(page, page_problems):
    page_problems.allow(r"404")
    draft = make_draft()
    altered = draft.token[:-2] + ("xy" if not draft.token.endswith("xy") else "zz")
    for url in (f"/a/{altered}/", f"/a/{altered}/result/", "/a/not-a-real-link/check/"):
        response = page.goto(url)
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"


def test_back_after_a_validation_error_works_as_it_does_without_one(page):
    # Chromium answered Back after an error page with "Confirm form resubmission"
    # (ERR_CACHE_MISS): the error page was the response to a POST. Now it is a GET.
    draft = make_draft(answers={"training_use": "yes"})
    steps = steps_for("permitted")
    page.goto(f"/a/{draft.token}/q/training_use/")
    page.get_by_role("button", name="Save and continue").click()  # this page was answered
    second = steps[1].question
    expect(page.locator("h1")).to_have_text(second.text)
    page.get_by_role("button", name="Save and continue").click()  # nothing chosen or typed
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    response = page.go_back()
    assert response is not None and response.ok
    expect(page.locator("h1")).to_have_text(second.text)
    page.go_back()
    expect(page.locator("h1")).to_have_text(steps[0].question.text)
    page.go_forward()
    page.go_forward()
    expect(page.locator(".error-summary")).to_be_visible()  # the refusal is kept on the server


def test_back_after_an_error_on_the_details_page_works_too(page):
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("h1")).to_have_text("Your details")
    page.get_by_label("Your full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Save and continue").click()  # email and project missing
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Your full name")).to_have_value("Ada Lovelace")
    response = page.go_back()
    assert response is not None and response.ok
    expect(page.locator("h1")).to_have_text("Your details")
    page.go_forward()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Your full name")).to_have_value("Ada Lovelace")
