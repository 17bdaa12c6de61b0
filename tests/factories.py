"""Test data made through the real services, so tests exercise what production does."""

from __future__ import annotations

import uuid
from functools import cache

from assessment import engine
from assessment.models import Draft, Record
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.services import drafts, submission

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
    for evaluation in engine.enumerate_paths(load(version)):
        if evaluation.result is not None and evaluation.result.kind == kind:
            return dict(evaluation.answers)
    raise LookupError(f"No path of {version} ends in {kind}")


def make_draft(
    *, answers: dict | None = None, details: dict | None = None, address: str | None = None
) -> Draft:
    # A fresh address per draft, so factories never trip the drafts-per-hour limit.
    draft = drafts.start_draft(client_address=address or f"test-{uuid.uuid4()}")
    draft = drafts.save_details(token=draft.token, details={**DETAILS, **(details or {})})
    if answers:
        draft.answers = dict(answers)
        draft.save(update_fields=["answers"])
    return draft


def make_record(
    *, kind: str = "review", answers: dict | None = None, details: dict | None = None
) -> Record:
    draft = make_draft(answers=answers or answers_for(kind), details=details)
    return submission.submit(draft=draft)
