"""The result page: the outcome, why, what next, the review's progress, and replies; reachable
only through the private link."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessment.models import Event, EventAction, Status
from assessment.questionnaire import load
from assessment.records.reader import OUTWEIGHED_NEXT_STEP
from assessment.selectors.respondent import result_page_for_respondent
from assessment.services import review
from tests.factories import make_draft, make_record
from tests.review_support import make_approver, make_reviewer

pytestmark = pytest.mark.django_db


def result_url(record) -> str:
    return reverse("result", args=[record.token])


def page_of(client, record) -> str:
    response = client.get(result_url(record))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def reviewer() -> User:
    return make_reviewer()


@pytest.mark.parametrize("kind", ["permitted", "review", "prohibited"])
def test_the_outcome_banner_carries_data_outcome(client, kind):
    record = make_record(kind=kind)
    page = page_of(client, record)
    assert re.search(rf'class="outcome-banner outcome-{kind}[^"]*" data-outcome="{kind}"', page)
    assert record.reference in page
    assert all(category in page for category in record.categories)


def test_each_finding_is_explained_with_its_clauses_paraphrased_and_next_steps(client):
    record = make_record(kind="prohibited")
    page = page_of(client, record)
    clauses = load(record.questionnaire_version).clauses
    for outcome in record.payload["result"]["outcomes"]:
        assert outcome["title"] in page
        assert outcome["explanation"] in page
        assert all(f"<dt>{cid}</dt><dd>{clauses[cid]}</dd>" in page for cid in outcome["clauses"])
        if outcome["kind"] == "permitted":  # its part waits on the worse findings
            assert OUTWEIGHED_NEXT_STEP in page
        else:
            assert all(step in page for step in outcome["next_steps"])


def test_the_trace_says_which_answer_led_to_which_outcome(client):
    record = make_record(kind="permitted")
    page = page_of(client, record)
    assert "Which answers led here" in page
    for line in record.payload["result"]["trace"]:
        assert f"“{line['question']}”" in page or f"<q>{line['question']}</q>" in page
        assert ", ".join(line["answer"]) in page


def test_the_result_shows_the_review_status_the_private_link_and_the_version(client):
    record = make_record(kind="review")
    page = page_of(client, record)
    assert 'data-status="new"' in page
    assert f'value="http://testserver/a/{record.token}/"' in page
    assert record.questionnaire_version in page
    assert record.sha256 in page


def test_an_automatic_permitted_says_a_reviewer_confirms_it_before_a_pipeline_goes_ahead(
    client, reviewer
):
    """Walkthroughs read "Review status: New" under "Permitted" as something pending, or as
    nothing pending: the API's gate clears only a reviewer's decision, and the page says so."""
    confirmation = "A compliance reviewer confirms every permitted result"
    permitted = make_record(kind="permitted")
    assert confirmation in page_of(client, permitted)
    assert confirmation not in page_of(client, make_record(kind="review"))
    review.confirm(record=permitted, user=reviewer, expected_revision=permitted.revision)
    assert confirmation not in page_of(client, permitted)


def test_each_deciding_fact_is_shown_with_the_answer_it_was_given(client):
    """The facts question's answer lists every statement with its own Yes, No or Not sure, in
    the words of the record's questionnaire version, so "No" is seen as a claim made."""
    record = make_record(kind="permitted")
    page = html.unescape(page_of(client, record))
    facts = load(record.questionnaire_version).questions["model_facts"]
    for statement in facts.statements:
        assert f"<li>{statement.label}: No</li>" in page, statement.value


def test_a_reviewers_decision_is_shown_with_its_message_and_matching_next_steps(client, reviewer):
    record = make_record(kind="review")
    approver = make_approver()
    review.decide(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        outcome="permitted",
        note="Agreement AG-7 checked.",
        audience="respondent",
    )
    pending = page_of(client, record)
    assert 'data-outcome="review"' in pending  # not permitted before a second reviewer agrees
    assert 'data-status="pending_approval">In review' in pending
    assert "Agreement AG-7 checked." not in pending
    review.approve(record=record, user=approver, expected_revision=record.revision)
    page = page_of(client, record)
    assert 'data-outcome="permitted"' in page
    assert "Reviewer's decision" in page
    assert "The automatic result was: Needs review" in page
    assert 'data-status="decided"' in page
    assert "Agreement AG-7 checked." in page
    assert "You may go ahead with the use you described" in page
    # The automatic result's steps ("wait for a reviewer...") no longer show as what to do.
    for finding in record.payload["result"]["outcomes"]:
        for step in finding["next_steps"]:
            assert step not in page


def test_an_internal_note_never_reaches_the_respondent(client, reviewer):
    record = make_record(kind="prohibited")
    review.add_note(record=record, user=reviewer, note="Looks like a chatbot.", audience="internal")
    review.add_note(record=record, user=reviewer, note="We are on it.", audience="respondent")
    review.confirm(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        note="Internal reasoning.",
        audience="internal",
    )
    page = page_of(client, record)
    assert "We are on it." in page
    assert "Looks like a chatbot." not in page
    assert "Internal reasoning." not in page


def test_the_conversation_reads_in_the_order_and_at_the_times_it_was_written(client, reviewer):
    """It comes in the record's own row, as JSON (selectors/respondent.py): each message's
    author, words and time are the ones stored, to the microsecond, on SQLite and PostgreSQL."""
    record = make_record(kind="review")
    review.add_note(record=record, user=reviewer, note="We are on it.", audience="respondent")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message="Which client?"
    )
    client.post(reverse("reply", args=[record.token]), {"message": 'Acme "Bank" \\ é'})
    review.add_note(record=record, user=reviewer, note="Thank you.", audience="respondent")
    stored = Event.objects.filter(record=record).for_respondent().order_by("created_at", "pk")
    shown = result_page_for_respondent(record.token).conversation
    assert [(m.created_at, m.text, m.from_reviewer, m.is_request) for m in shown] == [
        (event.created_at, event.note, event.actor is not None, event.note == "Which client?")
        for event in stored
    ]
    assert [m.text for m in shown] == [
        "We are on it.", "Which client?", 'Acme "Bank" \\ é', "Thank you."
    ]  # fmt: skip


def test_an_information_request_is_shown_with_a_reply_form(client, reviewer):
    record = make_record(kind="review")
    review.request_information(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        message="Which <b>client</b> is this for?",
    )
    response = client.get(result_url(record))
    raw = response.content.decode()
    assert "Which &lt;b&gt;client&lt;/b&gt; is this for?" in raw
    assert f'action="{reverse("reply", args=[record.token])}"' in raw
    assert 'name="message"' in raw


def test_a_reply_is_recorded_and_the_review_resumes(client, reviewer):
    record = make_record(kind="review")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message="Which client?"
    )
    response = client.post(
        reverse("reply", args=[record.token]), {"message": "Acme Bank."}, follow=True
    )
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    reply = Event.objects.get(record=record, action=EventAction.RESPONDENT_REPLIED)
    assert reply.note == "Acme Bank."
    page = html.unescape(response.content.decode())
    assert "Your message has been sent" in page
    assert "You wrote" in page and "Acme Bank." in page
    assert "Send a message" in page  # they can add more to the same request


def test_an_empty_or_overlong_reply_is_refused_and_kept(client, reviewer):
    record = make_record(kind="review")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message="Which client?"
    )
    url = reverse("reply", args=[record.token])
    empty = client.post(url, {"message": "  "})
    assert empty.status_code == 200
    assert '<a href="#id_message">Enter your message to the reviewers</a>' in empty.content.decode()
    long = client.post(url, {"message": "y" * 4001})
    assert long.status_code == 200
    assert "4000 characters or fewer" in long.content.decode()
    assert "y" * 4001 + "</textarea>" in long.content.decode()
    assert not Event.objects.filter(action=EventAction.RESPONDENT_REPLIED).exists()


def test_a_message_sent_after_the_case_moved_on_is_kept(client, reviewer):
    record = make_record(kind="review")
    review.request_information(
        record=record, user=reviewer, expected_revision=record.revision, message="Which client?"
    )
    review.decide(
        record=record, user=reviewer, expected_revision=record.revision, outcome="prohibited"
    )
    response = client.post(reverse("reply", args=[record.token]), {"message": "Acme"}, follow=True)
    assert "Your message has been sent" in response.content.decode()
    reply = Event.objects.get(record=record, action=EventAction.RESPONDENT_REPLIED)
    assert reply.note == "Acme"
    record.refresh_from_db()
    assert record.decided_outcome == "prohibited"


def test_a_guessed_link_is_404(client):
    make_record(kind="permitted")
    for token in ("A" * 43, "nonsense", "x" * 65):
        for name in ("result", "resume", "details", "check", "reply"):
            url = reverse(name, args=[token])
            response = client.post(url) if name == "reply" else client.get(url)
            assert response.status_code == 404, url
        assert client.get(reverse("question", args=[token, "training_use"])).status_code == 404


def test_an_altered_link_is_404(client):
    record = make_record(kind="permitted")
    altered = record.token[:-1] + ("B" if record.token[-1] != "B" else "C")
    assert client.get(reverse("result", args=[altered])).status_code == 404
    assert client.get(reverse("result", args=[record.token.swapcase()])).status_code == 404
    assert client.get(reverse("result", args=[record.token + "x"])).status_code == 404
    assert client.get(result_url(record)).status_code == 200


def test_the_result_link_of_an_unsubmitted_draft_leads_back_to_the_journey(client):
    draft = make_draft()
    response = client.get(reverse("result", args=[draft.token]))
    assert response["Location"] == reverse("resume", args=[draft.token])


def test_hostile_text_is_escaped_on_the_result_page(client):
    hostile = "<script>alert(1)</script> {{ 7*7 }} مرحبا שלום 🙂"
    record = make_record(
        kind="review",
        details={
            "respondent_name": hostile,
            "organisation": hostile,
            "project_description": hostile,
        },
    )
    raw = client.get(result_url(record)).content.decode()
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} مرحبا שלום 🙂" in raw


def test_the_result_links_to_its_pdf_summary(client):
    record = make_record(kind="permitted")
    assert f'href="{reverse("respondent_pdf", args=[record.token])}"' in page_of(client, record)
