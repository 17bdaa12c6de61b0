"""The API's docs page and the API tokens page, in real Chromium under the site's CSP."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
# Swagger UI is a 1.5 MB script: parsing it takes seconds on a small, busy machine.
SLOW = 60_000


def test_the_api_docs_render_every_operation_under_the_csp(page):
    # Any CSP violation (an inline script or style, a CDN) is a console error: page_problems
    # fails the test on it.
    page.set_default_timeout(SLOW)
    response = page.goto("/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock")
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    paths = {text.replace("\u200b", "").strip() for text in summaries}
    assert {
        "/api/v1/questionnaire",
        "/api/v1/assessments",
        "/api/v1/assessments/{reference}",
        "/api/v1/assessments/{reference}/events",
    } <= paths
    assert page.locator("button.authorize").count() == 1  # a bearer token can be entered


def test_the_docs_can_call_the_public_questionnaire(page):
    page.set_default_timeout(SLOW)
    page.goto("/api/v1/docs/")
    page.locator("#operations-questionnaire-questionnaire .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"


def test_a_user_creates_copies_and_revokes_a_token(
    new_page, live_server, assert_accessible, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code follows a wrong one at once
    get_user_model().objects.create_user("pipeline", password="pipeline password 42")
    page = new_page()
    page.goto("/accounts/login/?next=/accounts/tokens/")
    page.get_by_label("Username").fill("pipeline")
    page.get_by_label("Password").fill("pipeline password 42")
    page.get_by_role("button", name="Sign in").click()
    # First sign-in: the authenticator app is set up from the secret as the page writes it out.
    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    wrong = f"{(int(_code_from(secret)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Turn on the second step").click()
    expect(page.locator(".error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(_code_from(secret))
    page.get_by_role("button", name="Turn on the second step").click()
    expect(page.locator("h1")).to_have_text("Recovery codes")
    expect(page.locator("[data-recovery-code]")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Name").fill("Training CI")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Your new token").input_value()
    assert re.fullmatch(r"ast_[A-Za-z0-9_-]{43}", secret)
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Training CI").click()
    assert page.get_by_role("cell", name="Revoked").is_visible()
    assert secret not in page.content()


def _code_from(secret: str) -> str:
    """What an authenticator app shows for the secret typed into it (base32, 30 s, 6 digits)."""
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"
