"""A handful of the realistic v2 plans (tests/engine/test_v2_plans.py), answered in Chromium
under the current version from the page wording alone, end in the outcome the engine gives them,
with the answers that triggered each finding named on the result page; and v3's new question
(does Claude help build a model in another way?) and v4's (what may customers of a
service build with it?) in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, load
from tests.engine.test_v2_plans import BROWSER_PLANS, PLANS
from tests.engine.v2_support import closed, plan
from tests.respondent_steps import fill_details, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("description", BROWSER_PLANS)
def test_a_realistic_plan_answered_in_the_browser_gets_its_outcome(page, description):
    answers, outcome, categories = PLANS[description]
    current = load(CURRENT_VERSION)
    evaluation = engine.evaluate(current, closed(current, answers))  # these plans train a model
    assert evaluation.result is not None and evaluation.result.kind == outcome
    steps = evaluation.path
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    fill_details(page)
    walk(page, steps)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", outcome)
    for category in categories:
        expect(page.locator(".finding").filter(has_text=category).first).to_be_visible()
    expect(page.locator(".finding-because").first).to_contain_text("Because you answered")


def test_claude_writing_a_models_training_code_goes_to_a_reviewer_in_the_browser(page):
    """The plan that v2 let through: no Claude text in the model's data, but Claude writes its
    training code. Answered from the wording: "No", our own models, then "Yes" to v3's question."""
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    fill_details(page)
    expect(page.locator("h1")).to_contain_text("Will Claude's outputs be used to train")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("We train models too, but none of Claude's outputs go into them").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(
        "In the use you are assessing, does Claude help build any AI model in another way, yours "
        "or a client's?"
    )
    expect(page.locator("#question-hint")).to_contain_text("training or evaluation code")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Describe the model and how Claude helps build it").fill(
        "Our consumer chat model. Claude writes and debugs its training scripts."
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Is each of these true of what Claude produces?")
    for statement in load(CURRENT_VERSION).questions["use_facts"].statements:
        group = page.get_by_role("group", name=statement.label, exact=True)
        group.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "review")
    finding = page.locator(".finding").filter(has_text="Claude helps develop a model")
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("C2")


def test_a_model_offered_through_an_api_to_ai_labs_is_prohibited_in_the_browser(page):
    """The plan that v3 let through: a toxicity classifier offered through an API, which AI labs
    use to filter their language models' training data. v4 asks what customers may build."""
    answers = {
        **plan(does=("categorization",), receives=("service_users",)),
        "service_use": "ai_developers",
    }
    current = load(CURRENT_VERSION)
    evaluation = engine.evaluate(current, closed(current, answers))
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    fill_details(page)
    walk(page, evaluation.path[:-3])  # up to the recipients question, answered below by label
    expect(page.locator("h1")).to_have_text(
        "Who outside your organisation will receive the model or its data, or use the model?"
    )
    expect(page.locator("#question-hint")).to_contain_text("parent, subsidiary or sister company")
    page.get_by_label("Customers who use the model through our product or API").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(
        "Could customers use the model's results to build, improve or run AI models?"
    )
    page.get_by_label(
        "Yes: they could use them to build, improve or run language models, chatbots or AI "
        "assistants"
    ).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("No", exact=True).check()  # no written agreement
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "prohibited")
    finding = page.locator(".finding").filter(
        has_text="Letting customers build or run chatbots and language models with this one is "
        "prohibited"
    )
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("C6")
