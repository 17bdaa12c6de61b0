"""POST /api/v1/assessments: a complete answer set becomes the same record as in a browser."""

from __future__ import annotations

import pytest
from django.test import override_settings

from assessment import engine
from assessment.canonical import payload_sha256
from assessment.models import ApiSubmission, Draft, Event, Record
from assessment.questionnaire import load
from tests.api.conftest import bearer, submission_body
from tests.factories import answers_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


def post(api, body, **headers):
    return api.post(URL, body, format="json", **headers)


def test_a_complete_answer_set_is_stored_as_an_immutable_hashed_record(api):
    response = post(api, submission_body("prohibited"))
    assert response.status_code == 201
    body = response.json()
    record = Record.objects.get(reference=body["reference"])
    assert response["Location"].endswith(f"/api/v1/assessments/{record.reference}")
    assert body["outcome"] == record.outcome == "prohibited"
    assert body["sha256"] == record.sha256 == payload_sha256(record.payload)
    assert body["findings"] and all(f["clauses"] for f in body["findings"])
    assert body["findings"][0]["clauses"][0]["paraphrase"]
    assert body["private_link"].endswith(f"/a/{record.token}/result/")
    assert body["pdf_url"].endswith(f"/a/{record.token}/summary.pdf")
    assert Event.objects.filter(record=record, action="submitted").count() == 1
    assert record.answers == answers_for("prohibited")


def test_the_private_link_and_pdf_url_work(api, client):
    body = post(api, submission_body("review")).json()
    assert client.get(body["private_link"]).status_code == 200
    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_submission_with_a_token_is_readable_with_read_own(api, own_token, pipeline_user):
    body = post(api, submission_body("permitted"), **bearer(own_token)).json()
    assert ApiSubmission.objects.get(record__reference=body["reference"]).user == pipeline_user
    gate = api.get(f"{URL}/{body['reference']}", **bearer(own_token))
    assert gate.status_code == 200


def test_a_partial_answer_set_is_400_naming_the_next_question(api):
    answers = answers_for("permitted")
    first, second = list(answers)[:2]
    response = post(api, submission_body(answers={first: answers[first]}))
    assert response.status_code == 400
    body = response.json()
    assert body["next_question"]["id"] == second
    assert list(body["answers"]) == [second]
    with pytest.raises(engine.AnswerError) as missing:  # what the browser says for it
        engine.normalize(load().questions[second], None)
    assert body["answers"][second] == [missing.value.message]
    assert not Record.objects.exists() and not Draft.objects.exists()


def test_an_empty_answer_set_names_the_first_question(api):
    body = post(api, submission_body(answers={})).json()
    assert body["next_question"]["id"] == "training_use"
    assert body["answers"] == {"training_use": ["Select an option"]}


def test_an_invalid_option_gets_the_browsers_message(api):
    answers = {**answers_for("permitted"), "training_use": "perhaps"}
    response = post(api, submission_body(answers=answers))
    assert response.status_code == 400
    assert response.json()["answers"] == {"training_use": ["Select one of the options shown"]}


def test_an_unknown_question_is_400(api):
    answers = {**answers_for("permitted"), "is_it_fine": "yes"}
    response = post(api, submission_body(answers=answers))
    assert response.status_code == 400
    assert response.json()["answers"] == {"is_it_fine": ["Unknown question 'is_it_fine'"]}


def test_a_forged_answer_off_the_path_is_400(api):
    # A "permitted" path plus an answer to a question that path never asks: never silently
    # dropped, since the client may believe it was taken into account.
    permitted = answers_for("permitted")
    prohibited = answers_for("prohibited")
    extra = next(qid for qid in prohibited if qid not in permitted)
    response = post(api, submission_body(answers={**permitted, extra: prohibited[extra]}))
    assert response.status_code == 400
    assert response.json()["answers"] == {extra: ["This question is not part of your assessment"]}
    assert not Record.objects.exists()


def test_a_wrong_type_of_answer_is_400(api):
    answers = {**answers_for("permitted"), "training_use": ["yes", "no"]}
    response = post(api, submission_body(answers=answers))
    assert response.status_code == 400
    assert "training_use" in response.json()["answers"]


def test_a_facts_answer_missing_a_statement_is_400_with_the_pages_message(api):
    answers = dict(answers_for("permitted"))  # a copy: the factory's answers are shared
    facts = next(qid for qid in answers if load().questions[qid].kind == "facts")
    answers[facts] = answers[facts][1:]  # the first statement left out: never taken as "No"
    response = post(api, submission_body(answers=answers))
    assert response.status_code == 400
    assert response.json()["answers"] == {facts: [engine.FACTS_UNANSWERED]}
    assert not Record.objects.exists()


def test_details_are_checked_by_the_browsers_form_with_its_messages(api):
    details = {
        "respondent_name": "",
        "respondent_email": "not-an-email",
        "project_name": "x" * 201,
    }
    response = post(api, submission_body(details=details))
    assert response.status_code == 400
    assert response.json()["details"] == {
        "respondent_name": ["Enter your full name"],
        "respondent_email": ["Enter an email address in the correct format, like name@example.com"],
        "project_name": ["Name of the project or model must be 200 characters or fewer"],
    }


def test_non_text_details_are_400_not_500(api):
    details = {"respondent_name": 42, "respondent_email": ["a"], "project_name": {"x": 1}}
    response = post(api, submission_body(details=details))
    assert response.status_code == 400
    assert set(response.json()["details"]) == {
        "respondent_name",
        "respondent_email",
        "project_name",
    }


@pytest.mark.parametrize(
    "body",
    [[], "text", {"details": "x", "answers": []}, {"answers": {}}, {"version": "v99"}],
    ids=["list", "string", "wrong-types", "no-details", "unknown-version"],
)
def test_malformed_bodies_are_400_with_reasons(api, body):
    response = post(api, body)
    assert response.status_code == 400
    assert response.json()


def test_a_body_that_is_not_json_is_400(api):
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@override_settings(ASSESSMENT_DRAFTS_PER_HOUR=2)
def test_submissions_share_the_drafts_per_hour_limit(api):
    assert post(api, submission_body()).status_code == 201
    assert post(api, submission_body()).status_code == 201
    response = post(api, submission_body())
    assert response.status_code == 429
    assert "Too many" in response.json()["detail"]
    assert Record.objects.count() == 2


def test_a_bad_token_on_a_submission_is_401_and_stores_nothing(api):
    response = post(api, submission_body(), HTTP_AUTHORIZATION="Bearer ast_wrong")
    assert response.status_code == 401
    assert not Record.objects.exists()
