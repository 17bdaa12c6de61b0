"""Nobody but reviewers reaches a reviewer page, record, action or export."""

import pytest
from django.urls import reverse

from assessment.models import Status
from tests.review_support import authenticator_of, make_outsider, make_reviewer, sign_in, totp_code

pytestmark = pytest.mark.django_db


def _get_urls(reference: str) -> list[str]:
    return [
        reverse("review:queue"),
        reverse("review:record", args=[reference]),
        reverse("review:stats"),
        reverse("review:export_csv"),
        reverse("review:export_json"),
    ]


def _action(reference: str) -> str:
    return reverse("review:action", args=[reference])


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, record):
    for url in _get_urls(record.reference):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    response = client.post(_action(record.reference), {"action": "assign", "assign-revision": 0})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.NEW


def test_signed_in_users_without_the_permission_get_403_everywhere(client, record):
    sign_in(client, make_outsider())
    for url in _get_urls(record.reference):
        response = client.get(url)
        assert response.status_code == 403, url
        assert record.respondent_email not in response.content.decode()
    response = client.post(_action(record.reference), {"action": "assign", "assign-revision": 0})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == Status.NEW


def test_reviewers_reach_every_page(client, record):
    sign_in(client, make_reviewer())
    for url in _get_urls(record.reference):
        assert client.get(url).status_code == 200, url


def test_superusers_reach_every_page(admin_client, record):
    for url in _get_urls(record.reference):
        assert admin_client.get(url).status_code == 200, url


def test_a_guessed_reference_is_404_for_a_reviewer(client, record):
    sign_in(client, make_reviewer())
    assert client.get(reverse("review:record", args=["AS-2026-99999"])).status_code == 404
    assert client.post(_action("AS-2026-99999"), {"action": "assign"}).status_code == 404


def test_the_login_page_signs_a_reviewer_in_with_both_factors_and_goes_to_the_queue(client):
    device = authenticator_of(make_reviewer())
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(
        reverse("login"), {"username": "rita", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    second_step = reverse("second_factor") + "?next=%2Freview%2F"
    assert response["Location"] == second_step
    assert client.get(reverse("review:queue"))["Location"] == second_step  # not in yet
    response = client.post(second_step, {"code": totp_code(device), "next": "/review/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")
    assert client.get(reverse("review:queue")).status_code == 200


def test_a_wrong_password_shows_an_error_summary(client):
    make_reviewer()
    response = client.post(reverse("login"), {"username": "rita", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Sign in" in body
    assert "There is a problem" in body


def test_repeated_failures_lock_the_sign_in_with_a_clear_page(client, settings):
    make_reviewer()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "rita", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "rita", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()


def test_an_empty_sign_in_says_which_field_is_missing(client):
    page = client.post("/accounts/login/", {"username": "rita"}).content.decode()
    assert '<a href="#id_password">Enter your password</a>' in page
    assert "This field is required" not in page
