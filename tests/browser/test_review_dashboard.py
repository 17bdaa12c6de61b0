"""A reviewer's day in Chromium: sign in, filter, search, open a record, decide it through the
confirmation page, ask the respondent a question they see on their private page; every reviewer
page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Event, Record
from assessment.services import review
from tests.browser.conftest import sign_in_through_form
from tests.factories import make_record
from tests.review_support import authenticator_of, make_reviewer, totp_code

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


def _press(page, selector: str, key: str = "Enter") -> None:
    """Focus an element and press a key on it: the keyboard, never the mouse."""
    page.locator(selector).focus()
    page.keyboard.press(key)


def _aged(record, days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    Record.objects.filter(pk=record.pk).update(submitted_at=then)
    Event.objects.filter(record=record).update(created_at=then)


def _assert_readable_on_a_phone(page, rows) -> None:
    """At 390 px neither the page nor the queue's table scrolls sideways: each record is a
    card whose cells stand under one another, each named by its column."""
    widths = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wrapper = document.querySelector('.queue-table').parentElement;
            return [root.scrollWidth, root.clientWidth, wrapper.scrollWidth, wrapper.clientWidth];
        }"""
    )
    page_scroll, page_width, table_scroll, table_width = widths
    assert page_scroll <= page_width, widths
    assert table_scroll <= table_width, widths
    first = rows.nth(0)
    status = first.locator('td[data-label="Status"]').bounding_box()
    project = first.locator('td[data-label="Project"]').bounding_box()
    assert status is not None and project is not None
    assert project["y"] > status["y"] and project["x"] == status["x"]  # stacked, not side by side
    label = first.locator('td[data-label="Status"]').evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Status"'
    expect(page.locator(".queue-table thead")).to_have_count(1)


def test_triage_prev_next_and_bulk_assign_with_the_keyboard_alone(
    page, assert_accessible, artefacts, page_problems
):
    # The forms are plain HTML (tests/web/test_review_triage.py posts them without a browser);
    # here a person uses them with the keyboard, and axe checks the pages (axe needs scripts).
    rita = make_reviewer()
    bob = make_reviewer("bob", "bob@example.com")
    oldest = make_record(kind="review", details={"respondent_name": "María García"})
    _aged(oldest, 12)
    middle = make_record(kind="review", details={"respondent_name": "José Garcia"})
    _aged(middle, 6)
    newest = make_record(kind="review", details={"respondent_name": "Ana García-López"})
    review.request_information(
        record=newest, user=bob, expected_revision=0, message="Which agreement?"
    )
    review.respondent_reply(record=newest, message="AGR-7, attached soon.")
    make_record(kind="review", details={"respondent_name": "Grace Hopper"})

    device = authenticator_of(rita)  # set up beforehand, as on a day after the first
    page.goto("/accounts/login/")
    page.locator("#id_username").focus()
    page.keyboard.type("rita")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    page.get_by_label("Code from your authenticator app").focus()
    page.keyboard.type(totp_code(device))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Assessments queue")

    # Search without accents, oldest first: the ages, the SLA and the reply are marked.
    page.locator("#id_q").focus()
    page.keyboard.type("garcia")
    page.keyboard.press("Enter")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    order = [oldest.reference, middle.reference, newest.reference]
    expect(rows.locator("th a")).to_have_text(order)
    expect(rows.nth(0).locator(".marker-overdue")).to_have_text("Overdue: open more than 5 days")
    expect(rows.nth(1).locator(".marker-overdue")).to_have_count(1)
    expect(rows.nth(2).locator(".marker-replied")).to_have_text("Respondent replied")
    expect(rows.nth(0).locator("time").first).to_have_text("1\xa0week ago")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artefacts / "queue-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artefacts / "queue-390.png", full_page=True)
    _assert_readable_on_a_phone(page, rows)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Through the records in the queue's order, and back to the same filtered queue.
    _press(page, f'tbody a:text-is("{oldest.reference}")')
    expect(page.locator("h1")).to_contain_text(oldest.reference)
    expect(page.locator("[data-previous]")).to_have_count(0)
    _press(page, "[data-next]")
    expect(page.locator("h1")).to_contain_text(middle.reference)
    _press(page, "[data-next]")
    expect(page.locator("h1")).to_contain_text(newest.reference)
    expect(page.locator("[data-next]")).to_have_count(0)
    _press(page, "[data-previous]")
    expect(page.locator("h1")).to_contain_text(middle.reference)
    assert_accessible(page)
    _press(page, ".back-link")
    expect(page.locator("#id_q")).to_have_value("garcia")
    expect(rows).to_have_count(3)

    # Tick two records, choose bob by typing his name, and assign: no script involved.
    _press(page, f"#select-{oldest.reference}", " ")
    _press(page, f"#select-{middle.reference}", " ")
    # Nobody chosen: the queue again, the error in a summary and beside the field, still ticked.
    page_problems.allow(r"status of 400")  # a refused form answers 400, as verify's does
    _press(page, 'button:text-is("Assign selected")')
    expect(page.locator("h1")).to_have_text("Assessments queue")
    expect(page.locator("[data-error-summary] a")).to_have_text(["Choose the reviewer to assign"])
    expect(page.locator("[data-error-summary]")).to_be_focused()  # heard first, as respondents'
    expect(page.locator("#id_assignee_error")).to_have_text("Choose the reviewer to assign")
    expect(page.locator(f"#select-{oldest.reference}")).to_be_checked()
    expect(page.locator("#id_q")).to_have_value("garcia")
    assert_accessible(page)
    page.locator("#id_assignee").focus()
    page.keyboard.type("bob")
    page.keyboard.press("Tab")  # the note (not needed: nobody holds these two)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Assign selected")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text(
        f"Assigned 2 records to bob: {oldest.reference}, {middle.reference}."
    )
    expect(page.locator("#id_q")).to_have_value("garcia")  # still the same filters
    for record in (oldest, middle):
        expect(page.locator(f'tr[data-reference="{record.reference}"]')).to_contain_text("bob")
    assert Record.objects.get(pk=newest.pk).assigned_to == bob  # he asked; untouched

    # Name these filters, and find them again.
    page.locator("#id_name").focus()
    page.keyboard.type("García cases")
    page.keyboard.press("Enter")
    expect(page.locator("[data-saved-filter] a")).to_have_text(["García cases"])
    assert_accessible(page)


def test_a_search_matching_more_than_the_count_limit_says_so(page, assert_accessible, settings):
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 2
    make_reviewer()
    for _ in range(3):
        make_record(kind="review", details={"respondent_name": "Grace Hopper"})
    _sign_in(page)
    page.get_by_label("Search").fill("hopper")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#queue-summary")).to_contain_text(
        "Showing 1–2 of more than 2 records: only the first 2 are listed."
    )
    expect(page.get_by_role("link", name="All (more than 2)")).to_be_visible()
    expect(page.locator('[data-status-count="new"]')).to_have_text("New")  # not counted
    assert_accessible(page)


def test_tables_scroll_inside_a_phone_screen_and_the_page_does_not(page):
    """At 390 px a wide table (accounts, versions, statistics) scrolls inside its own box: the
    page never scrolls sideways, not even by the visually hidden labels in its cells."""
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    make_reviewer()  # a row in the accounts table
    make_record(kind="review")
    page.goto("/review/")
    sign_in_through_form(page, "root", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/review/accounts/", "/review/versions/", "/review/stats/"):
        page.goto(path)
        expect(page.locator(".table-responsive table").first).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (path, widths)
