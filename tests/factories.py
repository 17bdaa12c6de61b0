"""Test data made through the real services, so tests exercise what production does."""

from __future__ import annotations

import importlib
import json
import uuid
from functools import cache
from pathlib import Path

from django.apps import apps as django_apps
from django.utils import timezone

from assessment import engine
from assessment.models import Draft, Record, ReferenceCounter
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.services import drafts, submission
from tests.engine.v2_support import closed

DETAILS = {
    "respondent_name": "Ada Lovelace",
    "respondent_email": "ada@example.com",
    "organisation": "Analytical Engines Ltd",
    "project_name": "Ticket sentiment",
    "project_description": "Classify support tickets by sentiment.",
}


@cache
def answers_for(kind: str, version: str = CURRENT_VERSION) -> dict:
    """The answers of the first complete path of `version` whose result is `kind`."""
    for evaluation in engine.enumerate_paths(load(version), combinations=False):
        if evaluation.result is not None and evaluation.result.kind == kind:
            return dict(evaluation.answers)
    raise LookupError(f"No path of {version} ends in {kind}")


def make_draft(
    *,
    answers: dict | None = None,
    details: dict | None = None,
    address: str | None = None,
    version: str = CURRENT_VERSION,
) -> Draft:
    # A fresh address per draft, so factories never trip the drafts-per-hour limit.
    draft = drafts.start_draft(client_address=address or f"test-{uuid.uuid4()}", version=version)
    draft = drafts.save_details(token=draft.token, details={**DETAILS, **(details or {})})
    if answers:
        draft.answers = dict(answers)
        draft.save(update_fields=["answers"])
    return draft


def make_record(
    *,
    kind: str = "review",
    answers: dict | None = None,
    details: dict | None = None,
    version: str = CURRENT_VERSION,
) -> Record:
    # A plan's answers (tests/engine/v2_support.py) say everything but v4's closing questions,
    # which a respondent with nothing more to declare answers "None of these".
    chosen = closed(load(version), answers) if answers else answers_for(kind, version)
    draft = make_draft(answers=chosen, details=details, version=version)
    return submission.submit(draft=draft)


def reloaded(record: Record) -> Record:
    """`record` as stored now, read afresh into a new instance (nothing cached on it)."""
    return Record.objects.get(pk=record.pk)


def chain_existing_events() -> None:
    """What the upgrade to keyed seals does (migration 0012): chain the events written before
    the chain existed. Records inserted "as an earlier release wrote them" then stand as they
    would in an upgraded database: a legacy (unkeyed) seal, their events in the chain."""
    migration = importlib.import_module("assessment.migrations.0012_integrity")
    migration.chain_existing_events(django_apps, None)


def stored_v1_records() -> list[dict]:
    """Records submitted under v1 by the code before v2 existed: payload, hash and answers, as
    that code stored them (tests/fixtures/v1_records.json)."""
    return json.loads((Path(__file__).parent / "fixtures" / "v1_records.json").read_text())


def insert_stored_record(stored: dict, *, chained: bool = True) -> Record:
    """A record row exactly as an earlier release wrote it, without going through today's code;
    then, unless `chained` is False, upgraded as migration 0012 does (its events chained)."""
    payload = stored["payload"]
    respondent = payload["respondent"]
    draft = Draft.objects.create(
        questionnaire_version=payload["questionnaire_version"],
        answers=stored["answers"],
        respondent_name=respondent["name"],
        respondent_email=respondent["email"],
        organisation=respondent["organisation"],
        project_name=respondent["project_name"],
        project_description=respondent["project_description"],
        submitted_at=timezone.now(),
    )
    result = payload["result"]
    record = Record.objects.create(
        draft=draft,
        reference=payload["reference"],
        token=draft.token,
        questionnaire_version=payload["questionnaire_version"],
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        respondent_name=respondent["name"],
        respondent_email=respondent["email"],
        organisation=respondent["organisation"],
        project_name=respondent["project_name"],
        project_description=respondent["project_description"],
        outcome=result["outcome"],
        outcome_ids="".join(f";{o['id']}" for o in result["outcomes"]) + ";",
        categories=result["categories"],
        answers=stored["answers"],
        payload=payload,
        sha256=stored["sha256"],
    )
    submission.submitted_event(record).save()
    if chained:
        chain_existing_events()
    # Later submissions must not take the same reference.
    _, year, number = record.reference.split("-")
    counter, _ = ReferenceCounter.objects.get_or_create(year=int(year))
    counter.last = max(counter.last, int(number))
    counter.save(update_fields=["last"])
    return record
