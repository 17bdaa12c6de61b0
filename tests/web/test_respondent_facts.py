"""A facts question: the deciding facts as statements, each answered Yes, No or Not sure on its
own, so a page cannot be passed without an answer to every one ("No" is never a default)."""

from __future__ import annotations

import html
import re

import pytest

from assessment.models import Draft
from assessment.questionnaire import load
from tests.factories import make_draft
from tests.respondent_steps import question_url

pytestmark = pytest.mark.django_db

FACTS = load().questions["model_facts"]
BEFORE = {"training_use": "yes", "describe_model": "A churn model trained on Claude's labels."}


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def answers(**given: str) -> dict[str, str]:
    """The form a browser sends: one radio group per statement, `given` answered."""
    return {f"answer-{statement}": f"{statement}:{answer}" for statement, answer in given.items()}


def test_each_statement_is_a_group_of_three_radios_none_ticked(client):
    draft = make_draft(answers=BEFORE)
    page = page_of(client.get(question_url(draft, FACTS.id)))
    assert f'<h1 class="question-heading">{FACTS.text}</h1>' in page
    for statement in FACTS.statements:
        assert f'<legend class="fact-legend">{statement.label}</legend>' in page
        radios = re.findall(rf'<input[^>]*name="answer-{statement.value}"[^>]*>', page)
        assert len(radios) == 3 and not any("checked" in radio for radio in radios)
        assert statement.hint in page
    assert "Answer yes, no or not sure for each statement." in page


def test_a_page_with_statements_unanswered_is_refused_and_keeps_what_was_answered(client):
    draft = make_draft(answers=BEFORE)
    url = question_url(draft, FACTS.id)
    response = client.post(url, answers(writes_words="no", about_people="yes"))
    assert response.status_code == 302 and response["Location"] == url
    page = page_of(client.get(url))
    assert "There is a problem" in page
    assert "Select yes, no or not sure for every statement" in page
    # The summary links to the first statement without an answer, beside which the error is.
    first_missing = FACTS.statements[1]
    first_radio = re.search(
        rf'<input[^>]*name="answer-{first_missing.value}" id="([^"]+)"', page
    ).group(1)
    assert f'<a href="#{first_radio}">' in page
    assert page.count("Error:</span> Select yes, no or not sure</p>") == len(FACTS.statements) - 2
    assert 'value="writes_words:no" checked' in page and 'value="about_people:yes" checked' in page
    assert "model_facts" not in Draft.objects.get(pk=draft.pk).answers


def test_every_statement_answered_is_saved_in_order_and_goes_on(client):
    draft = make_draft(answers=BEFORE)
    sent = answers(**{**{s.value: "no" for s in FACTS.statements}, "about_people": "yes"})
    response = client.post(question_url(draft, FACTS.id), sent)
    assert response.status_code == 302
    assert response["Location"] == question_url(draft, FACTS.next)
    saved = Draft.objects.get(pk=draft.pk).answers["model_facts"]
    assert saved == [
        f"{s.value}:{'yes' if s.value == 'about_people' else 'no'}" for s in FACTS.statements
    ]
    # Back on the page, each answer is ticked again.
    page = page_of(client.get(question_url(draft, FACTS.id)))
    assert 'value="about_people:yes" checked' in page
    assert page.count(" checked") == len(FACTS.statements)


def test_an_answer_no_radio_could_send_is_refused_as_forged(client):
    draft = make_draft(answers=BEFORE)
    sent = {**answers(**{s.value: "no" for s in FACTS.statements}), "answer-extra": "none"}
    response = client.post(question_url(draft, FACTS.id), sent)
    assert response.status_code == 400
    assert "model_facts" not in Draft.objects.get(pk=draft.pk).answers
