""" "Check your answers" and submitting: every live answer with a Change link, one record
however often the form is sent."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from assessment.models import Event, Record
from tests.factories import answers_for, make_draft
from tests.respondent_steps import (
    answer_steps,
    question_url,
    shown_digest,
    start_with_details,
    steps_for,
    submit,
)

pytestmark = pytest.mark.django_db


def check_url(draft) -> str:
    return reverse("check", args=[draft.token])


def test_check_lists_every_live_answer_and_the_details_each_with_a_change_link(client):
    draft = make_draft(answers=answers_for("review"))
    page = html.unescape(client.get(check_url(draft)).content.decode())
    for step in steps_for("review"):
        assert step.question.text in page
        assert all(label in page for label in step.labels)
        assert f'href="{question_url(draft, step.question.id, "?return=check")}"' in page
    assert "Ada Lovelace" in page and "ada@example.com" in page
    assert f'href="{reverse("details", args=[draft.token])}?return=check#id_project_name"' in page
    assert page.count(">Change<span") == len(steps_for("review")) + 5


def test_check_s_back_link_goes_to_the_last_question_answered(client):
    draft = make_draft(answers=answers_for("review"))
    last = steps_for("review")[-1].question.id
    for page in (client.get(check_url(draft)), client.get(check_url(draft), {"any": "query"})):
        back = '<nav aria-label="Back" class="mb-3"><a href="{}" class="back-link">Back</a>'
        assert back.format(question_url(draft, last)) in page.content.decode()


def test_check_is_not_shown_before_the_path_is_complete(client):
    draft = make_draft(answers={"training_use": "yes"})
    response = client.get(check_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/a/{draft.token}/q/")


def test_a_full_journey_through_the_client_submits_one_record(client):
    draft = start_with_details(client)
    answer_steps(client, draft, steps_for("prohibited"))
    response = submit(client, draft)
    assert response["Location"] == reverse("result", args=[draft.token])
    record = Record.objects.get()
    assert record.token == draft.token
    assert record.outcome == "prohibited"
    assert record.reference.startswith("AS-")
    assert [a["question_id"] for a in record.payload["answers"]] == [
        s.question.id for s in steps_for("prohibited")
    ]
    assert not record.integrity_problems()


def test_submitting_twice_makes_one_record_and_the_second_says_so(client):
    draft = make_draft(answers=answers_for("permitted"))
    shown = shown_digest(client, draft)
    first = client.post(check_url(draft), {"shown": shown})
    second = client.post(check_url(draft), {"shown": shown}, follow=True)  # double click / resend
    assert first["Location"] == reverse("result", args=[draft.token])
    assert second.redirect_chain[-1][0] == reverse("result", args=[draft.token])
    assert "already submitted" in second.content.decode()
    assert Record.objects.count() == 1
    assert Event.objects.filter(action="submitted").count() == 1


def test_back_and_resubmit_after_submission_still_makes_one_record(client):
    draft = make_draft(answers=answers_for("review"))
    submit(client, draft)
    # The browser's back button shows the check page again; it now sends to the result.
    back = client.get(check_url(draft))
    assert back["Location"] == reverse("result", args=[draft.token])
    client.post(check_url(draft), {"shown": "stale"})
    assert Record.objects.count() == 1


def test_a_check_page_left_open_while_answers_changed_elsewhere_cannot_submit(client):
    draft = make_draft(answers=answers_for("permitted"))
    shown = shown_digest(client, draft)
    client.post(question_url(draft, "training_use"), {"answer": "not_sure"})  # another tab
    response = client.post(check_url(draft), {"shown": shown}, follow=True)
    assert Record.objects.count() == 0
    assert "Your answers changed since this page was shown" in response.content.decode()


def test_submitting_without_details_is_refused_with_a_message(client):
    draft = make_draft(answers=answers_for("permitted"))
    draft.respondent_name = ""
    draft.save()
    response = client.post(check_url(draft), {"shown": "x"}, follow=True)
    assert Record.objects.count() == 0
    assert response.redirect_chain[-1][0] == reverse("details", args=[draft.token])
    assert "still need an answer" in response.content.decode()


def test_a_post_without_the_pages_fingerprint_submits_the_answers_as_they_stand(client):
    draft = make_draft(answers=answers_for("review"))
    response = client.post(check_url(draft))
    assert response["Location"] == reverse("result", args=[draft.token])
    assert Record.objects.get().outcome == "review"
