"""The one function that appends an entry to a record's audit trail.

Every review action writes its event here (the submission's first event is built by
`services.submission.submitted_event`), so anything that must happen to every event has one
place to hook: each event is appended to the hash chain (`services.integrity`) in the same
transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Event, Record
from assessment.services.integrity import chain_events


def append_event(
    *,
    record: Record,
    action: str,
    actor: User | None,
    actor_label: str,
    from_status: str,
    from_outcome: str,
    note: str = "",
    audience: str = "",
    decision: str = "",
) -> Event:
    """Append one event, and its chain entry; `record` must already hold the state the action
    left it in."""
    with transaction.atomic(savepoint=False):
        event = Event.objects.create(
            record=record,
            actor=actor,
            actor_label=actor_label,
            action=action,
            from_status=from_status,
            to_status=record.status,
            from_outcome=from_outcome,
            to_outcome=record.effective_outcome,
            note=note,
            audience=audience,
            decision=decision,
            record_sha256=record.sha256,
        )
        chain_events([event])
    return event
