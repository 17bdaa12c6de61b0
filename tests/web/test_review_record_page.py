"""The record page: the record as submitted, its integrity, its trail, and the action forms."""

import inspect

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment.models import EventAction, Record, Status
from assessment.services import review
from assessment.views.review.actions import ACTIONS
from tests.factories import make_record
from tests.review_support import make_approver, make_reviewer, sign_in

pytestmark = pytest.mark.django_db


def _page(client, record: Record) -> str:
    response = client.get(reverse("review:record", args=[record.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _act(client, record: Record, action: str, revision: int, confirmed: bool = True, **fields):
    data = {"action": action, f"{action}-revision": revision}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(reverse("review:action", args=[record.reference]), data)


def test_the_page_shows_the_answers_in_path_order_with_the_questions_as_asked(signed_in, record):
    body = _page(signed_in, record)
    positions = [body.index(escape(a["question"])) for a in record.payload["answers"]]
    assert positions == sorted(positions)
    for answer in record.payload["answers"]:
        # The labels as shown, not codes: several (a facts question's statements) one per line.
        labels = answer["answer"]
        if len(labels) == 1:
            assert escape(labels[0]) in body
        for label in labels if len(labels) > 1 else ():
            assert f'<li><span class="answer-value">{escape(label)}</span></li>' in body
    assert escape(record.payload["respondent"]["name"]) in body
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
    response = _act(signed_in, record, "assign", 0, assignee=rita.pk)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.assigned_to == rita
    body = signed_in.get(response["Location"]).content.decode()
    assert "The record is assigned." in body


def test_an_override_without_justification_shows_the_error_and_changes_nothing(signed_in):
    record = make_record(kind="prohibited")
    response = _act(signed_in, record, "override", 0, outcome="permitted", justification="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert 'href="#id_override-justification"' in body
    assert "Enter a justification for the override" in body
    record.refresh_from_db()
    assert (record.status, record.revision) == (Status.NEW, 0)


def test_an_override_is_proposed_and_shown_pending_with_its_justification(signed_in):
    record = make_record(kind="prohibited")
    justification = "It only classifies tickets: the agreement AGR-7 covers it."
    _act(
        signed_in,
        record,
        "override",
        0,
        outcome="permitted",
        justification=justification,
        audience="internal",
    )
    record.refresh_from_db()
    assert (record.status, record.decided_outcome) == (Status.PENDING_APPROVAL, None)
    body = _page(signed_in, record)
    assert "Awaiting approval: Permitted" in body
    assert "Proposed a decision for approval" in body
    assert justification in body
    assert 'data-action="approve"' not in body  # the proposer cannot approve it


def test_an_approver_sees_the_proposal_and_the_answers_and_approves_it(client, rita):
    record = make_record(kind="prohibited")
    review.override(
        record=record,
        user=rita,
        expected_revision=0,
        outcome="permitted",
        justification="The agreement AGR-7 covers this exact use.",
    )
    sign_in(client, make_approver())
    body = _page(client, record)
    assert 'data-proposal="permitted"' in body
    assert "The agreement AGR-7 covers this exact use." in body
    assert escape(record.payload["answers"][0]["question"]) in body
    assert 'data-action="approve"' in body and 'data-action="reject"' in body
    _act(client, record, "approve", 1)
    record.refresh_from_db()
    assert (record.status, record.decided_outcome) == (Status.DECIDED, "permitted")


def test_irreversible_actions_ask_for_confirmation_without_javascript(signed_in, record):
    fields = {"reason": "Withdrawn by phone.", "ending": "withdrawn", "audience": "internal"}
    response = _act(signed_in, record, "close", 0, confirmed=False, **fields)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-confirm="close"' in body
    assert "A closed record cannot be reopened" in body
    assert 'name="close-reason" value="Withdrawn by phone."' in body
    record.refresh_from_db()
    assert record.status == Status.NEW
    _act(signed_in, record, "close", 0, **fields)
    record.refresh_from_db()
    assert (record.status, record.decided_outcome) == (Status.CLOSED, "withdrawn")


def test_a_record_assigned_to_someone_else_offers_take_over_not_decisions(signed_in, record):
    review.assign_to_me(
        record=record, user=make_reviewer("sam", "sam@example.com"), expected_revision=0
    )
    body = _page(signed_in, record)
    assert 'data-action="take_over"' in body
    assert 'data-action="decide"' not in body
    assert "assigned to sam: take it over first" in body


def test_a_stale_form_is_refused_with_the_conflict_message(signed_in, record, rita):
    sam = make_reviewer("sam")
    review.assign(record=record, user=sam, expected_revision=0, assignee=rita)
    response = _act(signed_in, record, "decide", 0, outcome="prohibited")
    assert response.status_code == 302
    body = signed_in.get(response["Location"]).content.decode()
    assert "Someone else updated this record; review the latest state" in body
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert not record.events.filter(action=EventAction.DECIDED).exists()


def test_a_closed_record_offers_no_actions_and_refuses_them(signed_in, record, rita):
    review.close(record=record, user=rita, expected_revision=0, reason="Dup.", ending="withdrawn")
    assert "no further action can be taken" in _page(signed_in, record)
    response = _act(signed_in, record, "decide", 1, outcome="prohibited")
    body = signed_in.get(response["Location"]).content.decode()
    assert "This record is closed" in body


def test_an_unknown_action_is_the_styled_bad_request_page(signed_in, record):
    response = _act(signed_in, record, "delete", 0)
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_the_page_links_to_the_pdf_summary(signed_in, record):
    pdf_url = reverse("review_pdf", args=[record.reference])
    assert f'href="{pdf_url}"' in _page(signed_in, record)


def test_the_record_page_forms_carry_the_current_revision(signed_in, record, rita):
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    body = _page(signed_in, record)
    assert 'name="decide-revision" value="1"' in body
    assert 'name="take_over-revision"' not in body  # already assigned to me


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_form_field_is_a_parameter_of_its_service(name):
    # The registry passes the form's fields to the service by name: a renamed field or
    # parameter would fail here rather than on a reviewer's click.
    spec = ACTIONS[name]
    parameters = set(inspect.signature(spec.service).parameters)
    record = make_record()
    fields = set(spec.form(record=record).fields) - {"revision"}
    if spec.revisioned:
        fields.add("expected_revision")
    assert fields <= parameters, (name, fields - parameters)
    assert {"record", "user"} <= parameters
