"""The respondent's journey as steps a test can replay, through the test client or a browser.

The engine picks the answers: `steps_for(kind)` is the live path of the first complete path of
the current questionnaire that ends in `kind`, so the tests follow the questionnaire as it
evolves instead of hard-coding question ids.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from assessment import engine
from assessment.models import Draft
from assessment.questionnaire import Question, load
from assessment.questionnaire.schema import YES_NO_LABELS
from tests.factories import DETAILS, answers_for


def steps_for(kind: str) -> tuple[engine.Step, ...]:
    return engine.evaluate(load(), answers_for(kind)).path


def first_question_of_kind(question_kind: str) -> tuple[dict[str, Any], Question]:
    """Answers that lead to the first question of `question_kind`, and that question."""
    for evaluation in engine.enumerate_paths(load(), combinations=False):
        for index, step in enumerate(evaluation.path):
            if step.question.kind == question_kind:
                before = {
                    s.question.id: evaluation.answers[s.question.id]
                    for s in evaluation.path[:index]
                }
                return before, step.question
    raise LookupError(question_kind)


def post_value(step: engine.Step) -> dict[str, Any]:
    value = step.value
    return {"answer": list(value) if isinstance(value, tuple) else value}


def question_url(draft: Draft, question_id: str, query: str = "") -> str:
    return reverse("question", args=[draft.token, question_id]) + query


def start_with_details(client: Client) -> Draft:
    """POST /start/ and fill in the details page, as a respondent would."""
    response = client.post(reverse("start"))
    token = response["Location"].split("/")[2]
    client.post(reverse("details", args=[token]), DETAILS)
    return Draft.objects.get(token=token)


def answer_steps(client: Client, draft: Draft, steps: tuple[engine.Step, ...]) -> None:
    for step in steps:
        response = client.post(question_url(draft, step.question.id), post_value(step))
        assert response.status_code == 302, response.content.decode()[:2000]


def shown_digest(client: Client, draft: Draft) -> str:
    page = client.get(reverse("check", args=[draft.token])).content.decode()
    shown = re.search(r'name="shown" value="([0-9a-f]+)"', page)
    assert shown, "the check page carries the fingerprint of what it shows"
    return shown.group(1)


def submit(client: Client, draft: Draft) -> Any:
    return client.post(reverse("check", args=[draft.token]), {"shown": shown_digest(client, draft)})


# -- in a browser (Playwright pages from tests/browser/conftest.py) ----------------------------


def fill_details(page: Any, details: dict[str, str] | None = None) -> None:
    details = details or DETAILS
    page.get_by_label("Your full name").fill(details["respondent_name"])
    page.get_by_label("Email address").fill(details["respondent_email"])
    page.get_by_label("Organisation or team (optional)").fill(details["organisation"])
    page.get_by_label("Name of the project or model").fill(details["project_name"])
    page.get_by_label("Short description (optional)").fill(details["project_description"])
    page.get_by_role("button", name="Save and continue").click()


def choose(page: Any, step: engine.Step, text: str | None = None) -> None:
    """Answer the question on screen the way a person would: by its labels."""
    question = step.question
    if question.is_text:
        page.get_by_label(question.text, exact=True).fill(text or step.labels[0])
    elif question.kind == "facts":
        # Each statement is a group of its own, named by the statement, with Yes, No, Not sure.
        for statement, value in zip(question.statements, step.value, strict=True):
            word = YES_NO_LABELS[value.rsplit(":", 1)[1]]
            group = page.get_by_role("group", name=statement.label, exact=True)
            group.get_by_label(word, exact=True).check()
    else:
        for label in step.labels:
            page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def walk(page: Any, steps: tuple[engine.Step, ...]) -> None:
    from playwright.sync_api import expect

    for number, step in enumerate(steps, start=1):
        expect(page.locator("h1")).to_have_text(step.question.text)
        expect(page.locator(".caption")).to_contain_text(f"Question {number}")
        choose(page, step)
