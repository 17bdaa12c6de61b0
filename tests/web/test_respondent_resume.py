"""The private link takes the respondent to the first step still to do, in any browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessment.services import drafts, submission
from tests.factories import answers_for, make_draft
from tests.respondent_steps import question_url

pytestmark = pytest.mark.django_db


def resume(draft) -> str:
    return Client().get(reverse("resume", args=[draft.token]))["Location"]


def test_a_new_draft_resumes_at_the_details():
    draft = drafts.start_draft(client_address="192.0.2.1")
    assert resume(draft) == reverse("details", args=[draft.token])


def test_a_draft_with_answers_resumes_at_the_next_unanswered_question():
    draft = make_draft(answers={"training_use": "no"})
    assert resume(draft) == question_url(draft, "integration_use")


def test_a_complete_draft_resumes_at_check_your_answers():
    draft = make_draft(answers=answers_for("permitted"))
    assert resume(draft) == reverse("check", args=[draft.token])


def test_a_submitted_assessment_resumes_at_its_result():
    draft = make_draft(answers=answers_for("permitted"))
    submission.submit(draft=draft)
    assert resume(draft) == reverse("result", args=[draft.token])


def test_another_browser_sees_every_saved_answer(client):
    answers = answers_for("review")
    draft = make_draft(answers=answers)
    other_browser = Client()
    page = other_browser.get(reverse("check", args=[draft.token])).content.decode()
    assert "Ada Lovelace" in page
    assert page.count(">Change<span") == len(answers) + 5


def test_pages_behind_the_private_link_are_not_cached():
    draft = make_draft()
    response = Client().get(reverse("details", args=[draft.token]))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
