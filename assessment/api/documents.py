"""Plain data for the serializers: a questionnaire version, a record read by the shared reader,
a queue row, an event. URLs are absolute, built from the request, so a client can follow them."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework.request import Request

from assessment.models import EventAction, Record
from assessment.questionnaire import CURRENT_VERSION, Questionnaire, available_versions
from assessment.records import RecordView, read_record, review_state

EVENT_LABELS = dict(EventAction.choices)


def seal_document(record: Record) -> dict[str, str]:
    """The record's seal: HMAC-SHA256 under a named key, or a legacy record's plain SHA-256."""
    if record.keyed_seal:
        return {"kind": "hmac-sha256", "key_id": record.seal_key_id, "value": record.seal}
    return {"kind": "sha256", "key_id": "", "value": record.sha256}


def questionnaire_document(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "version": questionnaire.version,
        "title": questionnaire.title,
        "first": questionnaire.first,
        "current": questionnaire.version == CURRENT_VERSION,
        "available_versions": list(available_versions()),
        "questions": [
            {
                "id": q.id,
                "kind": q.kind,
                "text": q.text,
                "hint": q.hint,
                "examples": list(q.examples),
                "section": q.section,
                "required": q.required,
                "max_length": q.max_length,
                "next": q.next,
                "options": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "hint": o.hint,
                        "examples": list(o.examples),
                        "next": o.next,
                        "outcome": o.outcome,
                        "exclusive": o.exclusive,
                    }
                    for o in q.options
                ],
                "routes": [{"when_any": sorted(r.when_any), "next": r.next} for r in q.routes],
                "statements": [
                    {
                        "value": s.value,
                        "label": s.label,
                        "hint": s.hint,
                        "examples": list(s.examples),
                        "answers": [o.value for o in s.options],
                    }
                    for s in q.statements
                ],
            }
            for q in questionnaire.questions.values()
        ],
        "outcomes": [
            {
                "id": o.id,
                "kind": o.kind,
                "category": o.category,
                "clauses": list(o.clauses),
                "title": o.title,
                "explanation": o.explanation,
                "next_steps": list(o.next_steps),
            }
            for o in questionnaire.outcomes.values()
        ],
        "clauses": [{"id": cid, "paraphrase": text} for cid, text in questionnaire.clauses.items()],
    }


def _url(request: Request, name: str, arg: str) -> str:
    return request.build_absolute_uri(route_path(name, arg))


# Stands in for the one argument when a route is reversed once (letters only: quoted as is).
_SLOT = "zzslotzz"


def route_path(name: str, arg: str) -> str:
    """`reverse(name, args=[arg])` for a route with one `str` argument (a reference, a private
    link's token). Reversing cost a fifth of building the gate's answer, three times per call
    (issue 13): each route is reversed once (per script prefix and URLconf) with a stand-in,
    then the argument, quoted as `reverse` quotes it, takes its place."""
    if not arg or "/" in arg:  # not a value the route's converter takes: reverse says so
        return reverse(name, args=[arg])
    template = _route(name, get_script_prefix(), get_urlconf())
    return template.replace(_SLOT, quote(arg, safe=RFC3986_SUBDELIMS + "/~:@"))


@functools.cache
def _route(name: str, prefix: str, urlconf: str | None) -> str:
    # The prefix and URLconf are part of the key: reverse() reads them from the thread.
    return reverse(name, args=[_SLOT], urlconf=urlconf)


def assessment_document(
    request: Request, record: Record, *, reads_all: bool, owns: bool
) -> dict[str, Any]:
    """The gate's answer for one record, from the shared reader."""
    view: RecordView = read_record(record)
    review = view.review
    reference = record.reference
    return {
        "reference": reference,
        "questionnaire_version": view.questionnaire_version,
        "submitted_at": view.submitted_at,
        "cleared": view.cleared,
        "automatic_outcome": review.automatic_outcome,
        "effective_outcome": review.effective_outcome,
        "status": review.status,
        "status_label": review.status_label,
        "decided": review.decided,
        "final": review.final,
        "decision": (
            {"outcome": review.decided_outcome, "decided_at": review.decided_at}
            if review.decided
            else None
        ),
        "categories": list(view.categories),
        "clauses": [{"id": c.id, "paraphrase": c.paraphrase} for c in view.clauses],
        "findings": [
            {
                "id": f.id,
                "title": f.title,
                "kind": f.kind,
                "category": f.category,
                "explanation": f.explanation,
                "clauses": [{"id": c.id, "paraphrase": c.paraphrase} for c in f.clauses],
                "next_steps": list(f.next_steps),
            }
            for f in view.findings
        ],
        "sha256": view.sha256,
        "seal": seal_document(record),
        "integrity": {"intact": view.intact, "problems": list(view.integrity_problems)},
        "record": record.payload,
        "links": {
            "self": _url(request, "api:assessment", reference),
            "events": _url(request, "api:assessment-events", reference) if reads_all else None,
            "review": _url(request, "review:record", reference) if reads_all else None,
            "result": _url(request, "result", record.token) if owns else None,
            "pdf": _url(request, "respondent_pdf", record.token) if owns else None,
        },
    }


def created_document(request: Request, record: Record) -> dict[str, Any]:
    document = assessment_document(request, record, reads_all=False, owns=True)
    return {
        **document,
        "outcome": record.outcome,
        "private_link": document["links"]["result"],
        "pdf_url": document["links"]["pdf"],
    }


def queue_item(request: Request, record: Record) -> dict[str, Any]:
    review = review_state(record)
    return {
        "reference": record.reference,
        "submitted_at": record.submitted_at,
        "questionnaire_version": record.questionnaire_version,
        "project_name": record.project_name,
        "organisation": record.organisation,
        "status": review.status,
        "automatic_outcome": review.automatic_outcome,
        "effective_outcome": review.effective_outcome,
        "decided": review.decided,
        "final": review.final,
        "categories": list(record.categories),
        "assigned_to": record.assigned_to.get_username() if record.assigned_to else None,
        "url": _url(request, "api:assessment", record.reference),
    }


def event_item(event: Any, record: Record) -> dict[str, Any]:
    return {
        "created_at": event.created_at,
        "action": event.action,
        "action_label": EVENT_LABELS.get(event.action, event.action),
        "actor_label": event.actor_label,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "from_outcome": event.from_outcome,
        "to_outcome": event.to_outcome,
        "note": event.note,
        "record_sha256": event.record_sha256,
        "matches_record": event.record_sha256 == record.sha256,
    }
