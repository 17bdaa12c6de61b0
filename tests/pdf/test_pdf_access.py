"""Who gets a PDF summary: the respondent through the private link, reviewers with permission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessment.models import Record
from tests.factories import make_draft, make_record
from tests.pdf.conftest import pdf_text, read_pdf
from tests.review_support import sign_in

pytestmark = pytest.mark.django_db


def assert_pdf_download(response, record: Record) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{record.reference}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert record.reference in pdf_text(read_pdf(response.content))


def test_respondent_downloads_their_summary_through_the_private_link(client):
    record = make_record(kind="permitted")
    response = client.get(reverse("respondent_pdf", args=[record.token]))
    assert_pdf_download(response, record)


def test_guessed_link_is_404(client):
    make_record(kind="permitted")
    response = client.get(reverse("respondent_pdf", args=["not-a-real-token"]))
    assert response.status_code == 404


def test_draft_not_yet_submitted_has_no_summary(client):
    draft = make_draft()
    response = client.get(reverse("respondent_pdf", args=[draft.token]))
    assert response.status_code == 404


def test_reviewer_downloads_any_record_summary(signed_in_reviewer):
    record = make_record(kind="review")
    response = signed_in_reviewer.get(reverse("review_pdf", args=[record.reference]))
    assert_pdf_download(response, record)


def test_unknown_reference_is_404_for_a_reviewer(signed_in_reviewer):
    response = signed_in_reviewer.get(reverse("review_pdf", args=["AS-2026-99999"]))
    assert response.status_code == 404


def test_reviewer_without_permission_gets_403(client):
    record = make_record(kind="review")
    sign_in(client, User.objects.create_user("visitor", password="pw"))
    assert client.get(reverse("review_pdf", args=[record.reference])).status_code == 403
    assert client.post(reverse("review:export_zip")).status_code == 403


def test_anonymous_reviewer_urls_go_to_sign_in(client):
    record = make_record(kind="review")
    for url in (reverse("review_pdf", args=[record.reference]), reverse("review:background")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_pdf_urls_refuse_post(signed_in_reviewer):
    record = make_record(kind="review")
    response = signed_in_reviewer.post(reverse("review_pdf", args=[record.reference]))
    assert response.status_code == 405


def test_rendering_failure_shows_the_error_page_and_changes_nothing(client, monkeypatch, caplog):
    record = make_record(kind="permitted")
    before = Record.objects.filter(pk=record.pk).values().get()

    def broken(record: Record, for_reviewers: bool = False) -> bytes:
        raise RuntimeError("fonts unavailable")

    monkeypatch.setattr("assessment.background.renderings.render_record_pdf", broken)
    response = client.get(reverse("respondent_pdf", args=[record.token]))

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert "Could not render the PDF summary of " + record.reference in caplog.text
    assert record.token not in caplog.text
    assert Record.objects.filter(pk=record.pk).values().get() == before
