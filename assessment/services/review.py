"""Reviewers' work on a record, and the respondent's messages: the review state model.

`STATE_TABLE` below is the state model written down (README "Review workflow" draws it): which
actions exist in which status, who may take them, and what the respondent sees and is told.
`allowed_actions(record, user)` answers from it for a page; every action function checks the
same rules again when it runs.

The rules that keep a wrong "permitted" out:
- a decision is permitted or prohibited, or a named ending (withdrawn by the respondent, not
  assessable) that is never counted as permitted; "needs review" is never a decision;
- four eyes: an override of a definite automatic result, a revision of a decision, and a
  decision whose outcome is in ASSESSMENT_APPROVAL_REQUIRED_FOR (default: permitted) while the
  automatic outcome differs, are only *proposed*: they take effect when an approver other than
  the proposer approves them, and only then is the respondent told, once;
- closing needs a decision in effect, or a named ending, and a reason.

Every action moves only the record's case state, through a conditional UPDATE on `revision`:
if someone else acted since the form was shown, nothing is written and `Conflict` is raised, so
two reviewers never both win (and the respondent never gets two decisions). Every action
appends an event through `services.trail.append_event`. The record's content is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessment import notifications
from assessment.models import (
    ENDINGS,
    OPEN_STATUSES,
    VERDICTS,
    Audience,
    Event,
    EventAction,
    Record,
    Status,
)
from assessment.roles import APPROVE_PERMISSION, REVIEW_PERMISSION
from assessment.services import attachments
from assessment.services.trail import append_event

NOTE_MAX_LENGTH = 4000
# Open statuses in which a reviewer can work the case (not while a decision awaits approval).
WORKABLE = (Status.NEW, Status.IN_REVIEW, Status.AWAITING_RESPONDENT)
ALL_STATUSES = tuple(Status.values)


@dataclass(frozen=True)
class Transition:
    action: str  # the name forms, views and `allowed_actions` use
    from_statuses: tuple[str, ...]
    to_status: str  # a status, or a phrase when it depends
    who: str
    respondent: str  # what the respondent sees and is told


STATE_TABLE: tuple[Transition, ...] = (
    Transition(
        "take_over",
        (*WORKABLE, Status.DECIDED),
        "unchanged",
        "a reviewer other than the assignee; logged, and the assignee is told",
        "nothing",
    ),
    Transition(
        "assign",
        (*OPEN_STATUSES, Status.DECIDED),
        "in review if new, else unchanged",
        "any reviewer, to any reviewer (a note is required to reassign); the assignee is told",
        "nothing",
    ),
    Transition(
        "unassign",
        (*OPEN_STATUSES, Status.DECIDED),
        "unchanged",
        "any reviewer, when someone is assigned; they are told",
        "nothing",
    ),
    Transition(
        "confirm",
        WORKABLE,
        "decided",
        "the assignee (or anyone while unassigned); only while the automatic outcome is "
        "permitted or prohibited and nothing is decided",
        "the decision and its message, on their page, PDF and by email",
    ),
    Transition(
        "decide",
        WORKABLE,
        "decided, or awaiting approval when the outcome needs four eyes",
        "the assignee (or anyone while unassigned); only while the automatic outcome is "
        "needs review and nothing is decided",
        "once in effect: the decision and its message; nothing while awaiting approval",
    ),
    Transition(
        "override",
        (*WORKABLE, Status.DECIDED),
        "awaiting approval",
        "the assignee (or anyone while unassigned), with a justification of at least "
        "ASSESSMENT_OVERRIDE_MIN_JUSTIFICATION characters",
        "nothing until an approver approves it",
    ),
    Transition(
        "approve",
        (Status.PENDING_APPROVAL,),
        "decided",
        "an approver other than the proposer",
        "the approved decision and its message, once",
    ),
    Transition(
        "reject",
        (Status.PENDING_APPROVAL,),
        "in review, or decided if a decision was already in effect",
        "an approver other than the proposer, with a note; the proposer is told",
        "nothing",
    ),
    Transition(
        "request_information",
        WORKABLE,
        "information requested",
        "the assignee (or anyone while unassigned)",
        "the question, on their page and by email; they can reply with messages and a file",
    ),
    Transition(
        "note",
        ALL_STATUSES,
        "unchanged",
        "any reviewer; internal, or a message to the respondent",
        "a message to them, on their page and by email; never an internal note",
    ),
    Transition(
        "close",
        (*WORKABLE, Status.DECIDED),
        "closed (final)",
        "the assignee (or anyone while unassigned), with a reason, and a named ending "
        "(withdrawn, not assessable) when no decision is in effect",
        "that the case is closed, with the decision or ending, and the reason if written for them",
    ),
    Transition(
        "reply",
        ALL_STATUSES,
        "in review if information was requested, else unchanged",
        "the respondent, through their private link",
        "their message, always kept, shown to the reviewers",
    ),
)
TRANSITIONS = {transition.action: transition for transition in STATE_TABLE}
REVIEWER_ACTIONS = tuple(t.action for t in STATE_TABLE if t.action != "reply")


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


class NotAllowed(ReviewError):
    """This user may not take this action on this record now (not the assignee, the proposer
    approving their own proposal, not an approver)."""


class InvalidInput(ReviewError):
    """A required note is missing or too long, or an outcome is not one that applies."""


def actor_label(user: User) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    username = user.get_username()
    return f"{full_name} ({username})" if full_name else username


def _user_label(user: Any) -> str:
    return actor_label(user) if user is not None else "nobody"


# --- Who may do what, now -------------------------------------------------------------------


def why_not_applicable(record: Record, action: str) -> str | None:
    """Why `action` does not apply to the record's state, or None when it does."""
    if record.status == Status.CLOSED and action not in ("note", "reply"):
        return "This record is closed: no further action can be taken."
    if record.status not in TRANSITIONS[action].from_statuses:
        return f"This is not possible while the record is “{Status(record.status).label}”."
    decided = record.decided_outcome is not None
    if action == "confirm" and (decided or record.outcome not in VERDICTS):
        return (
            "A decision is already in effect: override it instead."
            if decided
            else "The automatic outcome needs review: decide permitted or prohibited."
        )
    if action == "decide" and (decided or record.outcome in VERDICTS):
        return (
            "A decision is already in effect: override it instead."
            if decided
            else "The automatic outcome is definite: confirm it or override it."
        )
    if action == "override" and not decided and record.outcome not in VERDICTS:
        return "The automatic outcome needs review: decide permitted or prohibited."
    if action == "unassign" and record.assigned_to_id is None:
        return "Nobody is assigned."
    return None


def why_not_permitted(record: Record, user: Any, action: str) -> str | None:
    """Why `user` may not take `action` on the record, or None when they may."""
    if not user.has_perm(REVIEW_PERMISSION):
        return "You are not a reviewer."
    assignee = record.assigned_to_id
    if action == "take_over" and (assignee is None or assignee == user.pk):
        return "Only a case assigned to someone else can be taken over."
    if action in ("approve", "reject"):
        if not user.has_perm(APPROVE_PERMISSION):
            return "Only an approver can approve or send back a decision."
        if record.proposed_by_id == user.pk:
            return "A second reviewer must approve: you proposed this decision."
    decides = action in ("confirm", "decide", "override", "close", "request_information")
    if decides and assignee is not None and assignee != user.pk:
        return (
            f"This record is assigned to {_user_label(record.assigned_to)}: take it over "
            f"first (they will be told)."
        )
    return None


def allowed_actions(record: Record, user: Any) -> list[str]:
    """The reviewer actions `user` may take on the record now, in the state table's order."""
    return [
        action
        for action in REVIEWER_ACTIONS
        if why_not_applicable(record, action) is None
        and why_not_permitted(record, user, action) is None
    ]


def _ensure(record: Record, user: Any, action: str) -> None:
    problem = why_not_applicable(record, action)
    if problem:
        raise InvalidTransition(problem)
    problem = why_not_permitted(record, user, action)
    if problem:
        raise NotAllowed(problem)


def requires_approval(record: Record, outcome: str) -> bool:
    """Whether a decision of `outcome` on the record needs a second reviewer (four eyes)."""
    if record.decided_outcome is not None:
        return True  # revising a decision in effect
    if outcome == record.outcome:
        return False  # confirming the automatic result
    if record.outcome in VERDICTS and outcome in VERDICTS:
        return True  # overriding a definite automatic result
    return outcome in settings.ASSESSMENT_APPROVAL_REQUIRED_FOR


# --- Input ---------------------------------------------------------------------------------


def _clean_note(note: str, *, required: bool, what: str, minimum: int = 0) -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput(f"Enter {what}.")
    if minimum and len(note) < minimum:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} must be at least {minimum} characters: say why."
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} must be {NOTE_MAX_LENGTH} characters or fewer."
        )
    return note


def _clean_audience(note: str, audience: str) -> str:
    """A note's readers must be chosen explicitly; no note, no audience."""
    if not note:
        return ""
    if audience not in Audience.values:
        raise InvalidInput("Choose who can read the note: reviewers only, or the respondent too.")
    return audience


# --- Writing -------------------------------------------------------------------------------


def _apply(
    *,
    record: Record,
    expected_revision: int,
    action: str,
    actor: User | None,
    label: str,
    changes: dict[str, Any],
    note: str = "",
    audience: str = "",
    decision: str = "",
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
    return append_event(
        record=record,
        action=action,
        actor=actor,
        actor_label=label,
        from_status=from_status,
        from_outcome=from_outcome,
        note=note,
        audience=audience,
        decision=decision,
    )


def _act(
    record: Record,
    user: User,
    expected_revision: int,
    action: str,
    changes: dict[str, Any],
    **event: str,
) -> Event:
    """`_apply` for a reviewer's action: the reviewer is the actor, named as the trail names
    them. `event`: the event's note, audience and decision."""
    return _apply(
        record=record,
        expected_revision=expected_revision,
        action=action,
        actor=user,
        label=actor_label(user),
        changes=changes,
        **event,
    )


def _after_commit(notify: Callable[..., None], *args: Any) -> None:
    transaction.on_commit(lambda: notify(*args))


# --- Assignment ----------------------------------------------------------------------------


def _started(record: Record) -> str:
    return Status.IN_REVIEW if record.status == Status.NEW else record.status


@transaction.atomic
def assign(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    assignee: User,
    note: str = "",
) -> Event:
    """Assign the case to any active reviewer (the assignee is told). Reassigning a case that
    someone else holds needs a note; taking it for yourself is `take_over`."""
    _ensure(record, user, "assign")
    if not (assignee.is_active and assignee.has_perm(REVIEW_PERMISSION)):
        raise InvalidInput("Choose an active reviewer.")
    if record.assigned_to_id == assignee.pk:
        raise InvalidInput(f"The record is already assigned to {actor_label(assignee)}.")
    previous = record.assigned_to
    if previous is not None and previous.pk != user.pk and assignee.pk == user.pk:
        raise InvalidInput(
            f"The record is assigned to {actor_label(previous)}: take it over instead."
        )
    note = _clean_note(
        note,
        required=previous is not None,
        what=f"a note for {actor_label(assignee)} on why you reassign it",
    )
    event = _act(
        record,
        user,
        expected_revision,
        EventAction.ASSIGNED,
        {"assigned_to": assignee, "status": _started(record)},
        note=(
            f"To {actor_label(assignee)}"
            + (f", from {actor_label(previous)}" if previous else "")
            + (f": {note}" if note else ".")
        ),
        audience=Audience.INTERNAL,
    )
    if assignee.pk != user.pk:
        _after_commit(notifications.assigned, record.pk, assignee.pk, user.pk)
    return event


@dataclass(frozen=True)
class BulkOutcome:
    assigned: list[str]  # references
    refused: list[tuple[str, str]]  # (reference, why)


def assign_many(
    *, selected: list[tuple[str, int]], user: User, assignee: User, note: str = ""
) -> BulkOutcome:
    """Assign each (reference, revision as the queue showed it) through `assign`, one
    transaction each, so every record gets its own event and email and one refusal (someone
    acted since, a reassignment without a note, a case to take over) does not undo the rest."""
    records = {
        record.reference: record
        for record in Record.objects.filter(
            reference__in=[reference for reference, _ in selected]
        ).select_related("assigned_to")
    }
    assigned, refused = [], []
    for reference, revision in selected:
        record = records.get(reference)
        if record is None:
            refused.append((reference, "No such record."))
            continue
        try:
            assign(
                record=record, user=user, expected_revision=revision, assignee=assignee, note=note
            )
        except ReviewError as error:
            refused.append((reference, error.message))
        else:
            assigned.append(reference)
    return BulkOutcome(assigned=assigned, refused=refused)


def assign_to_me(*, record: Record, user: User, expected_revision: int) -> Event:
    """Take an unassigned case (a case someone else holds needs `take_over`)."""
    return assign(record=record, user=user, expected_revision=expected_revision, assignee=user)


@transaction.atomic
def unassign(*, record: Record, user: User, expected_revision: int, note: str = "") -> Event:
    """Leave the case with nobody (whoever held it is told)."""
    return _move_from_holder(
        record=record,
        user=user,
        expected_revision=expected_revision,
        note=note,
        name="unassign",
        action=EventAction.UNASSIGNED,
        changes={"assigned_to": None},
        wording="From",
        tell=notifications.unassigned,
    )


@transaction.atomic
def take_over(*, record: Record, user: User, expected_revision: int, note: str = "") -> Event:
    """Take a case someone else holds: logged, and they are told."""
    return _move_from_holder(
        record=record,
        user=user,
        expected_revision=expected_revision,
        note=note,
        name="take_over",
        action=EventAction.TAKEN_OVER,
        changes={"assigned_to": user, "status": _started(record)},
        wording="Took over from",
        tell=notifications.taken_over,
    )


def _move_from_holder(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    note: str,
    name: str,
    action: str,
    changes: dict[str, Any],
    wording: str,
    tell: Callable[[int, int, int], None],
) -> Event:
    """Unassign and take over: the case leaves its holder, who is told unless it was you."""
    _ensure(record, user, name)
    previous = record.assigned_to
    note = _clean_note(note, required=False, what="a note")
    event = _act(
        record,
        user,
        expected_revision,
        action,
        changes,
        note=f"{wording} {_user_label(previous)}" + (f": {note}" if note else "."),
        audience=Audience.INTERNAL,
    )
    if previous is not None and previous.pk != user.pk:
        _after_commit(tell, record.pk, previous.pk, user.pk)
    return event


# --- Decisions -----------------------------------------------------------------------------


def _take_effect(
    *,
    record: Record,
    expected_revision: int,
    action: str,
    user: User,
    outcome: str,
    decided_by: Any,
    approved_by: Any,
    message: str,
    note: str,
    audience: str,
    extra: dict[str, Any] | None = None,
) -> Event:
    now = timezone.now()
    event = _act(
        record,
        user,
        expected_revision,
        action,
        {
            "status": Status.DECIDED,
            "decided_outcome": outcome,
            "decided_at": now,
            "decided_by": decided_by,
            "approved_by": approved_by,
            "approved_at": now if approved_by is not None else None,
            "decision_message": message,
            "proposed_outcome": None,
            "proposed_by": None,
            "proposed_at": None,
            # Whoever decides owns the case from then on, if nobody did before.
            "assigned_to": record.assigned_to or decided_by or user,
            **(extra or {}),
        },
        note=note,
        audience=audience,
        decision=outcome,
    )
    _after_commit(notifications.decision_made, record.pk)
    return event


def _decide(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    action: str,
    outcome: str,
    note: str,
    audience: str,
) -> Event:
    """A decision takes effect at once, or is proposed for approval (four eyes). The note is
    optional here (an override checks its justification against its own rules first), and
    its readers must be chosen when there is one."""
    note = _clean_note(note, required=False, what="a note")
    audience = _clean_audience(note, audience)
    if requires_approval(record, outcome):
        event = _act(
            record,
            user,
            expected_revision,
            EventAction.PROPOSED,
            {
                "status": Status.PENDING_APPROVAL,
                "proposed_outcome": outcome,
                "proposed_by": user,
                "proposed_at": timezone.now(),
                "assigned_to": record.assigned_to or user,
            },
            note=note,
            audience=audience,
            decision=outcome,
        )
        _after_commit(notifications.approval_requested, record.pk)
        return event
    return _take_effect(
        record=record,
        expected_revision=expected_revision,
        action=action,
        user=user,
        outcome=outcome,
        decided_by=user,
        approved_by=None,
        message=note if audience == Audience.RESPONDENT else "",
        note=note,
        audience=audience,
    )


@transaction.atomic
def confirm(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    note: str = "",
    audience: str = Audience.INTERNAL,
) -> Event:
    """The automatic outcome (permitted or prohibited) stands."""
    _ensure(record, user, "confirm")
    return _decide(
        record=record,
        user=user,
        expected_revision=expected_revision,
        action=EventAction.CONFIRMED,
        outcome=record.outcome,
        note=note,
        audience=audience,
    )


@transaction.atomic
def decide(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    outcome: str,
    note: str = "",
    audience: str = Audience.INTERNAL,
) -> Event:
    """Settle a "needs review" outcome: permitted (four eyes by default) or prohibited."""
    _ensure(record, user, "decide")
    if outcome not in VERDICTS:
        raise InvalidInput("Choose permitted or prohibited: a decision settles the case.")
    return _decide(
        record=record,
        user=user,
        expected_revision=expected_revision,
        action=EventAction.DECIDED,
        outcome=outcome,
        note=note,
        audience=audience,
    )


@transaction.atomic
def override(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    outcome: str,
    justification: str,
    audience: str = Audience.INTERNAL,
) -> Event:
    """Propose replacing the automatic outcome, or the decision in effect, with `outcome`.

    Always four eyes: it takes effect when an approver approves it."""
    _ensure(record, user, "override")
    if outcome not in VERDICTS:
        raise InvalidInput("Choose permitted or prohibited: a decision settles the case.")
    if outcome == record.effective_outcome:
        raise InvalidInput(
            "The new outcome is the same as the current one: choose a different outcome, "
            "or confirm the automatic result."
        )
    justification = _clean_note(
        justification,
        required=True,
        what="a justification for the override",
        minimum=settings.ASSESSMENT_OVERRIDE_MIN_JUSTIFICATION,
    )
    return _decide(
        record=record,
        user=user,
        expected_revision=expected_revision,
        action=EventAction.PROPOSED,
        outcome=outcome,
        note=justification,
        audience=audience,
    )


def _proposal(record: Record) -> Event | None:
    return record.events.filter(action=EventAction.PROPOSED).order_by("-created_at", "-pk").first()


@transaction.atomic
def approve(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    note: str = "",
    audience: str = Audience.INTERNAL,
) -> Event:
    """A second reviewer approves the proposal: it takes effect and the respondent is told."""
    _ensure(record, user, "approve")
    assert record.proposed_outcome is not None  # pending approval always has a proposal
    note = _clean_note(note, required=False, what="a note")
    audience = _clean_audience(note, audience)
    proposal = _proposal(record)
    message = note if audience == Audience.RESPONDENT else ""
    if not message and proposal is not None and proposal.audience == Audience.RESPONDENT:
        message = proposal.note
    return _take_effect(
        record=record,
        expected_revision=expected_revision,
        action=EventAction.APPROVED,
        user=user,
        outcome=record.proposed_outcome,
        decided_by=record.proposed_by,
        approved_by=user,
        message=message,
        note=note,
        audience=audience,
    )


@transaction.atomic
def reject(*, record: Record, user: User, expected_revision: int, note: str) -> Event:
    """A second reviewer sends the proposal back, saying why; the proposer is told."""
    _ensure(record, user, "reject")
    note = _clean_note(note, required=True, what="a note for the proposer on why")
    proposer, proposed = record.proposed_by, record.proposed_outcome or ""
    back_to = Status.DECIDED if record.decided_outcome is not None else Status.IN_REVIEW
    event = _act(
        record,
        user,
        expected_revision,
        EventAction.REJECTED,
        {
            "status": back_to,
            "proposed_outcome": None,
            "proposed_by": None,
            "proposed_at": None,
        },
        note=note,
        audience=Audience.INTERNAL,
        decision=proposed,
    )
    if proposer is not None:
        _after_commit(notifications.proposal_rejected, record.pk, proposer.pk)
    return event


# --- The respondent's channel --------------------------------------------------------------


@transaction.atomic
def request_information(
    *, record: Record, user: User, expected_revision: int, message: str
) -> Event:
    """Ask the respondent a question; they see it (the event's note) on their private link."""
    _ensure(record, user, "request_information")
    message = _clean_note(message, required=True, what="the information you need")
    event = _act(
        record,
        user,
        expected_revision,
        EventAction.INFO_REQUESTED,
        {
            "status": Status.AWAITING_RESPONDENT,
            "assigned_to": record.assigned_to or user,
        },
        note=message,
        audience=Audience.RESPONDENT,
    )
    _after_commit(notifications.information_requested, record.pk)
    return event


@transaction.atomic
def add_note(*, record: Record, user: User, note: str, audience: str) -> Event:
    """An internal note, or a message to the respondent (emailed). The state does not move, so
    no revision is needed: a note never makes someone else's open form stale."""
    _ensure(record, user, "note")
    note = _clean_note(note, required=True, what="the note")
    audience = _clean_audience(note, audience)
    current = Record.objects.get(pk=record.pk)
    event = append_event(
        record=current,
        action=EventAction.NOTE_ADDED,
        actor=user,
        actor_label=actor_label(user),
        from_status=current.status,
        from_outcome=current.effective_outcome,
        note=note,
        audience=audience,
    )
    if audience == Audience.RESPONDENT:
        _after_commit(notifications.respondent_message, record.pk)
    return event


@transaction.atomic
def respondent_reply(
    *, record: Record, message: str, attachment: attachments.CheckedFile | None = None
) -> Event:
    """A message from the respondent, with an optional file already checked by
    `attachments.check_file`. Always kept, whatever the record's status now (the reviewers may
    have decided while they typed); if information was requested, the review resumes. The
    assignee (or every reviewer) hears of it.

    The respondent acts on whatever state the record is in now, so the row is re-read (and
    locked where the database can) instead of trusting the caller's possibly stale copy.
    """
    message = _clean_note(message, required=True, what="your message")
    current = Record.objects.select_for_update().get(pk=record.pk)
    if current.status == Status.AWAITING_RESPONDENT:
        event = _apply(
            record=current,
            expected_revision=current.revision,
            action=EventAction.RESPONDENT_REPLIED,
            actor=None,
            label="Respondent",
            changes={"status": Status.IN_REVIEW},
            note=message,
        )
    else:
        event = append_event(
            record=current,
            action=EventAction.RESPONDENT_REPLIED,
            actor=None,
            actor_label="Respondent",
            from_status=current.status,
            from_outcome=current.effective_outcome,
            note=message,
        )
    if attachment is not None:
        attachments.store(record=current, event=event, checked=attachment)
    record.status, record.revision = current.status, current.revision
    _after_commit(notifications.respondent_replied, record.pk)
    return event


# --- Closing -------------------------------------------------------------------------------


@transaction.atomic
def close(
    *,
    record: Record,
    user: User,
    expected_revision: int,
    reason: str,
    ending: str = "",
    audience: str = Audience.INTERNAL,
) -> Event:
    """The case is finished, for good. With a decision in effect it keeps it; without one it
    needs a named ending (withdrawn by the respondent, not assessable). Always with a reason."""
    _ensure(record, user, "close")
    reason = _clean_note(reason, required=True, what="the reason for closing")
    audience = _clean_audience(reason, audience)
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": Status.CLOSED,
        "closed_by": user,
        "closed_at": now,
        "close_reason": reason,
        "assigned_to": record.assigned_to or user,
    }
    if record.decided_outcome is None:
        if ending not in ENDINGS:
            raise InvalidInput(
                "No decision is in effect: choose how the case ends (withdrawn by the "
                "respondent, or not assessable), or decide it first."
            )
        changes.update(
            decided_outcome=ending,
            decided_at=now,
            decided_by=user,
            decision_message=reason if audience == Audience.RESPONDENT else "",
        )
    elif ending:
        raise InvalidInput("A decision is in effect: the case closes with it.")
    event = _act(
        record,
        user,
        expected_revision,
        EventAction.CLOSED,
        changes,
        note=reason,
        audience=audience,
        decision=ending,
    )
    _after_commit(notifications.case_closed, record.pk)
    return event
