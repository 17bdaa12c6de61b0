"""Helpers for the integrity tests: a small honest world, an insider's raw SQL, the command."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from assessment.models import ChainEntry, Event, Record
from assessment.services import review
from tests.factories import make_record
from tests.web import conftest as web_fixtures

# The reviewer fixtures of the web tests, so a sign-in requirement is added in one place.
rita = web_fixtures.rita
signed_in = web_fixtures.signed_in


def sql(query: str, params: list[Any] | None = None) -> None:
    """What an insider with database access does: plain SQL, no model code, no signals."""
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])


def json_param() -> str:
    """A JSON column's parameter placeholder on this database."""
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def set_payload(record_id: int, payload: dict, **columns: Any) -> None:
    """Overwrite a record row's payload (and any other columns) in SQL."""
    assignments = [f"payload = {json_param()}"] + [f"{name} = %s" for name in columns]
    sql(
        f"UPDATE assessment_record SET {', '.join(assignments)} WHERE id = %s",  # noqa: S608
        [json.dumps(payload), *columns.values(), record_id],
    )


@dataclass
class Verified:
    ok: bool
    output: str  # everything the command printed, and its error


def verify(*args: str) -> Verified:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out, stderr=err)
    except CommandError as error:
        return Verified(False, f"{out.getvalue()}{err.getvalue()}{error}")
    return Verified(True, out.getvalue() + err.getvalue())


def first_failure(result: Verified) -> str:
    """The line naming the first broken entry (the command's error message)."""
    assert not result.ok, result.output
    return result.output.rsplit("Integrity check FAILED at ", 1)[1]


def record_page(client, record: Record) -> str:
    response = client.get(reverse("review:record", args=[record.reference]))
    assert response.status_code == 200
    return response.content.decode()


@dataclass
class World:
    """Three records with trails: `busy` was assigned and has two notes."""

    busy: Record
    plain: Record
    other: Record

    def events(self, record: Record) -> list[Event]:
        return list(Event.objects.filter(record=record).order_by("pk"))

    def entry(self, event: Event) -> ChainEntry:
        return ChainEntry.objects.get(event=event)


@pytest.fixture
def world(rita) -> World:
    busy = make_record(kind="review")
    plain = make_record(kind="permitted")
    review.assign_to_me(record=busy, user=rita, expected_revision=0)
    review.add_note(record=busy, user=rita, note="Asked the team lead.", audience="internal")
    other = make_record(kind="prohibited")
    review.add_note(
        record=busy, user=rita, note="Lead confirms: scoring only.", audience="internal"
    )
    review.add_note(record=other, user=rita, note="Clear case.", audience="internal")
    return World(
        busy=Record.objects.get(pk=busy.pk),
        plain=Record.objects.get(pk=plain.pk),
        other=Record.objects.get(pk=other.pk),
    )
