"""axe-core (WCAG 2.2 AA and best practice) finds nothing on any page of the journey."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.services import review
from tests.factories import answers_for, make_draft, make_record
from tests.respondent_steps import first_question_of_kind
from tests.review_support import make_reviewer

pytestmark = pytest.mark.browser


def test_every_page_of_the_journey_has_no_accessibility_violations(page, assert_accessible):
    page.goto("/")
    assert_accessible(page)

    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)  # details
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # With JavaScript, focus moves to the error summary so it is announced first.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page)  # details with errors

    for kind in ("yes_no", "single", "multiple", "facts", "text", "long_text"):
        answers, question = first_question_of_kind(kind)
        draft = make_draft(answers=answers)
        page.goto(f"/a/{draft.token}/q/{question.id}/")
        assert page.locator("h1").inner_text() == question.text
        assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()  # the long_text one, empty
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)  # a question with an error

    answers, facts = first_question_of_kind("facts")
    page.goto(f"/a/{make_draft(answers=answers).token}/q/{facts.id}/")
    first = facts.statements[0].label
    page.get_by_role("group", name=first, exact=True).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()  # the other statements unanswered
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator(".fact.has-error")).to_have_count(len(facts.statements) - 1)
    assert_accessible(page)  # a facts question with statements unanswered

    draft = make_draft(answers=answers_for("review"))
    page.goto(f"/a/{draft.token}/check/")
    assert_accessible(page)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_be_visible()
    assert_accessible(page)  # result, fresh


def test_a_result_with_a_decision_and_a_reviewers_question_is_accessible(page, assert_accessible):
    reviewer = make_reviewer("rev", "rev@example.com")
    record = make_record(kind="prohibited")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message="Who is it for?"
    )
    page.goto(f"/a/{record.token}/result/")
    expect(page.get_by_label("Your message")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send reply").click()  # empty: an error state
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Your message").fill("A bank.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    record.refresh_from_db()
    review.confirm(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        note="Thank you: the policy does not allow it.",
        audience="respondent",
    )
    page.reload()
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "prohibited"
    expect(page.locator("[data-decision-block]")).to_contain_text("the policy does not allow it")
    assert_accessible(page)
