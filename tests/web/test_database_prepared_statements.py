"""What PostgreSQL is spared on every respondent request (issue 15): the statements each
request runs are prepared once per connection (the result page's one statement among them),
and a draft's answer is written in place (heap-only), without touching any index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.http import Http404

from assessment import access, compiled
from assessment.models import Draft
from assessment.selectors import respondent
from assessment.services import drafts, review
from tests.factories import make_draft, make_record
from tests.respondent_steps import post_value, steps_for
from tests.review_support import make_reviewer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def draft_statement() -> str:
    return access._BY_TOKEN[Draft, False]._statement().sql


def test_the_draft_s_statement_is_prepared_and_still_finds_each_draft():
    first, second = make_draft(), make_draft()
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 1):
        assert access.draft_for_respondent(first.token).pk == first.pk
    assert any('FROM "assessment_draft"' in s for s in prepared_statements())
    # The prepared statement binds each call's token: another draft, and no draft at all.
    assert access.draft_for_respondent(second.token).pk == second.pk
    with pytest.raises(Http404):
        access.draft_for_respondent("not-a-token")


def test_the_orm_s_own_queries_are_not_prepared():
    draft = make_draft()
    before = prepared_statements()
    for _ in range(10):
        assert Draft.objects.filter(token=draft.token).get().pk == draft.pk
    assert prepared_statements() == before


def test_without_prepared_statements_the_cursor_is_django_s_own(monkeypatch):
    draft = make_draft()
    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items()}
    options.pop("prepare_threshold")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    before = prepared_statements()
    for _ in range(10):
        assert access.draft_for_respondent(draft.token).pk == draft.pk
    assert prepared_statements() == before


def test_the_environment_turns_prepared_statements_off():
    """For a pooler that cannot carry them (PgBouncer in transaction mode before 1.21)."""
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"
    )
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    on = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    off = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT, env={**env, "DATABASE_PREPARED_STATEMENTS": "0"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert (on.stdout.split()[-1], off.stdout.split()[-1]) == ("5", "None")


def test_the_result_page_s_statement_is_prepared_and_reads_each_record_s_own_case():
    first, second = make_record(kind="review"), make_record(kind="review")
    reviewer = make_reviewer()
    review.request_information(
        record=second, user=reviewer, expected_revision=0, message="Which dataset?"
    )
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 1):
        assert respondent.result_page_for_respondent(first.token).conversation == ()
    assert any('FROM "assessment_record"' in s and "JSONB_AGG" in s for s in prepared_statements())
    # The prepared statement binds each call's token: another record's case, and no record.
    (request,) = respondent.result_page_for_respondent(second.token).conversation
    assert request.text == "Which dataset?" and request.is_request
    with pytest.raises(Http404):
        respondent.result_page_for_respondent("x" * 43)


def test_an_answer_is_a_heap_only_update():
    """No index of the drafts' table holds a column an answer writes, so PostgreSQL updates
    the row in place: counted in this transaction by pg_stat_get_xact_tuples_hot_updated."""
    draft = make_draft()
    first = steps_for("permitted")[0]

    def updates() -> tuple[int, int]:
        table = Draft._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
                "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
                [table, table],
            )
            return cursor.fetchone()

    updated, heap_only = updates()
    drafts.answer_question(
        token=draft.token, question_id=first.question.id, raw=post_value(first)["answer"]
    )
    assert updates() == (updated + 1, heap_only + 1)
    assert first.question.id in Draft.objects.get(pk=draft.pk).answers


@pytest.mark.django_db(transaction=True)  # to close the connection
def test_one_cursor_serves_the_connection_s_prepared_statements_until_the_connection_closes():
    draft = make_draft()
    with compiled.prepared_cursor() as first:
        first.execute("SELECT 1", [])
    with compiled.prepared_cursor() as again:
        again.execute("SELECT %s::int", [2])
        assert again.fetchone() == (2,)
    assert again is first and not first.cursor.closed  # `with` leaves it open
    assert access.draft_for_respondent(draft.token).pk == draft.pk  # through the same cursor
    connection.close()
    with compiled.prepared_cursor() as after_reconnect:
        after_reconnect.execute("SELECT 1", [])
    assert after_reconnect is not first


def test_the_kept_cursor_raises_django_s_errors_and_refuses_a_broken_transaction():
    cursor = compiled.prepared_cursor()
    with pytest.raises(ProgrammingError), transaction.atomic():  # Django's class, not psycopg's
        cursor.execute("SELECT * FROM no_such_table", [])
    taken = make_draft().token
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            Draft.objects.create(token=taken, questionnaire_version="v3")  # a unique token
        with pytest.raises(TransactionManagementError), compiled.prepared_cursor() as cursor:
            cursor.execute("SELECT 1", [])
    with compiled.prepared_cursor() as cursor:  # the connection itself is fine
        cursor.execute("SELECT 1", [])
        assert cursor.fetchall() == [(1,)]


def test_a_logged_statement_goes_through_django_s_own_cursor(django_assert_num_queries):
    draft = make_draft()
    with django_assert_num_queries(1) as captured:
        assert access.draft_for_respondent(draft.token).pk == draft.pk
    assert 'FROM "assessment_draft"' in captured.captured_queries[0]["sql"]
