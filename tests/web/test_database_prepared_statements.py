"""What PostgreSQL is spared on every respondent request (issue 15): the statements each
request runs are prepared once per connection, the result page's two reads share one round
trip, and a draft's answer is written in place (heap-only), without touching any index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from psycopg import pq

from assessment import access, compiled
from assessment.models import Draft, Record
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


def test_the_result_page_reads_the_record_and_its_conversation_in_one_pipeline(client):
    record = make_record(kind="review")
    review.request_information(
        record=record, user=make_reviewer(), expected_revision=0, message="Which dataset?"
    )
    seen: list[tuple[str, pq.PipelineStatus]] = []

    def in_pipeline(execute, sql, params, many, context):
        seen.append(
            (sql.split(" FROM ")[1].split()[0], connection.connection.pgconn.pipeline_status)
        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(in_pipeline):
        page = client.get(reverse("result", args=[record.token])).content.decode()
    assert seen == [
        ('"assessment_record"', pq.PipelineStatus.ON),
        ('"assessment_event"', pq.PipelineStatus.ON),
    ]
    assert connection.connection.pgconn.pipeline_status == pq.PipelineStatus.OFF
    assert "Which dataset?" in page


def test_one_round_trip_finds_no_record_for_an_unknown_link_whatever_the_conversation_finds():
    make_record(kind="review")
    with pytest.raises(Http404):
        respondent.result_page_for_respondent("x" * 43)
    # The connection is usable afterwards: out of pipeline mode, no transaction left open.
    assert Record.objects.count() == 1
    assert connection.connection.pgconn.pipeline_status == pq.PipelineStatus.OFF


def test_the_pipeline_s_errors_come_out_as_django_s():
    from django.db import DatabaseError

    lookup = access._BY_TOKEN[Record, False]
    broken = compiled.Lookup(
        lambda: Record.objects.filter(token="").extra(where=["1/0 = 1"]).order_by(),
        [""],
        Record,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        lookup.one_with_all([""], broken, [""])


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
