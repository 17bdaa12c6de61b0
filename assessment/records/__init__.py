"""Reading a stored record: one typed view of its hashed payload and its review state."""

from assessment.records.reader import (
    Answer,
    Clause,
    Finding,
    Reason,
    RecordView,
    Respondent,
    ReviewState,
    read_record,
    review_state,
)

__all__ = [
    "Answer",
    "Clause",
    "Finding",
    "Reason",
    "RecordView",
    "Respondent",
    "ReviewState",
    "read_record",
    "review_state",
]
