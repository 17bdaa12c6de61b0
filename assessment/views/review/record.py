"""The record page and its actions: parse the posted form, ask for confirmation when the action
cannot be undone, call the service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessment.access import record_for_reviewer
from assessment.forms.queue import queue_filters
from assessment.forms.review_actions import ActionForm
from assessment.models import (
    DECISION_LABELS,
    EFFECTIVE_LABELS,
    Audience,
    EventAction,
    Record,
    Status,
)
from assessment.records import read_record
from assessment.selectors.queue import neighbours, record_trail
from assessment.services import integrity
from assessment.services import review as services
from assessment.views.errors import render_error
from assessment.views.review.actions import ACTIONS, ReviewAction
from assessment.views.review.decorators import reviewer_required

STATUS_LABELS = dict(Status.choices)
ACTION_LABELS = dict(EventAction.choices)
AUDIENCE_LABELS: dict[str, str] = {
    Audience.INTERNAL: "Internal note",
    Audience.RESPONDENT: "To the respondent",
}
PROPOSED_DONE = "The decision is proposed: it takes effect when a second reviewer approves it."


@require_GET
@reviewer_required
def record(request: HttpRequest, reference: str) -> HttpResponse:
    return _render(request, record_for_reviewer(request.user, reference))


@require_POST
@reviewer_required
def action(request: HttpRequest, reference: str) -> HttpResponse:
    record = record_for_reviewer(request.user, reference)
    spec = ACTIONS.get(request.POST.get("action", ""))
    if spec is None:
        return render_error(request, 400)
    form = spec.form(request.POST, prefix=spec.name, record=record)
    if not form.is_valid() or request.POST.get("edit"):
        return _render(request, record, failed=(spec.name, form))
    if spec.confirm and request.POST.get("confirmed") != "yes":
        return _confirmation(request, record, spec, form)
    try:
        event = spec.perform(record, request.user, form.cleaned_data)
    except services.InvalidInput as error:
        form.add_error(None, error.message)
        return _render(request, record, failed=(spec.name, form))
    except services.ReviewError as error:  # a conflict, or not possible / not allowed now
        messages.error(request, error.message)
        return redirect(_record_url(request, record))
    messages.success(request, PROPOSED_DONE if event.action == EventAction.PROPOSED else spec.done)
    return redirect(_record_url(request, record))


def _record_url(request: HttpRequest, record: Record) -> str:
    """The record page, keeping the queue's filters the reviewer came with (they ride on the
    page's URL and its forms' action URLs, re-parsed by the queue's form, never echoed)."""
    query = queue_filters(request.GET).querystring()
    url = reverse("review:record", args=[record.reference])
    return f"{url}?{query}" if query else url


def _confirmation(
    request: HttpRequest, record: Record, spec: ReviewAction, form: ActionForm
) -> HttpResponse:
    """A second, plain form repeating what was posted, so it works without JavaScript."""
    shown = []
    for name, field in form.fields.items():
        if name == "revision":
            continue
        value = form.cleaned_data.get(name)
        choices = dict(getattr(field, "choices", ()) or ())
        text = choices.get(value, value) if choices else value
        get_username = getattr(value, "get_username", None)
        if get_username is not None:
            text = get_username()
        if text:
            shown.append((field.label, str(text)))
    hidden = [
        (key, value)
        for key, values in request.POST.lists()
        if key.startswith(f"{spec.name}-")
        for value in values
    ]
    return render(
        request,
        "review/confirm.html",
        {
            "record": record,
            "spec": spec,
            "shown": shown,
            "hidden": hidden,
            "queue_query": queue_filters(request.GET).querystring(),
        },
    )


def _forms(
    record: Record, user: Any, failed: tuple[str, ActionForm] | None
) -> list[tuple[ReviewAction, ActionForm]]:
    """The action forms the user may use on the record now, each carrying the revision shown."""
    forms = []
    for name in services.allowed_actions(record, user):
        spec = ACTIONS[name]
        if failed is not None and failed[0] == name:
            forms.append((spec, failed[1]))
        else:
            initial = {"revision": record.revision}
            forms.append((spec, spec.form(prefix=name, initial=initial, record=record)))
    return forms


def _blocked(record: Record, user: Any) -> str:
    """Why the user sees no decision actions, when that is because of who they are."""
    for action in ("decide", "confirm", "override", "approve"):
        problem = services.why_not_applicable(record, action)
        if problem is None:
            refusal = services.why_not_permitted(record, user, action)
            if refusal:
                return refusal
    return ""


def _render(
    request: HttpRequest, record: Record, *, failed: tuple[str, ActionForm] | None = None
) -> HttpResponse:
    view = read_record(record)
    trail = record_trail(record)
    attached = {item.event_id: item for item in record.attachments.all()}
    # Where this record sits in the queue the reviewer came from (same filters, same order).
    filters = queue_filters(request.GET)
    previous, following = neighbours(user=request.user, filters=filters, record=record)
    proposal = None
    if record.status == Status.PENDING_APPROVAL:
        proposal = next((e for e in reversed(trail) if e.action == EventAction.PROPOSED), None)
    return render(
        request,
        "review/record.html",
        {
            "record": record,
            "problems": integrity.record_problems(record),
            "view": view,
            "effective_label": EFFECTIVE_LABELS.get(record.effective_outcome, ""),
            "decision_label": DECISION_LABELS.get(record.decided_outcome or "", ""),
            "proposal": proposal,
            "proposal_label": DECISION_LABELS.get(record.proposed_outcome or "", ""),
            "trail": [
                {
                    "event": event,
                    "action": ACTION_LABELS.get(event.action, event.action),
                    "from_status": STATUS_LABELS.get(event.from_status, event.from_status),
                    "to_status": STATUS_LABELS.get(event.to_status, event.to_status),
                    "from_outcome": EFFECTIVE_LABELS.get(event.from_outcome, event.from_outcome),
                    "to_outcome": EFFECTIVE_LABELS.get(event.to_outcome, event.to_outcome),
                    "decision": DECISION_LABELS.get(event.decision, event.decision),
                    "audience": AUDIENCE_LABELS.get(event.audience, ""),
                    "hash_matches": event.record_sha256 == record.sha256,
                    "attachment": attached.get(event.pk),
                }
                for event in trail
            ],
            "forms": _forms(record, request.user, failed),
            "blocked": _blocked(record, request.user),
            "failed_form": failed[1] if failed else None,
            "queue_query": filters.querystring(),
            "previous_reference": previous,
            "next_reference": following,
        },
    )
