"""The queue's search: accents and capitals aside, over the respondent's details and the
answers' free text, the same on SQLite and PostgreSQL (this module runs on both)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from assessment import engine
from assessment.forms.queue import queue_filters
from assessment.models import Record
from assessment.questionnaire import load
from assessment.search import fold, record_search_text
from assessment.selectors.queue import filter_queue
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def _found(user, q: str) -> set[str]:
    records = filter_queue(user=user, filters=queue_filters({"q": q}))
    return set(records.values_list("reference", flat=True))


def test_folding_drops_accents_capitals_and_compatibility_forms():
    assert fold("García ÉCOLE Straße ﬁne İzmir") == "garcia ecole strasse fine izmir"


def test_garcia_finds_garcia_with_its_accent_and_the_other_way_round(rita):
    accented = make_record(details={"respondent_name": "María García"})
    plain = make_record(details={"respondent_name": "Maria Garcia"})
    make_record(details={"respondent_name": "Grace Hopper"})
    both = {accented.reference, plain.reference}
    assert _found(rita, "garcia") == both
    assert _found(rita, "GARCÍA") == both
    assert _found(rita, "maría garcía") == both


def test_the_answers_free_text_is_searched_too(rita):
    with_agreement = next(
        evaluation.answers
        for evaluation in engine.enumerate_paths(load("v2"), combinations=False)
        if "agreement_ref" in evaluation.answers
    )
    answers = {**with_agreement, "agreement_ref": "Accord-cadre n° AC-2026/Ω7"}
    record = make_record(answers=answers)
    make_record(kind="review")
    assert _found(rita, "ac-2026/ω7") == {record.reference}
    assert _found(rita, "ACCORD-CADRE") == {record.reference}


def test_every_word_must_match_and_wildcards_are_text(rita):
    record = make_record(details={"organisation": "Ünïcode 100% Ltd", "project_name": "Tri"})
    make_record(details={"organisation": "Plain Ltd"})
    assert _found(rita, "unicode tri") == {record.reference}
    assert _found(rita, "unicode hopper") == set()
    assert _found(rita, "100%") == {record.reference}
    assert _found(rita, "_") == set()


def test_a_word_never_matches_across_two_fields(rita):
    make_record(details={"respondent_name": "Ada Lovelace", "respondent_email": "x@example.com"})
    assert _found(rita, "lovelacex@") == set()


def test_records_stored_before_the_column_are_filled_by_the_migration(rita):
    record = make_record(details={"respondent_name": "Zoë Núñez"})
    Record.objects.filter(pk=record.pk).update(search_text="")  # as an earlier release left it
    assert _found(rita, "nunez") == set()
    migration = importlib.import_module("assessment.migrations.0013_triage")
    migration.fill_search_text(apps, None)
    assert _found(rita, "nunez") == {record.reference}
    stored = Record.objects.get(pk=record.pk)
    assert stored.search_text == record_search_text(stored.payload)
