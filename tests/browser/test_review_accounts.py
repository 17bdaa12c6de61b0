"""Reviewer accounts in Chromium, without JavaScript: an administrator invites a reviewer
(after an error summary), deactivates another after the confirmation page; the invitee sets a
password through the emailed link and signs in. Every page passes axe-core and the Nu checker."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from assessment.models import Delivery
from tests.browser.conftest import sign_in_through_form
from tests.review_support import make_account_admin, make_reviewer, totp_code

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a long and unusual passphrase 7"


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    sign_in_through_form(page, username, password)


def test_an_administrator_invites_and_deactivates_and_the_invitee_signs_in(
    new_page, assert_accessible
):
    make_account_admin("ada", "ada@example.com")
    make_reviewer("sam", "sam@example.com")
    # Everything works without JavaScript (axe needs it: it runs in a second window below).
    admin = new_page(javascript=False)
    _sign_in(admin, "ada", PASSWORD)
    # An administrator who does not review lands on the accounts page.
    expect(admin.locator("h1")).to_have_text("Reviewer accounts")

    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.locator(".error-summary")).to_contain_text("Enter the reviewer's email address")
    assert admin.title().startswith("Error: ")
    admin.get_by_label("Email address").fill("nia@example.org")
    admin.get_by_label("First name (optional)").fill("Nia")
    admin.get_by_label("Approver", exact=False).check()
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_role("status").first).to_contain_text("nia@example.org is invited")
    row = admin.locator('tr[data-account="nia@example.org"]')
    expect(row.locator("[data-state]")).to_have_text("Invited (no password yet)")

    admin.get_by_role("link", name="Deactivate sam").click()
    expect(admin.locator("h1")).to_contain_text("Deactivate sam?")
    admin.get_by_role("button", name="Yes, deactivate").click()
    expect(admin.locator('tr[data-account="sam"] [data-state]')).to_have_text("Deactivated")

    checker = new_page()
    _sign_in(checker, "ada", PASSWORD)
    expect(checker.locator("h1")).to_have_text("Reviewer accounts")
    assert_accessible(checker)
    checker.get_by_role("button", name="Send invitation").click()
    expect(checker.locator(".error-summary")).to_be_visible()
    assert_accessible(checker)
    checker.get_by_role("link", name="Deactivate nia@example.org").click()
    expect(checker.locator("h1")).to_contain_text("Deactivate nia@example.org?")
    assert_accessible(checker)

    [invitation] = Delivery.objects.filter(recipient="nia@example.org")
    [link] = re.findall(r"https?://\S+/accounts/set-password/\S+/", invitation.body)
    invitee = new_page()
    invitee.goto(urlsplit(link).path)
    expect(invitee.locator("h1")).to_have_text("Choose your password")
    assert_accessible(invitee)
    invitee.locator("#id_new_password1").fill(NEW_PASSWORD)
    invitee.locator("#id_new_password2").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Set password").click()
    expect(invitee.get_by_role("status").first).to_contain_text("Your password is set")
    invitee.get_by_label("Username").fill("nia@example.org")
    invitee.get_by_label("Password").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Sign in").click()
    # A first sign-in sets up the second factor: the code of the newly added authenticator.
    expect(invitee.locator("[data-totp-secret]")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="nia@example.org")
    invitee.get_by_label("Code from your authenticator app").fill(totp_code(device))
    invitee.get_by_role("button", name="Turn on the second step").click()
    invitee.goto("/review/")
    expect(invitee.locator("h1")).to_have_text("Assessments queue")
