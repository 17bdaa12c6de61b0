"""The details page: validated on the server, nothing typed is lost, lengths capped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.models import Draft
from assessment.services import drafts
from tests.factories import DETAILS, answers_for, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> Draft:
    return drafts.start_draft(client_address="198.51.100.7")


def details_url(draft: Draft, query: str = "") -> str:
    return reverse("details", args=[draft.token]) + query


def test_valid_details_are_saved_and_lead_to_the_first_question(client, draft):
    response = client.post(details_url(draft), DETAILS)
    draft.refresh_from_db()
    assert draft.respondent_name == "Ada Lovelace"
    assert draft.project_description == DETAILS["project_description"]
    assert response["Location"] == reverse("question", args=[draft.token, "training_use"])


def test_missing_fields_give_an_error_summary_linking_to_each_field(client, draft):
    response = client.post(details_url(draft), {"organisation": "Kept"}, follow=True)
    page = response.content.decode()
    # The errors are shown by a GET after a redirect, so Back never asks to resubmit a form.
    assert response.redirect_chain == [(details_url(draft), 302)]
    assert response.status_code == 200
    assert "<title>Error: Your details" in page
    assert "There is a problem" in page
    for field, message in (
        ("respondent_name", "Enter your full name"),
        ("respondent_email", "Enter your email address"),
        ("project_name", "Enter the name of the project or model"),
    ):
        assert f'<a href="#id_{field}">{message}</a>' in page  # in the summary
        assert f'id="id_{field}-error"' in page  # and next to the field
    assert 'value="Kept"' in page
    draft.refresh_from_db()
    assert draft.organisation == ""


def test_nothing_typed_is_lost_when_one_field_is_wrong(client, draft):
    typed = {
        **DETAILS,
        "respondent_email": "not an email",
        "project_description": "Line one\nLine two",
    }
    page = client.post(details_url(draft), typed, follow=True).content.decode()
    assert "Enter an email address in the correct format" in page
    assert 'value="not an email"' in page
    assert 'value="Ada Lovelace"' in page
    assert ">Line one\nLine two</textarea>" in page


@pytest.mark.parametrize(
    ("field", "cap"),
    [
        ("respondent_name", 200),
        ("organisation", 200),
        ("project_name", 200),
        ("project_description", 2000),
    ],
)
def test_text_lengths_are_capped_at_the_models_sizes(client, draft, field, cap):
    too_long = {**DETAILS, field: "x" * (cap + 1)}
    response = client.post(details_url(draft), too_long, follow=True)
    assert response.status_code == 200
    assert f"must be {cap} characters or fewer" in response.content.decode()
    assert client.post(details_url(draft), {**DETAILS, field: "x" * cap}).status_code == 302


def test_details_are_shown_again_when_the_respondent_comes_back(client):
    draft = make_draft()
    page = client.get(details_url(draft)).content.decode()
    assert 'value="Analytical Engines Ltd"' in page


def test_changing_details_from_check_returns_to_check(client):
    draft = make_draft(answers=answers_for("permitted"))
    response = client.post(details_url(draft, "?return=check"), {**DETAILS, "project_name": "New"})
    assert response["Location"] == reverse("check", args=[draft.token])


def test_details_of_a_submitted_assessment_cannot_be_changed(client):
    draft = make_draft(answers=answers_for("permitted"))
    from assessment.services.submission import submit

    submit(draft=draft)
    response = client.post(details_url(draft), {**DETAILS, "project_name": "Changed"}, follow=True)
    draft.refresh_from_db()
    assert draft.project_name == DETAILS["project_name"]
    assert response.redirect_chain[-1][0] == reverse("result", args=[draft.token])
    assert "already submitted" in response.content.decode()


def test_details_page_shows_the_private_link_and_a_back_link_to_the_start(client, draft):
    page = client.get(details_url(draft)).content.decode()
    assert f'value="http://testserver/a/{draft.token}/"' in page
    assert "readonly" in page
    assert 'class="back-link' in page


def test_refused_details_are_shown_again_until_they_are_corrected(client, draft):
    client.post(details_url(draft, "?return=check"), {**DETAILS, "respondent_email": "nope"})
    again = client.get(details_url(draft, "?return=check")).content.decode()
    assert 'value="nope"' in again and "Enter an email address in the correct format" in again

    client.post(details_url(draft), DETAILS)
    draft.refresh_from_db()
    assert draft.pending is None and draft.respondent_email == DETAILS["respondent_email"]
    shown = client.get(details_url(draft)).content.decode()
    assert "There is a problem" not in shown
    assert f'value="{DETAILS["respondent_email"]}"' in shown
