"""Drafts being answered, submitted records, and the append-only trail of review events.

A `Draft` is mutable until it is submitted. A `Record` is what was submitted: its content
(`payload`, hashed into `sha256`) never changes; only its case state (status, assignee,
decided outcome) moves, and only through `assessment.services.review`, which appends an
`Event` for every move.
"""

# One module per kind of row; this package re-exports them so `assessment.models.X` keeps working.
from assessment.models.drafts import Draft, ReferenceCounter, new_token
from assessment.models.events import Event, EventAction
from assessment.models.outcomes import OUTCOME_CHOICES, OUTCOME_LABELS, OUTCOME_VALUES
from assessment.models.records import Record, RecordQuerySet, Status
from assessment.models.tokens import ApiSubmission, ApiToken, TokenScope

__all__ = [
    "OUTCOME_CHOICES",
    "OUTCOME_LABELS",
    "OUTCOME_VALUES",
    "ApiSubmission",
    "ApiToken",
    "Draft",
    "Event",
    "EventAction",
    "Record",
    "RecordQuerySet",
    "ReferenceCounter",
    "Status",
    "TokenScope",
    "new_token",
]
