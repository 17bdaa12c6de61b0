"""Rolling a new questionnaire version out to stored records: re-reviews and invitations.

Records are never edited: opening a re-review appends an event to each affected record (the
queue filters on it), and inviting a respondent starts a pre-filled draft under the current
version and emails them its private link, also recorded as an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction

from assessment import notifications, reassessment
from assessment.models import Draft, Event, EventAction, Record
from assessment.questionnaire import Questionnaire
from assessment.selectors.rollout import records_by_reference
from assessment.services.review import actor_label
from assessment.services.revisions import start_revision
from assessment.services.trail import append_event


def rereview_note_prefix(version: str) -> str:
    return f"Re-review under questionnaire {version}: "


def invitation_note_prefix(version: str) -> str:
    return f"Invited the respondent to answer again under questionnaire {version}: "


def _why(result: reassessment.Reassessed, target: Questionnaire) -> str:
    if result.status == reassessment.CHANGED:
        return f"it would now be {result.to_outcome} (was {result.from_outcome})."
    question = target.questions[result.needs].text if result.needs else "a new question"
    return f"it needs new answers, starting with “{question}”."


def _affected(target: Questionnaire, references: list[str]) -> list[reassessment.Reassessed]:
    records = records_by_reference(references)
    stored = (
        reassessment.Stored(r.reference, r.questionnaire_version, r.outcome, r.answers or {})
        for r in sorted(records.values(), key=lambda record: record.pk)
    )
    return [r for r in reassessment.reassess_all(stored, target) if r.affected]


def _event(record: Record, user: User, action: str, note: str) -> Event:
    # The case state does not move: the event records it as it stands.
    return append_event(
        record=record,
        actor=user,
        actor_label=actor_label(user),
        action=action,
        from_status=record.status,
        from_outcome=record.effective_outcome,
        note=note,
    )


@transaction.atomic
def open_rereview(*, user: User, target: Questionnaire, references: list[str]) -> list[Event]:
    """Append a re-review event to each record that `target` affects, once per version.

    References of records that are not affected (or already have this version's re-review)
    are skipped, so the action can be repeated safely.
    """
    prefix = rereview_note_prefix(target.version)
    affected = _affected(target, references)
    already = set(
        Event.objects.filter(action=EventAction.REREVIEW_OPENED, note__startswith=prefix)
        .exclude(record__questionnaire_version=target.version)
        .values_list("record__reference", flat=True)
    )
    events = []
    for result in affected:
        if result.reference in already:
            continue
        # Locked one at a time, so a concurrent case action waits rather than interleaves.
        record = Record.objects.select_for_update().get(reference=result.reference)
        note = prefix + _why(result, target)
        events.append(_event(record, user, EventAction.REREVIEW_OPENED, note))
    return events


@dataclass(frozen=True)
class Invitation:
    record: Record
    draft: Draft


@transaction.atomic
def invite_respondents(
    *, user: User, target: Questionnaire, references: list[str]
) -> list[Invitation]:
    """For each affected record: a draft pre-filled from its answers, an event, and (after
    commit) an email to the respondent with the draft's private link."""
    prefix = invitation_note_prefix(target.version)
    already = set(
        Event.objects.filter(action=EventAction.RESPONDENT_INVITED, note__startswith=prefix)
        .exclude(record__questionnaire_version=target.version)
        .values_list("record__reference", flat=True)
    )
    invitations = []
    for result in _affected(target, references):
        if result.reference in already:
            continue
        record = Record.objects.select_for_update().get(reference=result.reference)
        draft = start_revision(record=record, client_address=None)
        _event(
            record,
            user,
            EventAction.RESPONDENT_INVITED,
            prefix + _why(result, target),
        )
        invitations.append(Invitation(record=record, draft=draft))
        transaction.on_commit(partial(notifications.invite_to_reanswer, record.pk, draft.pk))
    return invitations
