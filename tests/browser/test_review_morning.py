"""A compliance team's morning in Chromium, two reviewers at once: an override to permitted is
proposed, seen pending, approved by a second reviewer and only then told to the respondent
(once); another proposal is sent back and returns to its proposer; a respondent's reply that
races a decision is kept; an attached file reaches the reviewers and nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db.models.signals import post_save
from playwright.sync_api import expect

from assessment.background.hooks import render_after_event
from assessment.models import Event, Record
from tests.browser.conftest import sign_in_through_form
from tests.factories import make_record
from tests.review_support import make_approver, make_reviewer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
WHY = "The signed agreement AGR-2026-7 allows exactly this internal classifier."


@pytest.fixture(autouse=True)
def tasks_run_at_once(tasks_queued_not_run, settings):
    """Emails are the point here: run each task when it is queued, as a worker would. The PDF
    renderings after each event are not (tests/background covers them); inline, they would
    make every click wait for two renderings."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    post_save.disconnect(sender=Event, dispatch_uid="render_pdf_after_event")
    yield
    post_save.connect(render_after_event, sender=Event, dispatch_uid="render_pdf_after_event")


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    sign_in_through_form(page, username, PASSWORD)
    expect(page.locator("h1")).to_have_text("Assessments queue")


def act(page, action: str, fill: dict[str, str], choose: tuple[str, ...] = ()) -> None:
    """Fill one action form on the record page, send it, and confirm it if asked."""
    form = page.locator(f"form[data-action={action}]")
    for label, text in fill.items():
        form.get_by_label(label).fill(text)
    for label in choose:
        form.get_by_label(label, exact=True).check()
    form.locator("button[type=submit]").click()
    # The click returns once the next page starts loading: count the confirm button only once
    # that page's markup is all there (on a busy machine it was not, and the step was skipped).
    page.wait_for_load_state("domcontentloaded")
    confirm = page.get_by_role("button", name="Yes,")
    if confirm.count():
        confirm.first.click()


def emails_to(address: str) -> list[str]:
    """Subject and body of every email sent to the address."""
    return [f"{m.subject}\n{m.body}" for m in mail.outbox if address in m.to]


def test_an_override_to_permitted_takes_effect_only_when_a_second_reviewer_approves(new_page):
    make_reviewer()
    make_approver()
    record = make_record(kind="prohibited", details={"respondent_email": "ada@example.com"})
    mail.outbox.clear()

    rita = new_page()
    sign_in(rita, "rita")
    rita.goto(f"/review/records/{record.reference}/")
    act(rita, "override", {"Justification": WHY}, ("Permitted", "Reviewers only (internal note)"))
    expect(rita.locator("[data-proposal]")).to_have_attribute("data-proposal", "permitted")
    expect(rita.locator("[data-status]").first).to_have_text("Awaiting approval")
    # Still prohibited for everyone, and the respondent has heard nothing.
    expect(rita.locator("[data-effective]")).to_have_attribute("data-effective", "prohibited")
    respondent = new_page()
    respondent.goto(f"/a/{record.token}/result/")
    expect(respondent.locator("[data-outcome]")).to_have_attribute("data-outcome", "prohibited")
    assert emails_to("ada@example.com") == []
    # The proposer cannot approve their own proposal.
    expect(rita.locator("form[data-action=approve]")).to_have_count(0)

    april = new_page(javascript=False)
    sign_in(april, "april")
    april.goto(f"/review/records/{record.reference}/")
    expect(april.locator("#proposal-title")).to_contain_text("Permitted")
    expect(april.locator("body")).to_contain_text(WHY)  # the approver sees the justification
    act(april, "approve", {})
    expect(april.locator("[data-effective]")).to_have_attribute("data-effective", "permitted")
    expect(april.locator("[data-decided]")).to_contain_text("approved by april")

    respondent.reload()
    expect(respondent.locator("[data-outcome]")).to_have_attribute("data-outcome", "permitted")
    told = emails_to("ada@example.com")
    assert len(told) == 1, told
    assert "Permitted" in told[0] and "Prohibited" not in told[0]


def test_a_proposal_sent_back_returns_to_its_proposer_with_the_note(new_page):
    make_reviewer()
    make_approver()
    record = make_record(kind="review")

    rita = new_page()
    sign_in(rita, "rita")
    rita.goto(f"/review/records/{record.reference}/")
    act(rita, "decide", {}, ("Permitted",))
    expect(rita.locator("[data-status]").first).to_have_text("Awaiting approval")

    april = new_page()
    sign_in(april, "april")
    april.goto(f"/review/records/{record.reference}/")
    act(april, "reject", {"Note for the proposer": "No agreement on file; ask for it."})
    expect(april.locator("[data-proposal]")).to_have_count(0)

    rita.reload()
    expect(rita.locator("[data-status]").first).not_to_have_text("Awaiting approval")
    expect(rita.locator("[data-effective]")).to_have_attribute("data-effective", "review")
    expect(rita.locator(".trail-event").last).to_contain_text("No agreement on file")
    assert Record.objects.get(pk=record.pk).effective_outcome == "review"


def test_a_reply_racing_a_decision_is_kept_and_its_file_reaches_only_the_reviewers(
    new_page, tmp_path
):
    make_reviewer()
    record = make_record(kind="review")
    rita = new_page()
    sign_in(rita, "rita")
    rita.goto(f"/review/records/{record.reference}/")
    act(rita, "request_information", {"What do you need to know?": "Send the signed agreement."})

    # The respondent opens the reply form and starts typing...
    respondent = new_page()
    respondent.goto(f"/a/{record.token}/result/")
    respondent.get_by_label("Your message").fill("Here is the agreement we signed.")
    agreement = tmp_path / "agreement.pdf"
    agreement.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    respondent.get_by_label("Attach a file (optional)").set_input_files(str(agreement))

    # ...while the reviewer decides without waiting.
    rita.reload()
    act(rita, "decide", {}, ("Prohibited",))
    expect(rita.locator("[data-decided]")).to_have_attribute("data-decided", "prohibited")

    respondent.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(respondent.locator("body")).to_contain_text("Here is the agreement we signed.")
    expect(respondent.locator("[data-attached]")).to_contain_text("agreement.pdf")

    rita.reload()
    last = rita.locator(".trail-event").last
    expect(last).to_contain_text("Here is the agreement we signed.")
    link = last.locator("[data-attachment] a")
    with rita.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "agreement.pdf"
    assert download.value.path().read_bytes() == agreement.read_bytes()

    # Neither the respondent nor a stranger can fetch it.
    url = link.get_attribute("href")
    for outsider in (respondent, new_page()):
        response = outsider.request.get(url, max_redirects=0)
        assert response.status in (302, 403, 404), response.status
        assert response.body() != agreement.read_bytes()
