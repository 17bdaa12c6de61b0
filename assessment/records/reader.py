"""The one typed reader of a stored record.

A record's content is its hashed `payload` (what was asked, answered and decided at submission,
see `services.submission.build_payload`); its case state (status, decision) lives in columns the
hash does not cover. Every reader of a record (the result page, the reviewer's page, the PDF and
the JSON API) goes through `read_record`, so they describe the same record the same way, and a
payload of an older schema or a tampered one is read defensively in one place: a missing key
reads as empty, never as an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any

from assessment.canonical import canonical_json
from assessment.models import EFFECTIVE_LABELS, OUTCOME_LABELS, Record, Status
from assessment.questionnaire import clause_paraphrases
from assessment.questionnaire.schema import TEXT_KINDS
from assessment.services import integrity

# Statuses in which a reviewer's decision stands and the case no longer moves on its own.
FINAL_STATUSES = frozenset({Status.DECIDED, Status.CLOSED})


@dataclass(frozen=True)
class Clause:
    id: str
    paraphrase: str  # empty when the record's questionnaire version is no longer shipped


@dataclass(frozen=True)
class Reason:
    """One line of the result's trace: this answer to this question led to this outcome."""

    question_id: str
    question: str
    answer: tuple[str, ...]
    outcome_id: str
    kind: str
    kind_label: str
    category: str
    clause_ids: tuple[str, ...]

    @property
    def answer_text(self) -> str:
        return ", ".join(self.answer)


@dataclass(frozen=True)
class Finding:
    """One distinct outcome of the result, worst first, with the answers that led to it."""

    id: str
    title: str
    kind: str
    kind_label: str
    category: str
    explanation: str
    clauses: tuple[Clause, ...]
    next_steps: tuple[str, ...]
    because: tuple[Reason, ...]

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return tuple(clause.id for clause in self.clauses)


@dataclass(frozen=True)
class Answer:
    question_id: str
    question: str
    kind: str
    value: str | tuple[str, ...]
    labels: tuple[str, ...]  # as shown: option labels (a statement with its answer), or the text

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def multiline(self) -> bool:
        return self.kind == "long_text"


@dataclass(frozen=True)
class Respondent:
    name: str
    email: str
    organisation: str
    project_name: str
    project_description: str


@dataclass(frozen=True)
class ReviewState:
    """Where the case stands: the columns reviewers move, read the same way everywhere."""

    status: str
    status_label: str
    automatic_outcome: str
    # The decision in effect (an approved verdict or a named ending), else the automatic outcome
    # unless a reviewer closed or changed it: never "permitted" unless that was established.
    effective_outcome: str
    decided: bool
    decided_outcome: str | None
    decided_at: datetime | None
    final: bool  # a reviewer decided and the case is decided or closed

    @property
    def automatic_label(self) -> str:
        return OUTCOME_LABELS.get(self.automatic_outcome, self.automatic_outcome)

    @property
    def effective_label(self) -> str:
        return EFFECTIVE_LABELS.get(self.effective_outcome, self.effective_outcome)

    @property
    def changed_by_reviewer(self) -> bool:
        return self.decided and self.decided_outcome != self.automatic_outcome

    @property
    def confirmed_by_reviewer(self) -> bool:
        return self.decided and self.decided_outcome == self.automatic_outcome


@dataclass(frozen=True)
class RecordView:
    """A stored record as every reader shows it."""

    record: Record
    schema: int | None
    reference: str
    questionnaire_version: str
    started_at: datetime | None
    submitted_at: datetime | None
    respondent: Respondent
    answers: tuple[Answer, ...]
    outcome: str  # the automatic outcome, as hashed
    outcome_label: str
    categories: tuple[str, ...]
    clauses: tuple[Clause, ...]
    findings: tuple[Finding, ...]
    reasons: tuple[Reason, ...]
    sha256: str
    review: ReviewState

    @cached_property
    def integrity_problems(self) -> tuple[str, ...]:
        """Checked when asked (a few queries: the hash chain), not by pages that never show it."""
        return _integrity_problems(self.record)

    @property
    def intact(self) -> bool:
        return not self.integrity_problems

    @property
    def cleared(self) -> bool:
        """May work that depends on this assessment go ahead? Only when a reviewer's final
        decision is "permitted" and the record is intact: an automatic "permitted" alone, an
        open case or a tampered record never clears."""
        return self.review.final and self.review.effective_outcome == "permitted" and self.intact

    def canonical_json(self) -> bytes:
        """The hashed bytes: what the PDF attaches and what `sha256` is the digest of."""
        return canonical_json(self.record.payload)


def review_state(record: Record) -> ReviewState:
    decided = record.decided_outcome is not None
    return ReviewState(
        status=record.status,
        status_label=Status(record.status).label if record.status in Status.values else "",
        automatic_outcome=record.outcome,
        effective_outcome=record.effective_outcome,
        decided=decided,
        decided_outcome=record.decided_outcome,
        decided_at=record.decided_at,
        final=decided and record.status in FINAL_STATUSES,
    )


def read_record(record: Record) -> RecordView:
    payload = record.payload if isinstance(record.payload, dict) else {}
    result = _dict(payload.get("result"))
    paraphrases = clause_paraphrases(record.questionnaire_version)

    def clauses(ids: Any) -> tuple[Clause, ...]:
        return tuple(Clause(id=str(cid), paraphrase=paraphrases.get(cid, "")) for cid in _list(ids))

    reasons = tuple(_reason(_dict(item)) for item in _list(result.get("trace")))
    outcomes = [_dict(item) for item in _list(result.get("outcomes"))]
    outcome_clauses = [cited_clause_ids(item) for item in outcomes]
    outcome = _str(result.get("outcome")) or record.outcome
    findings = tuple(
        _finding(item, clauses(list(ids)), reasons, outweighed=outcome != "permitted")
        for item, ids in zip(outcomes, outcome_clauses, strict=True)
    )
    # The result's clauses, then any a finding's words cite: the document lists them all.
    cited = dict.fromkeys(
        [
            *(_str(c) for c in _list(result.get("clauses"))),
            *(c for ids in outcome_clauses for c in ids),
        ]
    )
    respondent = _dict(payload.get("respondent"))
    schema = payload.get("schema")
    return RecordView(
        record=record,
        schema=schema if isinstance(schema, int) else None,
        reference=_str(payload.get("reference")) or record.reference,
        questionnaire_version=_str(payload.get("questionnaire_version"))
        or record.questionnaire_version,
        started_at=_datetime(payload.get("started_at")) or record.started_at,
        submitted_at=_datetime(payload.get("submitted_at")) or record.submitted_at,
        respondent=Respondent(
            name=_str(respondent.get("name")),
            email=_str(respondent.get("email")),
            organisation=_str(respondent.get("organisation")),
            project_name=_str(respondent.get("project_name")),
            project_description=_str(respondent.get("project_description")),
        ),
        answers=tuple(_answer(_dict(item)) for item in _list(payload.get("answers"))),
        outcome=outcome,
        outcome_label=OUTCOME_LABELS.get(outcome, outcome),
        categories=tuple(_str(c) for c in _list(result.get("categories", record.categories))),
        clauses=clauses(list(cited)),
        findings=findings,
        reasons=reasons,
        sha256=record.sha256,
        review=review_state(record),
    )


_CLAUSE_ID = re.compile(r"\bC[1-9][0-9]*[a-z]?\b")


def cited_clause_ids(outcome: dict[str, Any]) -> tuple[str, ...]:
    """The clauses a finding lists, then any its words cite without listing them (some v1
    explanations do), so every reader shows each clause the text refers to."""
    listed = [_str(cid) for cid in _list(outcome.get("clauses"))]
    words = (_str(outcome.get("explanation")), *map(_str, _list(outcome.get("next_steps"))))
    return tuple(dict.fromkeys([*listed, *_clause_ids_in(words)]))


@lru_cache(maxsize=1024)
def _clause_ids_in(words: tuple[str, ...]) -> tuple[str, ...]:
    """A finding's words are its outcome's, shared by every record that has it: searched once."""
    return tuple(_CLAUSE_ID.findall(" ".join(words)))


def _integrity_problems(record: Record) -> tuple[str, ...]:
    """Its seal (a payload altered into another shape counts as altered), and its trail's and
    case state's place in the hash chain: a record an insider edited in the database is never
    "intact", so never cleared."""
    return tuple(integrity.record_problems(record))


def _reason(item: dict[str, Any]) -> Reason:
    kind = _str(item.get("kind"))
    return Reason(
        question_id=_str(item.get("question_id")),
        question=_str(item.get("question")),
        answer=_labels(item.get("answer")),
        outcome_id=_str(item.get("outcome_id")),
        kind=kind,
        kind_label=OUTCOME_LABELS.get(kind, kind),
        category=_str(item.get("category")),
        clause_ids=tuple(_str(c) for c in _list(item.get("clauses"))),
    )


# A finding that allows its part says what to do as if it stood alone ("Proceed."). Under a
# result that is not permitted, a newcomer read that as leave to go ahead: its part waits on
# the worse findings, which come first. The stored words stay in the record's payload.
OUTWEIGHED_NEXT_STEP = (
    "Nothing to do for this part on its own: the findings above decide what happens next."
)
# Its badge says so too: walkers skimming a "Needs review" result read a green "Permitted" as
# the answer (walkthroughs 39, 41, 43).
OUTWEIGHED_LABEL = "Permitted on its own"


def _finding(
    item: dict[str, Any],
    clauses: tuple[Clause, ...],
    reasons: tuple[Reason, ...],
    *,
    outweighed: bool,
) -> Finding:
    """`outweighed`: the result is worse than permitted, so a permitted finding's own next
    steps give way to OUTWEIGHED_NEXT_STEP, and its label to OUTWEIGHED_LABEL."""
    kind = _str(item.get("kind"))
    outcome_id = _str(item.get("id"))
    next_steps = tuple(_str(s) for s in _list(item.get("next_steps")))
    kind_label = OUTCOME_LABELS.get(kind, kind)
    if outweighed and kind == "permitted":
        kind_label = OUTWEIGHED_LABEL
        if next_steps:
            next_steps = (OUTWEIGHED_NEXT_STEP,)
    return Finding(
        id=outcome_id,
        title=_str(item.get("title")),
        kind=kind,
        kind_label=kind_label,
        category=_str(item.get("category")),
        explanation=_str(item.get("explanation")),
        clauses=clauses,
        next_steps=next_steps,
        because=tuple(r for r in reasons if outcome_id and r.outcome_id == outcome_id),
    )


def _answer(item: dict[str, Any]) -> Answer:
    value = item.get("value")
    question_id = _str(item.get("question_id"))
    return Answer(
        question_id=question_id,
        question=_str(item.get("question")),
        kind=_str(item.get("kind")),
        value=tuple(_str(v) for v in value) if isinstance(value, list) else _str(value),
        labels=_labels(item.get("answer")),
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _labels(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(_str(item) for item in value)
    return (_str(value),) if value not in (None, "") else ()


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
