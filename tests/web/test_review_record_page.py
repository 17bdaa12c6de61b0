"""The record page: the record as submitted, its integrity, its trail, and the action forms."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment.models import EventAction, Record, Status
from assessment.services import review
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db


def _page(client, record: Record) -> str:
    response = client.get(reverse("review:record", args=[record.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _act(client, record: Record, action: str, revision: int, **fields):
    data = {"action": action, f"{action}-revision": revision}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(reverse("review:action", args=[record.reference]), data)


def test_the_page_shows_the_answers_in_path_order_with_the_questions_as_asked(signed_in, record):
    body = _page(signed_in, record)
    positions = [body.index(escape(a["question"])) for a in record.payload["answers"]]
    assert positions == sorted(positions)
    for clause in record.payload["result"]["clauses"]:
        assert f"<dt>{clause}</dt>" in body
    assert "Intact: the stored hash matches the record" in body
    assert record.sha256 in body


def test_a_tampered_record_shows_a_loud_warning(signed_in, record):
    payload = dict(record.payload, respondent={**record.payload["respondent"], "name": "Mallory"})
    Record.objects.filter(pk=record.pk).update(payload=payload)
    body = _page(signed_in, record)
    assert "this record may have been tampered with" in body
    assert 'class="tamper-warning' in body
    assert "The stored hash does not match" in body


def test_assigning_through_the_page_redirects_with_a_confirmation(signed_in, record, rita):
    response = _act(signed_in, record, "assign", 0)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.assigned_to == rita
    body = signed_in.get(response["Location"]).content.decode()
    assert "The record is assigned to you." in body


def test_an_override_without_justification_shows_the_error_and_changes_nothing(signed_in, record):
    response = _act(signed_in, record, "override", 0, outcome="permitted", justification="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert 'href="#id_override-justification"' in body
    assert "Enter a justification for the override" in body
    record.refresh_from_db()
    assert (record.status, record.revision) == (Status.NEW, 0)


def test_an_override_with_justification_is_recorded_in_the_trail(signed_in, record):
    _act(signed_in, record, "override", 0, outcome="prohibited", justification="A chatbot.")
    record.refresh_from_db()
    assert record.decided_outcome == "prohibited"
    body = _page(signed_in, record)
    assert "Overrode the automatic result" in body
    assert "A chatbot." in body


def test_a_stale_form_is_refused_with_the_conflict_message(signed_in, record, rita):
    review.assign_to_me(record=record, user=make_reviewer("sam"), expected_revision=0)
    response = _act(signed_in, record, "confirm", 0, note="")
    assert response.status_code == 302
    body = signed_in.get(response["Location"]).content.decode()
    assert "Someone else updated this record; review the latest state" in body
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert not record.events.filter(action=EventAction.CONFIRMED).exists()


def test_a_closed_record_offers_no_actions_and_refuses_them(signed_in, record, rita):
    review.close(record=record, user=rita, expected_revision=0)
    assert "no further action can be taken" in _page(signed_in, record)
    response = _act(signed_in, record, "confirm", 1, note="")
    body = signed_in.get(response["Location"]).content.decode()
    assert "This record is closed" in body


def test_an_unknown_action_is_a_bad_request(signed_in, record):
    assert _act(signed_in, record, "delete", 0).status_code == 400


def test_the_page_links_to_the_pdf_summary(signed_in, record):
    pdf_url = reverse("review_pdf", args=[record.reference])
    assert f'href="{pdf_url}"' in _page(signed_in, record)


def test_the_record_page_forms_carry_the_current_revision(signed_in, record, rita):
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    body = _page(signed_in, record)
    assert 'name="confirm-revision" value="1"' in body
    assert 'name="assign-revision"' not in body  # already assigned to me
