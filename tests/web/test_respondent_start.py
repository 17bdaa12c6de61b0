"""Starting an assessment: a draft with a private link, and a clear page when rate-limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessment.models import Draft

pytestmark = pytest.mark.django_db


def test_start_page_explains_the_assessment_and_offers_a_start_button(client):
    page = client.get(reverse("home")).content.decode()
    for words in (
        "permitted",
        "prohibited",
        "needs review",
        "Before you start",
        "5 minutes",
        "What we store and who sees it",
        "private link",
        "Start now",
    ):
        assert words in page
    assert f'action="{reverse("start")}"' in page


def test_starting_creates_a_draft_and_asks_for_the_details_first(client):
    response = client.post(reverse("start"))
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("details", args=[draft.token])
    assert len(draft.token) >= 43  # 256 random bits


def test_start_only_accepts_post(client):
    assert client.get(reverse("start")).status_code == 405


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2)
def test_too_many_starts_from_one_address_get_a_styled_429_page(client):
    client.post(reverse("start"))
    client.post(reverse("start"))
    response = client.post(reverse("start"))
    page = response.content.decode()
    assert response.status_code == 429
    assert "You have started too many assessments" in page
    assert "at most 2 assessments an hour" in page
    assert 'href="/static/css/app.css"' in page  # the site's own layout, not a bare error
    assert Draft.objects.count() == 2


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2)
def test_the_429_page_says_when_to_retry_when_the_oldest_start_leaves_the_hour(client):
    now = timezone.now()
    client.post(reverse("start"))
    client.post(reverse("start"))
    # The first of the two was started 40 minutes ago: one start is allowed in 20 minutes.
    first = Draft.objects.order_by("created_at").first()
    Draft.objects.filter(pk=first.pk).update(created_at=now - timedelta(minutes=40))
    response = client.post(reverse("start"))
    assert response.status_code == 429
    assert 20 * 60 - 5 <= int(response["Retry-After"]) <= 20 * 60
    assert "try again in 20 minutes" in response.content.decode()


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=1)
def test_the_limit_is_per_address(client):
    client.post(reverse("start"), REMOTE_ADDR="203.0.113.1")
    assert client.post(reverse("start"), REMOTE_ADDR="203.0.113.2").status_code == 302
