"""Reviewers' decisions on a record, and the respondent's reply to a request for information.

Every action moves only the record's case state (status, assignee, decided outcome), through
a conditional UPDATE on `revision`: if someone else acted since the form was shown, nothing is
written and `Conflict` is raised, so two reviewers never silently overwrite each other. Every
action appends an `Event` carrying the hash of the record it was taken on. The record's content
is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessment import notifications
from assessment.models import OUTCOME_VALUES, Event, EventAction, Record, Status

NOTE_MAX_LENGTH = 4000
OPEN = (Status.NEW, Status.IN_REVIEW, Status.AWAITING_RESPONDENT)

# Which statuses each action may start from. A decision may be revised by an override (with
# its justification) until the record is closed; a closed record is final.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    EventAction.ASSIGNED: (*OPEN, Status.DECIDED),
    EventAction.CONFIRMED: OPEN,
    EventAction.OVERRIDDEN: (*OPEN, Status.DECIDED),
    EventAction.INFO_REQUESTED: OPEN,
    EventAction.CLOSED: (*OPEN, Status.DECIDED),
    EventAction.RESPONDENT_REPLIED: (Status.AWAITING_RESPONDENT,),
}


class ReviewError(Exception):
    """An action was refused; `message` says why, in words a reviewer can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(ReviewError):
    """The record changed since the caller loaded it (stale `expected_revision`)."""

    def __init__(self) -> None:
        super().__init__("Someone else updated this record; review the latest state.")


class InvalidTransition(ReviewError):
    """The action does not apply to the record's current status."""


class InvalidInput(ReviewError):
    """A required note is missing or too long, or an outcome is not one of the outcomes."""


def actor_label(user: User) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    username = user.get_username()
    return f"{full_name} ({username})" if full_name else username


def _clean_note(note: str, *, required: bool, what: str) -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput(f"Enter {what}.")
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} must be {NOTE_MAX_LENGTH} characters or fewer."
        )
    return note


def _ensure_allowed(record: Record, action: str) -> None:
    if record.status == Status.CLOSED:
        raise InvalidTransition("This record is closed: no further action can be taken.")
    if record.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(
            f"“{EventAction(action).label}” is not possible while the record is "
            f"“{Status(record.status).label}”."
        )


def _apply(
    *,
    record: Record,
    expected_revision: int,
    action: str,
    actor: User | None,
    label: str,
    changes: dict[str, Any],
    note: str = "",
) -> Event:
    """Write `changes` if the record is still at `expected_revision`, then append the event."""
    if record.revision != expected_revision:
        raise Conflict
    from_status, from_outcome = record.status, record.effective_outcome
    updated = Record.objects.filter(pk=record.pk, revision=expected_revision).update(
        **changes, revision=F("revision") + 1
    )
    if updated == 0:
        raise Conflict
    # Keep the caller's instance in step with the row, without re-reading it.
    for field, value in changes.items():
        setattr(record, field, value)
    record.revision = expected_revision + 1
    return Event.objects.create(
        record=record,
        actor=actor,
        actor_label=label,
        action=action,
        from_status=from_status,
        to_status=record.status,
        from_outcome=from_outcome,
        to_outcome=record.effective_outcome,
        note=note,
        record_sha256=record.sha256,
    )


def _after_commit(notify: Callable[[int], None], record_id: int) -> None:
    transaction.on_commit(lambda: notify(record_id))


@transaction.atomic
def assign_to_me(*, record: Record, user: User, expected_revision: int) -> Event:
    _ensure_allowed(record, EventAction.ASSIGNED)
    # Taking a new record starts its review; otherwise the status stays as it is.
    status = Status.IN_REVIEW if record.status == Status.NEW else record.status
    previous = record.assigned_to
    return _apply(
        record=record,
        expected_revision=expected_revision,
        action=EventAction.ASSIGNED,
        actor=user,
        label=actor_label(user),
        changes={"assigned_to": user, "status": status},
        # The trail says whose case this was, since the assignee column only shows the latest.
        note=f"Took over from {actor_label(previous)}." if previous and previous != user else "",
    )


def _decide(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    action: str,
    outcome: str,
    note: str,
) -> Event:
    event = _apply(
        record=record,
        expected_revision=expected_revision,
        action=action,
        actor=user,
        label=actor_label(user),
        changes={
            "status": Status.DECIDED,
            "decided_outcome": outcome,
            "decided_at": timezone.now(),
            # Whoever decides owns the case from then on, if nobody did before.
            "assigned_to": record.assigned_to or user,
        },
        note=note,
    )
    _after_commit(notifications.decision_made, record.pk)
    return event


@transaction.atomic
def confirm(*, record: Record, user: User, expected_revision: int, note: str = "") -> Event:
    """The automatic outcome stands."""
    _ensure_allowed(record, EventAction.CONFIRMED)
    return _decide(
        record=record,
        user=user,
        expected_revision=expected_revision,
        action=EventAction.CONFIRMED,
        outcome=record.outcome,
        note=_clean_note(note, required=False, what="a note"),
    )


@transaction.atomic
def override(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    outcome: str,
    justification: str,
) -> Event:
    """Replace the automatic outcome (or an earlier decision) with `outcome`, saying why."""
    _ensure_allowed(record, EventAction.OVERRIDDEN)
    if outcome not in OUTCOME_VALUES:
        raise InvalidInput("Choose the outcome that applies.")
    if outcome == record.effective_outcome:
        raise InvalidInput(
            "The new outcome is the same as the current one: choose a different outcome, "
            "or confirm the automatic result."
        )
    return _decide(
        record=record,
        user=user,
        expected_revision=expected_revision,
        action=EventAction.OVERRIDDEN,
        outcome=outcome,
        note=_clean_note(justification, required=True, what="a justification for the override"),
    )


@transaction.atomic
def request_information(
    *, record: Record, user: User, expected_revision: int, message: str
) -> Event:
    """Ask the respondent a question; they see it (the event's note) on their private link."""
    _ensure_allowed(record, EventAction.INFO_REQUESTED)
    message = _clean_note(message, required=True, what="the information you need")
    event = _apply(
        record=record,
        expected_revision=expected_revision,
        action=EventAction.INFO_REQUESTED,
        actor=user,
        label=actor_label(user),
        changes={
            "status": Status.AWAITING_RESPONDENT,
            "assigned_to": record.assigned_to or user,
        },
        note=message,
    )
    _after_commit(notifications.information_requested, record.pk)
    return event


@transaction.atomic
def close(*, record: Record, user: User, expected_revision: int, note: str = "") -> Event:
    """The case is finished (decided, withdrawn, duplicate...): nothing more can be done."""
    _ensure_allowed(record, EventAction.CLOSED)
    return _apply(
        record=record,
        expected_revision=expected_revision,
        action=EventAction.CLOSED,
        actor=user,
        label=actor_label(user),
        changes={"status": Status.CLOSED},
        note=_clean_note(note, required=False, what="a note"),
    )


@transaction.atomic
def respondent_reply(*, record: Record, message: str) -> Event:
    """The respondent answers an information request: the review resumes, the assignee hears.

    The respondent acts on whatever state the record is in now, so the row is re-read (and
    locked where the database can) instead of trusting the caller's possibly stale copy.
    """
    current = Record.objects.select_for_update().get(pk=record.pk)
    _ensure_allowed(current, EventAction.RESPONDENT_REPLIED)
    message = _clean_note(message, required=True, what="your reply")
    event = _apply(
        record=current,
        expected_revision=current.revision,
        action=EventAction.RESPONDENT_REPLIED,
        actor=None,
        label="Respondent",
        changes={"status": Status.IN_REVIEW},
        note=message,
    )
    record.status, record.revision = current.status, current.revision
    _after_commit(notifications.respondent_replied, record.pk)
    return event
