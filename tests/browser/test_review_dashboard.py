"""A reviewer's day in Chromium: sign in, filter, search, open a record, decide it through the
confirmation page, ask the respondent a question they see on their private page; every reviewer
page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_form
from tests.factories import make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def _sign_in(page, assert_accessible=None) -> None:
    page.goto("/review/")  # sent to sign in first, then back to the queue
    sign_in_through_form(page, "rita", PASSWORD, assert_accessible=assert_accessible)
    expect(page.locator("h1")).to_have_text("Assessments queue")


def test_a_reviewer_filters_searches_and_overrides_with_a_justification(page, assert_accessible):
    make_reviewer()
    target = make_record(kind="review", details={"respondent_name": "Grace Hopper"})
    make_record(kind="review", details={"respondent_name": "Alan Turing"})
    permitted = make_record(kind="permitted", details={"respondent_name": "Grace Permitted"})

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    _sign_in(page, assert_accessible)
    assert_accessible(page)

    page.get_by_label("Automatic outcome").select_option("review")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(f'tr[data-reference="{permitted.reference}"]')).to_have_count(0)

    page.get_by_label("Search").fill("grace")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(page.locator("#queue-summary")).to_have_text("Showing 1–1 of 1 record")

    page.get_by_role("link", name=target.reference).click()
    expect(page.locator("h1")).to_contain_text(target.reference)
    expect(page.locator("[data-integrity=ok]")).to_be_visible()
    assert_accessible(page)

    decide = page.locator("form[data-action=decide]")
    decide.get_by_role("button", name="Decide").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose the decision")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.locator(".error-summary a").click()
    expect(page.locator("#id_decide-outcome_0")).to_be_focused()

    decide = page.locator("form[data-action=decide]")
    decide.get_by_label("Prohibited").check()
    decide.get_by_label("Note (optional)").fill("It answers open questions like a chatbot.")
    decide.get_by_label("Reviewers only (internal note)").check()
    decide.get_by_role("button", name="Decide").click()
    # A confirmation page, a plain form: nothing is decided until it is confirmed.
    expect(page.locator("h1")).to_have_text("Decide")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, decide").click()
    expect(page.get_by_role("status").first).to_contain_text("The decision is in effect")
    expect(page.locator("[data-decided]")).to_have_attribute("data-decided", "prohibited")
    trail = page.locator(".trail-event")
    expect(trail.last).to_contain_text("Decided")
    expect(trail.last).to_contain_text("Internal note")
    expect(trail.last).to_contain_text("It answers open questions like a chatbot.")

    page.get_by_role("link", name="Statistics").click()
    expect(page.locator("h1")).to_have_text("Statistics")
    expect(page.locator("[data-stat=total]")).to_have_text("3")
    assert_accessible(page)


def test_a_question_to_the_respondent_shows_on_their_private_page(new_page):
    make_reviewer()
    record = make_record(kind="review")
    reviewer = new_page(javascript=False)
    _sign_in(reviewer)
    reviewer.goto(f"/review/records/{record.reference}/")
    reviewer.get_by_label("What do you need to know?").fill("Which languages will it handle?")
    reviewer.get_by_role("button", name="Send request").click()
    expect(reviewer.locator("[data-status]").first).to_have_text("Information requested")

    respondent = new_page()
    respondent.goto(f"/a/{record.token}/result/")
    expect(respondent.locator("body")).to_contain_text("Which languages will it handle?")
    respondent.get_by_label("Your message").fill("English and French only.")
    respondent.get_by_role("button", name="Send reply").click()

    reviewer.reload()
    expect(reviewer.locator("[data-status]").first).to_have_text("In review")
    trail = reviewer.locator(".trail-event")
    expect(trail.nth(-2)).to_contain_text("Which languages will it handle?")
    expect(trail.last).to_contain_text("Respondent wrote")
    expect(trail.last).to_contain_text("English and French only.")
