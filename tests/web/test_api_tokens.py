"""The account page where a signed-in user creates, sees and revokes API tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessment.models import ApiToken
from assessment.services import tokens
from tests.review_support import make_reviewer, sign_in

pytestmark = pytest.mark.django_db
URL = "/accounts/tokens/"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("pipeline", password="not a reviewer 42")


@pytest.fixture
def signed_in(client, user):
    sign_in(client, user)
    return client


def create(client, **fields):
    return client.post(URL, {"name": "CI", "scope": "read:own", "expires_on": "", **fields})


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(signed_in, user):
    response = create(signed_in, name="Training CI")
    assert response.status_code == 302 and response["Location"] == URL
    page = signed_in.get(URL).content.decode()
    token = ApiToken.objects.get(user=user)
    secret = page.split('id="new-token-value" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("ast_") and len(secret) > 40
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get(pk=token.pk))
    assert tokens.authenticate(secret) == token
    assert secret not in signed_in.get(URL).content.decode()  # never again


def test_the_list_shows_name_scope_expiry_and_last_use(signed_in, user):
    create(signed_in, name="Nightly", expires_on=str((timezone.now() + timedelta(days=30)).date()))
    ApiToken.objects.filter(user=user).update(last_used_at=timezone.now())
    page = signed_in.get(URL).content.decode()
    assert "Nightly" in page and "read:own" in page
    assert "Never" not in page.split("data-last-used>")[1][:40]


def test_a_non_reviewer_cannot_create_a_read_all_token(signed_in, user):
    assert "read:all" not in signed_in.get(URL).content.decode()
    response = create(signed_in, scope="read:all")
    assert response.status_code == 200
    assert "Choose a scope" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_reviewer_can_create_a_read_all_token(client):
    sign_in(client, make_reviewer())
    assert create(client, scope="read:all").status_code == 302
    assert ApiToken.objects.get().scope == "read:all"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter a name for the token"),
        ({"expires_on": "2001-01-01"}, "The expiry date must be after today"),
        ({"expires_on": "soon"}, "Enter the expiry as a date"),
    ],
)
def test_bad_input_shows_the_error_beside_the_field_and_in_the_summary(signed_in, fields, message):
    response = create(signed_in, **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) >= 2  # the error summary and the field
    assert "There is a problem" in page
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(signed_in, user):
    secret = tokens.create_token(user=user, name="x", scope="read:own", expires_at=None).secret
    token = ApiToken.objects.get()
    response = signed_in.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 302
    assert tokens.authenticate(secret) is None
    assert "Revoked" in signed_in.get(URL).content.decode()


def test_nobody_can_revoke_someone_elses_token(signed_in):
    other = get_user_model().objects.create_user("other", password="x" * 20)
    tokens.create_token(user=other, name="theirs", scope="read:own", expires_at=None)
    token = ApiToken.objects.get()
    signed_in.post(f"{URL}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "theirs" not in signed_in.get(URL).content.decode()


def test_revoking_needs_a_post(signed_in, user):
    tokens.create_token(user=user, name="x", scope="read:own", expires_at=None)
    token = ApiToken.objects.get()
    assert signed_in.get(f"{URL}{token.pk}/revoke/").status_code == 405
