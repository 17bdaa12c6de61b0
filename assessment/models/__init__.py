"""Drafts being answered, submitted records, and the append-only trail of review events.

A `Draft` is mutable until it is submitted. A `Record` is what was submitted: its content
(`payload`, hashed into `sha256`) never changes; only its case state (status, assignee,
decided outcome) moves, and only through `assessment.services.review`, which appends an
`Event` for every move.
"""

# One module per kind of row; this package re-exports them so `assessment.models.X` keeps working.
from assessment.models.attachments import Attachment
from assessment.models.background import (
    Delivery,
    Export,
    ExportChunk,
    Rendering,
    WorkerHeartbeat,
)
from assessment.models.counts import EventDay, RecordCount, SubmissionDay
from assessment.models.drafts import Draft, ReferenceCounter, new_token
from assessment.models.events import (
    EFFECTIVE_DECISION_ACTIONS,
    TOOK_EFFECT,
    Audience,
    Event,
    EventAction,
    EventQuerySet,
)
from assessment.models.integrity import ChainEntry, ChainHead, Checkpoint, IntegrityCheck
from assessment.models.outcomes import (
    DECISION_CHOICES,
    DECISION_LABELS,
    DECISION_NEXT_STEPS,
    DECISION_VALUES,
    EFFECTIVE_CHOICES,
    EFFECTIVE_LABELS,
    ENDING_CHOICES,
    ENDINGS,
    NOT_ASSESSABLE,
    OUTCOME_CHOICES,
    OUTCOME_LABELS,
    OUTCOME_VALUES,
    PERMITTED,
    PROHIBITED,
    VERDICTS,
    WITHDRAWN,
)
from assessment.models.records import (
    OPEN_STATUSES,
    Record,
    RecordQuerySet,
    Status,
    effective_outcome_expression,
    queue_priority,
)
from assessment.models.saved_filters import SavedFilter
from assessment.models.tokens import ApiSubmission, ApiToken, TokenScope

__all__ = [
    "DECISION_CHOICES",
    "DECISION_LABELS",
    "DECISION_NEXT_STEPS",
    "DECISION_VALUES",
    "EFFECTIVE_CHOICES",
    "EFFECTIVE_DECISION_ACTIONS",
    "EFFECTIVE_LABELS",
    "ENDINGS",
    "ENDING_CHOICES",
    "NOT_ASSESSABLE",
    "OPEN_STATUSES",
    "OUTCOME_CHOICES",
    "OUTCOME_LABELS",
    "OUTCOME_VALUES",
    "PERMITTED",
    "PROHIBITED",
    "TOOK_EFFECT",
    "VERDICTS",
    "WITHDRAWN",
    "ApiSubmission",
    "ApiToken",
    "Attachment",
    "Audience",
    "ChainEntry",
    "ChainHead",
    "Checkpoint",
    "Delivery",
    "Draft",
    "Event",
    "EventAction",
    "EventDay",
    "EventQuerySet",
    "Export",
    "ExportChunk",
    "IntegrityCheck",
    "Record",
    "RecordCount",
    "RecordQuerySet",
    "ReferenceCounter",
    "Rendering",
    "SavedFilter",
    "Status",
    "SubmissionDay",
    "TokenScope",
    "WorkerHeartbeat",
    "effective_outcome_expression",
    "new_token",
    "queue_priority",
]
