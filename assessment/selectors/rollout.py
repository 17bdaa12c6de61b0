"""Reads for rolling a new questionnaire version out: versions with their counts, and the
impact of a version on records answered under older ones.

The judging itself is plain Python (`assessment.reassessment`); this module only reads the
records it needs, in chunks, so memory stays flat however many records there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count

from assessment import reassessment
from assessment.models import Event, EventAction, Record
from assessment.questionnaire import CURRENT_VERSION, Questionnaire, available_versions, load

CHUNK = 500  # references per IN (...) query: well under every database's parameter limit


def records_by_reference(references: list[str]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        found.update({r.reference: r for r in Record.objects.filter(reference__in=chunk)})
    return found


def stored_answers(*, exclude_version: str | None = None) -> Iterator[reassessment.Stored]:
    records = Record.objects.all()
    if exclude_version is not None:
        records = records.exclude(questionnaire_version=exclude_version)
    rows = records.order_by("pk").values_list(
        "reference", "questionnaire_version", "outcome", "answers"
    )
    for reference, version, outcome, answers in rows.iterator(chunk_size=500):
        yield reassessment.Stored(reference, version, outcome, answers or {})


@dataclass(frozen=True)
class VersionRow:
    version: str
    status: str  # "current" or "retired"
    title: str
    questions: int
    records: int
    open_records: int
    rereview_opened: int


def versions() -> list[VersionRow]:
    """Every shipped version, newest first, with how many records were answered under it."""
    totals = dict(
        Record.objects.values_list("questionnaire_version").annotate(n=Count("pk")).order_by()
    )
    open_counts = dict(
        Record.objects.needing_attention()
        .values_list("questionnaire_version")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reopened = dict(
        Event.objects.filter(action=EventAction.REREVIEW_OPENED)
        .values_list("record__questionnaire_version")
        .annotate(n=Count("record", distinct=True))
        .order_by()
    )
    rows = []
    for version in reversed(available_versions()):
        questionnaire = load(version)
        rows.append(
            VersionRow(
                version=version,
                status="current" if version == CURRENT_VERSION else "retired",
                title=questionnaire.title,
                questions=len(questionnaire.questions),
                records=totals.get(version, 0),
                open_records=open_counts.get(version, 0),
                rereview_opened=reopened.get(version, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class ImpactRow:
    result: reassessment.Reassessed
    record: Record
    needs_text: str  # the question to answer again, as asked
    rereview_open: bool


def impact(
    target: Questionnaire, *, show: str = "all", from_version: str | None = None
) -> list[ImpactRow]:
    """Records under other versions that `target` would judge differently or cannot judge
    without new answers, oldest first. `show` narrows to "changed" or "needs_reanswer"."""
    affected = [
        result
        for result in reassessment.reassess_all(
            stored_answers(exclude_version=target.version), target
        )
        if result.affected
        and (show == "all" or result.status == show)
        and (from_version is None or result.from_version == from_version)
    ]
    references = [result.reference for result in affected]
    records = records_by_reference(references)
    reopened = set(
        Event.objects.filter(action=EventAction.REREVIEW_OPENED)
        .exclude(record__questionnaire_version=target.version)
        .values_list("record__reference", flat=True)
    )
    return [
        ImpactRow(
            result=result,
            record=records[result.reference],
            needs_text=target.questions[result.needs].text if result.needs else "",
            rereview_open=result.reference in reopened,
        )
        for result in affected
    ]
