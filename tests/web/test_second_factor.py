"""The second factor of sign-in: every account proves it before any reviewer page, export,
attachment, API tokens page or the admin; set up on first sign-in; recovery codes; the reset
command; django-axes counts wrong codes. Sign-in is driven through the real forms."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import Draft
from assessment.services import second_factor
from assessment.services import tokens as api_tokens
from assessment.views.lockout import locked_out
from tests.review_support import (
    authenticator_of,
    make_outsider,
    make_reviewer,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SETUP = reverse("second_factor_setup")
VERIFY = reverse("second_factor")
RECOVERY = reverse("second_factor_recovery")
CODES = reverse("recovery_codes")


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """django-otp makes a code wait 1, 2, 4... seconds after a wrong one; the tests that send a
    right code straight after a wrong one would otherwise have to sleep. One test turns it on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_step(client, username="rita", password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def reviewer_urls(reference: str) -> list[str]:
    return [
        reverse("review:queue"),
        reverse("review:record", args=[reference]),
        reverse("review:stats"),
        reverse("review:export_csv"),
        reverse("review:export_json"),
        reverse("review:background"),
        reverse("review:versions"),
        reverse("review:export", args=["00000000-0000-0000-0000-000000000000"]),
        reverse("review:attachment", args=[reference, 1]),
        reverse("review_pdf", args=[reference]),
        reverse("api_tokens"),
        reverse("recovery_codes"),
        reverse("admin:index"),
    ]


def test_a_reviewer_without_a_second_factor_reaches_no_reviewer_page_or_export(client, record):
    reviewer = make_reviewer()
    reviewer.is_staff = True  # the admin too
    reviewer.save()
    response = password_step(client)
    assert response["Location"] == f"{VERIFY}?next=%2Freview%2F"
    # The second step sends an account without an authenticator on to set one up.
    assert client.get(response["Location"])["Location"] == f"{SETUP}?next=%2Freview%2F"
    for url in reviewer_urls(record.reference):
        response = client.get(url, follow=True)
        final, _ = response.redirect_chain[-1]
        assert final.startswith(SETUP), url
        assert response.status_code == 200, url
        assert record.respondent_email not in response.content.decode(), url
    # Actions and exports by POST are refused too, and change nothing.
    for url in (reverse("review:action", args=[record.reference]), reverse("review:export_zip")):
        response = client.post(url, {"action": "assign", "assign-revision": 0})
        assert response.status_code == 302 and response["Location"] == VERIFY, url
    record.refresh_from_db()
    assert record.assigned_to is None
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_the_page_asked_for_is_where_the_second_step_leads(client, record):
    device = authenticator_of(make_reviewer())
    url = reverse("review:record", args=[record.reference])
    response = client.get(url)
    assert response["Location"] == f"{reverse('login')}?next={url}"
    response = password_step(client, next_url=url)
    assert response["Location"] == f"{VERIFY}?next={quote(url, safe='')}"
    response = client.post(VERIFY, {"code": totp_code(device), "next": url})
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_an_outside_next_is_not_followed_after_the_second_step(client):
    device = authenticator_of(make_reviewer())
    password_step(client)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("review:queue")


def test_first_sign_in_sets_up_the_authenticator_with_a_right_code(client):
    user = make_reviewer()
    password_step(client)
    page = client.get(f"{SETUP}?next=%2Freview%2F")
    body = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<svg viewBox="[^"]+" xmlns="http://www.w3.org/2000/svg" role="img"', body)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", body).group(1)
    assert secret.replace(" ", "") == second_factor.secret_for_typing(device).replace(" ", "")
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    # A reload shows the same secret: the app scanned first still works.
    assert secret in client.get(SETUP).content.decode()

    response = client.post(SETUP, {"code": totp_code(device), "next": "/review/"})
    assert response["Location"] == f"{CODES}?next=%2Freview%2F"
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"data-recovery-code>([a-z2-7]{4}-[a-z2-7]{4})<", page)
    assert len(codes) == 10 == len(set(codes))
    assert 'href="/review/"' in page  # Continue
    # Shown once.
    again = client.get(CODES).content.decode()
    assert not re.findall(r"data-recovery-code>", again)
    assert "data-recovery-codes-left>10<" in again
    assert client.get(reverse("review:queue")).status_code == 200


def test_a_wrong_code_at_set_up_shows_an_error_and_sets_nothing_up(client):
    user = make_reviewer()
    password_step(client)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set up your authenticator app" in body
    assert "There is a problem" in body
    assert 'aria-invalid="true"' in body
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("review:queue"), follow=True).redirect_chain[-1][0].startswith(SETUP)
    response = client.post(SETUP, {"code": "12ab"})
    assert "Enter the code as 6 digits" in response.content.decode()


def test_the_set_up_page_cannot_replace_an_authenticator(client):
    """Someone holding only the password cannot swap in their own authenticator."""
    user = make_reviewer()
    device = authenticator_of(user)
    password_step(client)
    assert client.get(SETUP)["Location"] == f"{VERIFY}?next=%2Freview%2F"
    client.post(SETUP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    with pytest.raises(second_factor.AlreadySetUp):
        second_factor.start_setup(user)


def test_a_wrong_code_is_refused_with_an_error_summary(client):
    device = authenticator_of(make_reviewer())
    password_step(client)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter the code from your authenticator app" in body
    assert "The code is not right" in body
    assert client.get(reverse("review:queue"))["Location"].startswith(VERIFY)


def test_a_used_code_is_not_accepted_twice(client):
    user = make_reviewer()
    device = authenticator_of(user)
    password_step(client)
    code = totp_code(device)
    assert client.post(VERIFY, {"code": code})["Location"] == reverse("review:queue")
    client.post(reverse("logout"))
    password_step(client)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_wrong_codes_count_towards_the_same_lockout_as_wrong_passwords(client, settings):
    authenticator_of(make_reviewer())
    password_step(client, password="wrong")  # 1 failure
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        response = client.post(VERIFY, {"code": "000000"})
        assert response.status_code == 200
    # A right password in between does not reset the count: only both factors do.
    password_step(client)
    response = client.post(VERIFY, {"code": "000000"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in is locked for now" in body
    assert f"There were {settings.AXES_FAILURE_LIMIT} failed attempts" in body
    assert "Try again in 15 minutes." in body
    # The password-only session is over, and even the right password and code are refused.
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("login"))
    assert password_step(client).status_code == 429
    assert client.get(VERIFY)["Location"].startswith(reverse("login"))
    # The page says how long is left: the cool-off runs from the last failure (each attempt
    # while locked out is one, so above it was 15 minutes).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10, seconds=5))
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    page = locked_out(request, credentials={"username": "rita"}).content.decode()
    assert "Try again in 5 minutes." in page


def test_a_locked_out_session_cannot_try_another_code(client, settings):
    device = authenticator_of(make_reviewer())
    password_step(client)
    # Locked out from another tab, by wrong passwords.
    other = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(other, password="wrong")
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 429
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("login"))


def test_signing_in_with_both_factors_clears_the_failures(client, settings):
    device = authenticator_of(make_reviewer())
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, password="wrong")
    password_step(client)
    client.post(VERIFY, {"code": totp_code(device)})
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, password="wrong")
    assert password_step(client).status_code == 302  # not locked: the count started again


def test_a_code_straight_after_a_wrong_one_waits_for_the_throttle(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = authenticator_of(make_reviewer())
    password_step(client)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes in a row: wait" in response.content.decode()
    assert client.get(reverse("review:queue"))["Location"].startswith(VERIFY)


def _recovery_codes(user) -> list[str]:
    return second_factor.new_recovery_codes(user)


def test_a_recovery_code_signs_in_once(client):
    user = make_reviewer()
    authenticator_of(user)
    code = _recovery_codes(user)[0]
    password_step(client)
    page = client.get(RECOVERY).content.decode()
    assert 'autocomplete="off"' in page and "inputmode" not in page
    typed = f" {code[:4].upper()}-{code[4:]} "  # as a person might type it
    response = client.post(RECOVERY, {"code": typed, "next": "/review/stats/"})
    assert response["Location"] == "/review/stats/"
    assert client.get("/review/stats/").status_code == 200
    assert second_factor.recovery_codes_left(user) == 9
    client.post(reverse("logout"))
    password_step(client)
    response = client.post(RECOVERY, {"code": code})
    assert response.status_code == 200
    assert "That recovery code is not right, or it was used already" in response.content.decode()
    assert client.get(reverse("review:queue"))["Location"].startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(client):
    user = make_reviewer()
    old = _recovery_codes(user)
    sign_in(client, user)
    response = client.post(CODES)
    page = client.get(response["Location"]).content.decode()
    new = [c.replace("-", "") for c in re.findall(r"data-recovery-code>([a-z2-7-]{9})<", page)]
    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_the_recovery_codes_page_needs_both_factors(client):
    user = make_reviewer()
    _recovery_codes(user)
    authenticator_of(user)
    password_step(client)
    response = client.post(CODES)
    assert response.status_code == 302
    assert StaticToken.objects.count() == 10  # nothing renewed
    assert client.get(CODES)["Location"].startswith(VERIFY)


def test_the_reset_command_removes_the_second_factor(client, caplog):
    user = make_reviewer()
    sign_in(client, user)
    _recovery_codes(user)
    assert client.get(reverse("review:queue")).status_code == 200
    out = StringIO()
    with caplog.at_level(logging.WARNING, logger="assessment.security"):
        call_command("reset_second_factor", "rita", stdout=out)
    assert "Second factor reset for rita: 2 device(s) removed" in out.getvalue()
    assert "Second factor reset by an administrator for rita" in caplog.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.exists()
    # Signed out everywhere; the next sign-in sets up a new authenticator.
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("login"))
    password_step(client)
    response = client.get(reverse("review:queue"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    with pytest.raises(CommandError, match="No account named 'nobody'"):
        call_command("reset_second_factor", "nobody", stdout=out)


def test_every_account_needs_the_second_factor_for_its_tokens_page(client):
    make_outsider()
    password_step(client, username="otto", password="not a reviewer 42")
    response = client.get(reverse("api_tokens"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    sign_in(client, get_user_model().objects.get(username="otto"))
    assert client.get(reverse("api_tokens")).status_code == 200
    # With both factors, a non-reviewer is still no reviewer.
    assert client.get(reverse("review:queue")).status_code == 403


def test_the_admin_needs_both_factors(client, admin_user):
    client.force_login(admin_user)  # the password step only
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    sign_in(client, admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:login") + "?next=/admin/")["Location"] == "/admin/"


def test_the_admin_login_sends_visitors_to_the_services_sign_in(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    sign_in(client, make_outsider())
    assert client.get(reverse("admin:login") + "?next=/admin/").status_code == 403


def test_respondents_still_need_no_account(client):
    response = client.post(reverse("start"))
    draft = Draft.objects.get()
    assert response["Location"] == reverse("details", args=[draft.token])
    assert client.get(response["Location"]).status_code == 200


def test_api_tokens_work_without_any_second_factor(client):
    """The API authenticates bearer tokens itself; its sessions-free calls are unchanged."""
    user = make_reviewer()
    secret = api_tokens.create_token(user=user, name="ci", scope="read:all", expires_at=None).secret
    response = client.get("/api/v1/assessments", headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 200
