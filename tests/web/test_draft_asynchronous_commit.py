"""On PostgreSQL a draft's answer, written as its own transaction, does not wait for the WAL
to reach the disk (synchronous_commit off for that transaction only); inside a caller's
transaction it is written as everything else is (issue 15)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessment.models import Draft
from assessment.services import drafts
from tests.factories import make_draft
from tests.respondent_steps import post_value, steps_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ASYNCHRONOUS = "set_config('synchronous_commit', 'off', true)"


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        (value,) = cursor.fetchone()
    return value


def answer_first_question(draft: Draft) -> tuple[str, list[str]]:
    """Answer the first question; the question id and the UPDATE statements sent."""
    first = steps_for("permitted")[0]
    with CaptureQueriesContext(connection) as queries:
        drafts.answer_question(
            token=draft.token, question_id=first.question.id, raw=post_value(first)["answer"]
        )
    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    return first.question.id, updates


def stored_answers(draft: Draft) -> dict:
    return Draft.objects.values_list("answers", flat=True).get(pk=draft.pk)


def test_an_answer_on_its_own_commits_asynchronously_and_the_setting_ends_with_it():
    draft = make_draft()
    assert synchronous_commit() == "on"
    question_id, updates = answer_first_question(draft)
    assert len(updates) == 1
    assert ASYNCHRONOUS in updates[0]
    assert synchronous_commit() == "on"  # on the same connection, after the statement
    assert question_id in stored_answers(draft)


def test_inside_a_transaction_the_answer_is_written_synchronously():
    draft = make_draft()
    with transaction.atomic():
        question_id, updates = answer_first_question(draft)
        assert synchronous_commit() == "on"  # the caller's transaction stays synchronous
    assert len(updates) == 1
    assert ASYNCHRONOUS not in updates[0]
    assert question_id in stored_answers(draft)


def test_the_asynchronous_statement_turns_it_off_for_its_own_transaction_only():
    """set_config in the WHERE clause is evaluated when the row is written, not planned away."""
    draft = make_draft()
    first = steps_for("permitted")[0]
    answers = {first.question.id: post_value(first)["answer"]}
    with transaction.atomic():  # to look inside the statement's transaction
        sql = drafts._update_if_unchanged_sql(connection.vendor, ("answers",), True)
        field = Draft._meta.get_field
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    field("answers").get_db_prep_save(answers, connection),
                    field("updated_at").get_db_prep_save(draft.updated_at, connection),
                    draft.pk,
                    field("updated_at").get_db_prep_value(draft.updated_at, connection),
                ],
            )
            assert cursor.rowcount == 1
        assert synchronous_commit() == "off"
    assert synchronous_commit() == "on"
    assert stored_answers(draft) == answers
