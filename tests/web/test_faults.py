"""Faults: an unreachable database or a failed PDF gives a plain error page with the right
status, no stack trace, and loses nothing already saved. Styled 400/403/404/500 pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from assessment.models import Draft, Record
from tests.database_faults import refuse_queries
from tests.factories import answers_for, make_draft, make_record
from tests.review_support import sign_in

pytestmark = pytest.mark.django_db

DEBUG_MARKERS = ("Traceback", "OperationalError", "RuntimeError", "settings.py", "DEBUG = True")


@pytest.fixture
def client() -> Client:
    # Like production: an exception in a view becomes the error page, not a test failure.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    """From the moment it is called, every new query fails as if the server had gone away."""

    def go_down() -> None:
        refuse_queries(monkeypatch, "could not connect to server: Connection refused")

    return go_down


def assert_plain_error_page(response, status: int, title: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert title in body
    for marker in DEBUG_MARKERS:
        assert marker not in body


def reviewer(*, with_permission: bool = True) -> User:
    user = User.objects.create_user("reviewer", password="a long passphrase 42")
    if with_permission:
        user.user_permissions.add(Permission.objects.get(codename="review_record"))
    return user


def test_database_outage_on_a_respondent_page_gives_the_503_page(client, database_down):
    draft = make_draft()
    database_down()
    response = client.get(f"/a/{draft.token}/details/")
    assert_plain_error_page(response, 503, "Sorry, the service is unavailable")
    assert response["Retry-After"] == "30"
    # Styled: the page is the site's layout, not the bare fallback.
    assert "css/app.css" in response.content.decode()


def test_database_outage_when_starting_gives_the_503_page(client, database_down):
    database_down()
    response = client.post("/start/")
    assert_plain_error_page(response, 503, "Sorry, the service is unavailable")


def test_database_outage_for_a_signed_in_reviewer_gives_the_503_page(client, database_down):
    sign_in(client, reviewer())
    database_down()
    # The session itself cannot be read: the failure is in middleware, before the view.
    response = client.get("/review/")
    assert_plain_error_page(response, 503, "Sorry, the service is unavailable")


def test_healthz_answers_503_when_the_database_is_unreachable(client, database_down):
    database_down()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_database_outage_while_answering_keeps_the_answers_already_saved(client, monkeypatch):
    answers = answers_for("prohibited")
    first_id, first_value = next(iter(answers.items()))
    draft = make_draft()
    response = client.post(f"/a/{draft.token}/q/{first_id}/", {"answer": first_value})
    assert response.status_code == 302
    before = Draft.objects.get(pk=draft.pk).answers
    assert first_id in before

    with monkeypatch.context() as outage:
        refuse_queries(outage, "server closed the connection unexpectedly")
        response = client.post(f"/a/{draft.token}/q/{first_id}/", {"answer": first_value})
        assert_plain_error_page(response, 503, "Sorry, the service is unavailable")

    # The database is back: the answer saved before the outage is there, the link still works.
    assert Draft.objects.get(pk=draft.pk).answers == before
    assert client.get(f"/a/{draft.token}/").status_code == 302


def test_failed_pdf_render_gives_the_error_page_and_keeps_the_record(client, monkeypatch):
    record = make_record(kind="review")

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("assessment.pdf.render.html_to_pdf", broken)
    response = client.get(f"/a/{record.token}/summary.pdf")
    assert_plain_error_page(response, 500, "Sorry, there is a problem with the service")
    stored = Record.objects.get(pk=record.pk)
    assert stored.integrity_problems() == []
    assert stored.sha256 == record.sha256
    # The record's page still works: the failure was the PDF's alone.
    assert client.get(f"/a/{record.token}/result/").status_code == 200


def test_failed_pdf_render_for_a_reviewer_gives_the_error_page(client, monkeypatch):
    record = make_record(kind="permitted")
    sign_in(client, reviewer())

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("assessment.pdf.render.html_to_pdf", broken)
    response = client.get(f"/review/records/{record.reference}/summary.pdf")
    assert_plain_error_page(response, 500, "Sorry, there is a problem with the service")
    assert Record.objects.get(pk=record.pk).integrity_problems() == []


def test_unknown_page_is_the_styled_404(client):
    response = client.get("/no/such/page/")
    assert_plain_error_page(response, 404, "Page not found")
    assert "css/app.css" in response.content.decode()


def test_signed_in_user_without_the_review_permission_gets_the_styled_403(client):
    sign_in(client, reviewer(with_permission=False))
    response = client.get("/review/")
    assert_plain_error_page(response, 403, "You do not have access to this page")


def test_request_for_an_unknown_host_gets_the_styled_400(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_plain_error_page(response, 400, "Sorry, there is a problem with your request")


def test_unexpected_exception_gets_the_styled_500_without_debug_details(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("assessment.views.public.load", broken)
    response = client.get("/")
    assert_plain_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "secret internals" not in response.content.decode()
