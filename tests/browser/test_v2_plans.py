"""A handful of the realistic v2 plans (tests/engine/test_v2_plans.py), answered in Chromium
from the page wording alone, end in the outcome the engine gives them, with the answers that
triggered each finding named on the result page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment import engine
from assessment.questionnaire import load
from tests.engine.test_v2_plans import BROWSER_PLANS, PLANS
from tests.respondent_steps import fill_details, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("description", BROWSER_PLANS)
def test_a_realistic_plan_answered_in_the_browser_gets_its_outcome(page, description):
    answers, outcome, categories = PLANS[description]
    steps = engine.evaluate(load("v2"), answers).path
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    fill_details(page)
    walk(page, steps)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", outcome)
    for category in categories:
        expect(page.locator(".finding").filter(has_text=category).first).to_be_visible()
    expect(page.locator(".finding-because").first).to_contain_text("Because you answered")
