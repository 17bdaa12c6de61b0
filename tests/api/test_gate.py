"""GET /api/v1/assessments/{reference}: the gate a training job calls before it starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from assessment.api import documents, serializers
from assessment.models import ApiToken, Record
from assessment.services import review, tokens
from tests.api.conftest import bearer
from tests.factories import make_record, reloaded
from tests.review_support import make_approver

pytestmark = pytest.mark.django_db


def gate(api, reference: str, secret: str):
    return api.get(f"/api/v1/assessments/{reference}", **bearer(secret))


def test_an_undecided_permitted_assessment_is_not_cleared(api, submit, own_token):
    created = submit("permitted", own_token)
    body = gate(api, created["reference"], own_token).json()
    assert body["automatic_outcome"] == "permitted"
    assert body["effective_outcome"] == "permitted"
    assert body["status"] == "new"
    assert body["decided"] is False and body["final"] is False
    assert body["decision"] is None
    assert body["cleared"] is False


def test_a_confirmed_permitted_assessment_is_cleared(api, submit, own_token, reviewer):
    created = submit("permitted", own_token)
    record = Record.objects.get(reference=created["reference"])
    review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    body = gate(api, created["reference"], own_token).json()
    assert body["status"] == "decided"
    assert body["decided"] is True and body["final"] is True
    assert body["decision"]["outcome"] == "permitted"
    assert body["cleared"] is True


def test_an_override_to_prohibited_is_not_cleared(api, submit, own_token, reviewer):
    created = submit("permitted", own_token)
    record = Record.objects.get(reference=created["reference"])
    review.override(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        outcome="prohibited",
        justification="Distillation after all.",
    )
    # Overriding a definite automatic result needs a second reviewer (four eyes).
    assert gate(api, created["reference"], own_token).json()["cleared"] is False
    record.refresh_from_db()
    review.approve(record=record, user=make_approver(), expected_revision=record.revision)
    body = gate(api, created["reference"], own_token).json()
    assert body["automatic_outcome"] == "permitted"
    assert body["effective_outcome"] == "prohibited"
    assert body["final"] is True
    assert body["cleared"] is False


def test_a_tampered_record_is_not_cleared_and_says_why(api, submit, own_token, reviewer):
    created = submit("permitted", own_token)
    record = Record.objects.get(reference=created["reference"])
    review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    payload = {**record.payload, "respondent": {**record.payload["respondent"], "name": "Eve"}}
    Record.objects.filter(pk=record.pk).update(payload=payload)
    body = gate(api, created["reference"], own_token).json()
    assert body["integrity"]["intact"] is False
    assert body["integrity"]["problems"]
    assert body["cleared"] is False


def test_the_gate_reports_the_seal_and_version(api, submit, own_token):
    created = submit("review", own_token)
    body = gate(api, created["reference"], own_token).json()
    record = Record.objects.get(reference=created["reference"])
    assert body["sha256"] == record.sha256
    assert body["seal"] == {"kind": "hmac-sha256", "key_id": "test", "value": record.seal}
    assert body["questionnaire_version"] == record.questionnaire_version
    assert body["integrity"] == {"intact": True, "problems": []}


def test_an_unknown_reference_and_someone_elses_answer_the_same_404(api, own_token, make_token):
    other = make_record(kind="permitted")  # submitted in a browser: nobody's API record
    unknown = gate(api, "AS-2099-99999", own_token)
    hidden = gate(api, other.reference, own_token)
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.content == hidden.content


def test_a_read_own_token_never_sees_another_users_record(
    api, submit, own_token, make_token, django_user_model
):
    mallory = django_user_model.objects.create_user("mallory", password="x" * 20)
    theirs = submit("permitted", make_token(mallory))
    response = gate(api, theirs["reference"], own_token)
    assert response.status_code == 404
    assert theirs["reference"] not in response.content.decode()


def test_a_read_all_token_sees_every_record(api, all_token):
    record = make_record(kind="prohibited")
    body = gate(api, record.reference, all_token).json()
    assert body["reference"] == record.reference
    assert body["links"]["events"].endswith(f"/api/v1/assessments/{record.reference}/events")


def test_a_read_all_token_of_someone_no_longer_a_reviewer_reads_only_their_own(
    api, reviewer, all_token
):
    record = make_record(kind="prohibited")
    reviewer.user_permissions.clear()
    reviewer.groups.clear()
    assert gate(api, record.reference, all_token).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer ast_not-a-real-token"},
        {"HTTP_AUTHORIZATION": "Token something"},
        {"HTTP_AUTHORIZATION": "Bearer "},
    ],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
def test_a_missing_or_bad_token_is_401(api, header):
    record = make_record(kind="permitted")
    response = api.get(f"/api/v1/assessments/{record.reference}", **header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert record.reference not in response.content.decode()


def test_a_revoked_token_is_401(api, submit, pipeline_user, own_token):
    created = submit("permitted", own_token)
    token = ApiToken.objects.get(user=pipeline_user)
    tokens.revoke_token(user=pipeline_user, token_id=token.pk)
    assert gate(api, created["reference"], own_token).status_code == 401


def test_an_expired_token_is_401(api, submit, pipeline_user, own_token):
    created = submit("permitted", own_token)
    ApiToken.objects.filter(user=pipeline_user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert gate(api, created["reference"], own_token).status_code == 401


def test_a_deactivated_users_token_is_401(api, submit, pipeline_user, own_token):
    created = submit("permitted", own_token)
    pipeline_user.is_active = False
    pipeline_user.save()
    assert gate(api, created["reference"], own_token).status_code == 401


def test_using_a_token_records_when_it_was_last_used(api, submit, pipeline_user, own_token):
    created = submit("permitted", own_token)
    ApiToken.objects.filter(user=pipeline_user).update(last_used_at=None)
    gate(api, created["reference"], own_token)
    assert ApiToken.objects.get(user=pipeline_user).last_used_at is not None


def _gate_queries(api, reference: str, secret: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = gate(api, reference, secret)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_gate_is_three_reads_and_no_write(api, submit, own_token, reviewer):
    # The token with its user, the record, and the record's seal and chain check (one query).
    created = submit("permitted", own_token)  # uses the token: its last use is now
    record = Record.objects.get(reference=created["reference"])
    review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    queries = _gate_queries(api, created["reference"], own_token)
    assert len(queries) == 3, queries
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in queries), queries
    # Constant: a longer trail is still one chain query.
    for n in range(3):
        review.add_note(record=record, user=reviewer, note=f"Note {n}", audience="internal")
    assert len(_gate_queries(api, created["reference"], own_token)) == 3


def test_a_read_all_gate_adds_only_the_reviewer_and_ownership_checks(api, all_token):
    record = make_record(kind="permitted")
    api.get(f"/api/v1/assessments/{record.reference}", **bearer(all_token))  # last use: now
    # Three, plus the reviewer's permissions (user's, group's) and whether they own the record.
    assert len(_gate_queries(api, record.reference, all_token)) == 6


def test_the_last_use_is_written_at_most_once_a_minute(api, submit, pipeline_user, own_token):
    created = submit("permitted", own_token)
    stale = timezone.now() - tokens.LAST_USED_PRECISION - timedelta(seconds=1)
    ApiToken.objects.filter(user=pipeline_user).update(last_used_at=stale)
    queries = _gate_queries(api, created["reference"], own_token)
    assert sum(sql.startswith("UPDATE") for sql in queries) == 1
    written = ApiToken.objects.get(user=pipeline_user).last_used_at
    assert written > stale
    queries = _gate_queries(api, created["reference"], own_token)
    assert not any(sql.startswith("UPDATE") for sql in queries)
    assert ApiToken.objects.get(user=pipeline_user).last_used_at == written


@pytest.mark.parametrize("decided", [False, True])
def test_the_shared_serializer_answers_as_a_fresh_one(api, submit, own_token, reviewer, decided):
    created = submit("permitted", own_token)
    record = Record.objects.get(reference=created["reference"])
    if decided:
        review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    request = Request(APIRequestFactory().get("/"))
    document = documents.assessment_document(request, reloaded(record), reads_all=False, owns=True)
    fresh = serializers.AssessmentSerializer(document).data
    assert serializers.represent(serializers.AssessmentSerializer, document) == fresh
    assert (fresh["decision"] is None) is not decided


@pytest.mark.parametrize("name", ["api:assessment", "review:record", "result", "respondent_pdf"])
@pytest.mark.parametrize("arg", ["AS-2026-00042", "Kx9_-tok3n", "a b", "é?#%", "a/b", ""])
def test_a_route_reversed_once_gives_what_reverse_gives(name, arg):
    try:
        expected = reverse(name, args=[arg])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            documents.route_path(name, arg)
        return
    assert documents.route_path(name, arg) == expected
    set_script_prefix("/under/")
    try:
        assert documents.route_path(name, arg) == reverse(name, args=[arg])
        assert documents.route_path(name, arg).startswith("/under/")
    finally:
        set_script_prefix("/")
