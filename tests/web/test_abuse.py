"""Abuse: sign-in lockout (django-axes), the drafts-per-hour limit, capped bodies and fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from assessment import engine
from assessment.models import Draft
from assessment.questionnaire import CURRENT_VERSION, load
from tests.factories import make_draft

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 42"
ATTACKER = "198.51.100.7"


@pytest.fixture
def reviewer() -> User:
    return User.objects.create_user("reviewer", password=PASSWORD)


def sign_in(client, password: str, *, address: str = ATTACKER, username: str = "reviewer"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def lock_out(client, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong guess")


def test_repeated_failed_sign_ins_lock_out_with_a_clear_message(client, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong guess").status_code == 200
    response = sign_in(client, "wrong guess")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in is locked for now" in body
    assert f"There were {settings.AXES_FAILURE_LIMIT} failed attempts" in body
    assert "Try again in" in body


def test_locked_out_account_cannot_sign_in_even_with_the_right_password(client, reviewer, settings):
    lock_out(client, settings)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_for_that_username_from_that_address_only(client, reviewer, settings):
    lock_out(client, settings)
    assert sign_in(client, PASSWORD, address="203.0.113.9").status_code == 302


def test_lockout_lifts_after_the_cool_off(client, reviewer, settings):
    lock_out(client, settings)
    assert sign_in(client, PASSWORD).status_code == 429
    # Move the failures back past the cool-off, as if that much time had gone by.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reviewer.pk)


def test_the_lockout_page_says_how_long_is_left_and_sends_retry_after(client, reviewer, settings):
    lock_out(client, settings)
    # Ten minutes later, five are left: the page and the header say so, not the full cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert 290 <= int(response["Retry-After"]) <= 300
    assert "Try again in 5 minutes." in response.content.decode()


def test_attempts_while_locked_out_neither_count_nor_extend_the_lock(client, reviewer, settings):
    lock_out(client, settings)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    before = AccessAttempt.objects.get()
    for _ in range(3):
        assert sign_in(client, "still guessing").status_code == 429
    after = AccessAttempt.objects.get()
    assert (after.failures_since_start, after.attempt_time) == (
        before.failures_since_start,
        before.attempt_time,
    )


def test_cool_off_is_fifteen_minutes_after_five_failures(settings):
    limit, cool_off = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    assert (limit, cool_off) == (5, timedelta(minutes=15))


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=3)
def test_one_client_starting_too_many_drafts_gets_the_429_page(client):
    for _ in range(3):
        assert client.post("/start/", REMOTE_ADDR=ATTACKER).status_code == 302
    response = client.post("/start/", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert "You have started too many assessments" in response.content.decode()
    assert Draft.objects.count() == 3
    # Others are not affected.
    assert client.post("/start/", REMOTE_ADDR="203.0.113.9").status_code == 302


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2)
def test_the_drafts_limit_counts_only_the_last_hour(client):
    for _ in range(2):
        client.post("/start/", REMOTE_ADDR=ATTACKER)
    assert client.post("/start/", REMOTE_ADDR=ATTACKER).status_code == 429
    Draft.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    assert client.post("/start/", REMOTE_ADDR=ATTACKER).status_code == 302


def test_oversized_request_body_gets_the_styled_400_not_a_500(client, settings):
    draft = make_draft()
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(f"/a/{draft.token}/details/", {"respondent_name": too_big})
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).respondent_name != too_big


def test_too_many_form_fields_get_the_styled_400(client, settings):
    draft = make_draft()
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(f"/a/{draft.token}/details/", fields)
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


@pytest.mark.parametrize(
    "field", ["respondent_name", "organisation", "project_name", "project_description"]
)
def test_overlong_details_are_refused_with_a_message_and_not_stored(client, field):
    draft = make_draft()
    cap = Draft._meta.get_field(field).max_length
    details = {
        "respondent_name": "Ada",
        "respondent_email": "ada@example.com",
        "project_name": "P",
        field: "y" * (cap + 1),
    }
    response = client.post(f"/a/{draft.token}/details/", details, follow=True)
    # The form again, with the error (its status is the journey's choice; never a 500).
    assert response.status_code in (200, 400)
    assert f"{cap} characters or fewer" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).respondent_name == "Ada Lovelace"


def first_text_question() -> tuple[dict, engine.Question]:
    """The answers that lead to the first text question reachable, and that question."""
    questionnaire = load(CURRENT_VERSION)
    for evaluation in engine.enumerate_paths(questionnaire, combinations=False):
        answers: dict = {}
        for step in evaluation.path:
            if step.question.is_text and step.question.max_length:
                return answers, step.question
            answers[step.question.id] = evaluation.answers[step.question.id]
    pytest.skip("the questionnaire has no capped text question")


def test_overlong_text_answer_is_refused_and_not_stored(client):
    answers, question = first_text_question()
    draft = make_draft(answers=answers)
    response = client.post(
        f"/a/{draft.token}/q/{question.id}/",
        {"answer": "z" * (question.max_length + 1)},
        follow=True,  # the question page shows the refusal after a redirect
    )
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert question.id not in Draft.objects.get(pk=draft.pk).answers


@pytest.mark.parametrize("url", ["/a/%00/", "/a/x%00y/result/", "/verify/?x=%00", "/?a%00=1"])
def test_nul_byte_in_the_url_is_a_400_not_a_database_error(client, url):
    # PostgreSQL refuses NUL in text: a lookup by such a value would otherwise be a 500.
    response = client.get(url)
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_nul_byte_in_a_form_is_a_400_not_a_database_error(client):
    draft = make_draft()
    response = client.post(f"/a/{draft.token}/details/", {"respondent_name": "Ada\x00"})
    assert response.status_code == 400
    assert Draft.objects.get(pk=draft.pk).respondent_name == "Ada Lovelace"


def test_overlong_username_is_refused_by_the_sign_in_form(client):
    response = client.post("/accounts/login/", {"username": "x" * 300, "password": "guess"})
    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 0  # never reached authentication or django-axes


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_drafts_limit_is_per_client_and_cannot_be_dodged(client):
    proxy = "10.0.0.2"
    for _ in range(2):
        response = client.post("/start/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
        assert response.status_code == 302
    # A forged entry in front of the one the proxy appended changes nothing.
    forged = f"192.0.2.{len(ATTACKER)}, {ATTACKER}"
    assert client.post("/start/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forged).status_code == 429
    # Another client behind the same proxy is not limited by the first one's drafts.
    other = client.post("/start/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, reviewer, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "reviewer", "password": "wrong guess"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    # Rotating the header did not spread the failures over many "clients".
    assert sign_in(client, PASSWORD).status_code == 429
