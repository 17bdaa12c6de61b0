"""Starting a new assessment from a submitted record's answers.

A submitted record is never changed. To correct an answer or declare a written agreement, the
respondent starts a new draft pre-filled with the record's answers, carried over to the current
questionnaire version (`assessment.reassessment.carry_answers`); the record made from it links
to the one it revises (`Record.revises`, set at submission).
"""

from __future__ import annotations

from django.db import transaction

from assessment import engine, reassessment
from assessment.models import Draft, Record
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.services import drafts


@transaction.atomic
def start_revision(*, record: Record, client_address: str | None) -> Draft:
    """A new draft under the current version, pre-filled from `record`.

    With a client address (the respondent asked for it) the drafts-per-hour limit applies and
    may raise `drafts.DraftLimitReached`; a reviewer's invitation passes None.
    """
    if client_address is not None:
        draft = drafts.start_draft(client_address=client_address, version=CURRENT_VERSION)
    else:
        draft = Draft.objects.create(questionnaire_version=CURRENT_VERSION)
    current = load(CURRENT_VERSION)
    carried = reassessment.carry_every_answer(record.answers, current)
    draft.answers = engine.evaluate(current, carried).answers
    # Answers past a question the current version asks first (one the record never answered)
    # are set aside, to be filled in again when the respondent reaches their questions.
    draft.set_aside = {qid: value for qid, value in carried.items() if qid not in draft.answers}
    draft.revises = record
    for field in drafts.DETAIL_FIELDS:
        setattr(draft, field, getattr(record, field))
    draft.save(
        update_fields=["answers", "set_aside", "revises", *drafts.DETAIL_FIELDS, "updated_at"]
    )
    return draft
