"""One question per page: the form fits the question's kind, the engine validates, the path
is recomputed on every change and the respondent is told what was dropped."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from assessment import engine
from assessment.questionnaire import load
from assessment.services import submission
from tests.engine.v2_support import all_no
from tests.factories import answers_for, make_draft
from tests.respondent_steps import first_question_of_kind, question_url, steps_for

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def draft_at(question_kind: str):
    """A draft whose next question is the first of `question_kind`, and that question."""
    answers, question = first_question_of_kind(question_kind)
    return make_draft(answers=answers), question


def test_a_yes_no_question_is_three_radios_with_its_hint_and_examples(client):
    draft = make_draft()
    first = load().questions[load().first]
    page = page_of(client.get(question_url(draft, first.id)))
    assert f"<title>{first.text} –" in page
    assert f'<h1 class="question-heading">{first.text}</h1>' in page
    assert page.count('type="radio" name="answer"') == 3
    for label in ("Yes", "No", "Not sure"):
        assert f">{label}</label>" in page
    assert first.hint in page
    assert all(example in page for example in first.examples)
    assert "Question 1" in page and first.section in page
    assert reverse("details", args=[draft.token]) in page  # the back link


@pytest.mark.parametrize(
    ("kind", "control"),
    [
        ("single", 'type="radio" name="answer"'),
        ("multiple", 'type="checkbox" name="answer"'),
        ("text", '<input class="form-control" type="text" id="id_answer" name="answer"'),
        ("long_text", '<textarea class="form-control" id="id_answer" name="answer"'),
    ],
)
def test_each_kind_of_question_gets_its_own_control(client, kind, control):
    draft, question = draft_at(kind)
    page = page_of(client.get(question_url(draft, question.id)))
    assert control in page
    assert question.text in page
    if question.is_text:
        assert f"You can enter up to {question.max_length} characters" in page
        assert f'<label for="id_answer">{question.text}</label>' in page
    else:
        assert page.count(control) == len(question.options)
        assert "<legend" in page


def test_progress_says_which_question_this_is_on_the_path_and_its_section(client):
    steps = steps_for("permitted")
    draft = make_draft(
        answers={s.question.id: answers_for("permitted")[s.question.id] for s in steps[:2]}
    )
    third = steps[2].question
    page = page_of(client.get(question_url(draft, third.id)))
    assert "Question 3" in page
    assert third.section in page
    assert f'href="{question_url(draft, steps[1].question.id)}" class="back-link' in page


def test_an_answer_is_saved_on_the_server_and_leads_to_the_next_question(client):
    draft = make_draft()
    steps = steps_for("permitted")
    response = client.post(question_url(draft, steps[0].question.id), {"answer": steps[0].value})
    draft.refresh_from_db()
    assert draft.answers == {steps[0].question.id: steps[0].value}
    assert response["Location"] == question_url(draft, steps[1].question.id)


def test_the_stored_answer_is_shown_when_the_respondent_comes_back(client):
    draft = make_draft(answers={"training_use": "no"})
    page = page_of(client.get(question_url(draft, "training_use")))
    assert re.search(r'value="no"[^>]*\bchecked', page)
    assert not re.search(r'value="yes"[^>]*\bchecked', page)


def test_no_answer_redirects_to_the_page_with_an_error_summary_linking_to_the_first_option(client):
    draft = make_draft()
    url = question_url(draft, "training_use")
    response = client.post(url, {}, follow=True)
    page = page_of(response)
    # Post/redirect/get: the error page is a GET, so Back never asks to resend a form.
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert page.count("Select an option") == 2  # in the summary and beside the options
    assert '<a href="#id_answer_0">Select an option</a>' in page
    assert "<title>Error: " in page
    assert 'aria-describedby="question-hint answer-error"' in page
    draft.refresh_from_db()
    assert draft.answers == {}


def test_an_invalid_option_is_refused_with_a_400_page_showing_the_form(client):
    draft = make_draft(answers={"training_use": "no"})
    response = client.post(question_url(draft, "training_use"), {"answer": "maybe"})
    page = page_of(response)
    assert response.status_code == 400
    assert "Select one of the options shown" in page
    assert 'type="radio" name="answer"' in page
    draft.refresh_from_db()
    assert draft.answers == {"training_use": "no"}


def test_an_invalid_checkbox_value_is_refused(client):
    draft, question = draft_at("multiple")
    valid = question.options[0].value
    response = client.post(question_url(draft, question.id), {"answer": [valid, "forged"]})
    page = page_of(response)
    assert response.status_code == 400
    assert "Select from the options shown" in page
    assert f'value="{valid}"' in page and "checked" in page  # what was ticked stays ticked
    draft.refresh_from_db()
    assert question.id not in draft.answers


def test_an_exclusive_option_with_another_is_refused_and_both_stay_ticked(client):
    draft, question = draft_at("multiple")
    exclusive = next(o for o in question.options if o.exclusive)
    other = next(o for o in question.options if not o.exclusive)
    response = client.post(
        question_url(draft, question.id), {"answer": [other.value, exclusive.value]}, follow=True
    )
    page = page_of(response)
    assert response.status_code == 200
    assert f"Select “{exclusive.label}” on its own, or remove it" in page
    assert page.count(" checked") == 2


def test_text_over_the_engines_cap_is_refused_and_kept_for_correction(client):
    draft, question = draft_at("long_text")
    typed = "word " * (question.max_length // 5) + "extra"
    response = client.post(question_url(draft, question.id), {"answer": typed}, follow=True)
    page = page_of(response)
    assert response.status_code == 200
    assert f"Enter {question.max_length} characters or fewer" in page
    assert f">{typed}</textarea>" in page
    draft.refresh_from_db()
    assert question.id not in draft.answers


def test_a_blank_text_answer_is_refused(client):
    draft, question = draft_at("text")
    response = client.post(question_url(draft, question.id), {"answer": "   "}, follow=True)
    assert response.status_code == 200
    assert '<a href="#id_answer">Enter an answer</a>' in page_of(response)


def test_a_post_for_a_question_off_the_path_is_refused_and_redirected_to_the_right_step(client):
    draft = make_draft(answers={"training_use": "no"})
    before = dict(draft.answers)
    off_path = "describe_model"  # asked only when outputs train a model
    response = client.post(question_url(draft, off_path), {"answer": "Sneaked in"}, follow=True)
    draft.refresh_from_db()
    assert draft.answers == before
    next_question = engine.evaluate(load(), before).next_question
    assert response.redirect_chain == [(question_url(draft, next_question.id), 302)]
    assert "not part of your assessment" in page_of(response)


def test_a_question_that_does_not_exist_is_404(client):
    draft = make_draft()
    assert client.get(question_url(draft, "no_such_question")).status_code == 404
    assert (
        client.post(question_url(draft, "no_such_question"), {"answer": "yes"}).status_code == 404
    )


def test_a_later_question_cannot_be_skipped_to(client):
    draft = make_draft()
    last = steps_for("permitted")[-1].question
    response = client.get(question_url(draft, last.id))
    assert response.status_code == 302
    assert response["Location"] == question_url(draft, "training_use")


def test_changing_an_earlier_answer_drops_later_answers_and_says_which(client):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    steps = steps_for("permitted")
    response = client.post(question_url(draft, "training_use"), {"answer": "no"}, follow=True)
    page = page_of(response)
    draft.refresh_from_db()
    assert draft.answers == {"training_use": "no"}
    assert "no longer apply and their answers were removed" in page
    for step in steps[1:]:
        assert f"“{step.question.text}”" in page


def test_answers_a_change_dropped_are_filled_in_again_when_they_apply_again(client):
    """Back, a change and a change back: the dropped answers were set aside, not lost. They
    are shown for checking, never assessed, until the respondent saves them again."""
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    described = steps_for("permitted")[1]
    assert described.question.is_text  # the model's description
    client.post(question_url(draft, "training_use"), {"answer": "no"})
    draft.refresh_from_db()
    assert described.question.id not in draft.answers
    assert draft.set_aside[described.question.id] == answers[described.question.id]

    client.post(question_url(draft, "training_use"), {"answer": answers["training_use"]})
    draft.refresh_from_db()
    assert described.question.id not in draft.answers  # set aside, not answered
    page = page_of(client.get(question_url(draft, described.question.id)))
    assert f">{html.escape(answers[described.question.id])}</textarea>" in page
    client.post(question_url(draft, described.question.id), {"answer": "Described again."})
    draft.refresh_from_db()
    assert draft.answers[described.question.id] == "Described again."
    assert described.question.id not in draft.set_aside  # live again: no longer set aside


def test_the_same_answer_again_drops_nothing(client):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    response = client.post(
        question_url(draft, "training_use"), {"answer": answers["training_use"]}, follow=True
    )
    draft.refresh_from_db()
    assert draft.answers == answers
    assert "removed" not in page_of(response)


def test_a_change_from_check_returns_to_check_when_the_path_is_still_complete(client):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    last = steps_for("permitted")[-1]
    url = question_url(draft, last.question.id, "?return=check")
    page = page_of(client.get(url))
    assert f'href="{reverse("check", args=[draft.token])}" class="back-link' in page
    assert f'action="{url}"' in page
    response = client.post(url, {"answer": answers[last.question.id]})
    assert response["Location"] == reverse("check", args=[draft.token])


def test_a_change_from_check_that_opens_new_questions_continues_with_them(client):
    draft = make_draft(answers=answers_for("permitted"))
    response = client.post(question_url(draft, "training_use", "?return=check"), {"answer": "no"})
    draft.refresh_from_db()
    assert response["Location"].startswith(f"/a/{draft.token}/q/")
    assert response["Location"] != reverse("check", args=[draft.token])


def test_questions_wait_until_the_details_are_given(client):
    from assessment.services import drafts

    draft = drafts.start_draft(client_address="192.0.2.9")
    response = client.get(question_url(draft, "training_use"))
    assert response["Location"] == reverse("details", args=[draft.token])


def test_an_answer_posted_to_a_submitted_assessment_is_refused_and_shows_the_result(client):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    submission.submit(draft=draft)
    response = client.post(question_url(draft, "training_use"), {"answer": "yes"}, follow=True)
    draft.refresh_from_db()
    assert draft.answers == answers
    assert response.redirect_chain[-1][0] == reverse("result", args=[draft.token])
    assert "already submitted" in page_of(response)


def test_or_stands_between_the_options_that_combine_and_each_one_that_stands_alone(client):
    """Recipients opens with "No one outside our organisation" (alone) and ends with "Not sure"
    (alone): "or" after the first and before the last, never above the first option."""
    draft = make_draft(
        answers={
            "training_use": "yes",
            "describe_model": "A sentiment classifier for our support tickets.",
            "model_facts": all_no(load(), "model_facts"),
            "capabilities": ["sentiment"],
            "outputs_role": ["labels"],
            "serves": ["own_product"],
        }
    )
    page = page_of(client.get(question_url(draft, "recipients")))
    options = load().questions["recipients"].options
    divider_or_option = r'<p class="choice-divider"[^>]*>or</p>|name="answer"[^>]*value="([a-z_]+)"'
    order = [m.group(1) for m in re.finditer(divider_or_option, page)]
    first, second, last = options[0].value, options[1].value, options[-1].value
    assert options[0].exclusive and options[-1].exclusive and not options[1].exclusive
    assert order[:3] == [first, None, second]
    assert order[-2:] == [None, last]
    assert order.count(None) == 2
