from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessment.access import record_for_reviewer
from assessment.forms.review import ACTION_FORMS, ActionForm
from assessment.models import OUTCOME_LABELS, EventAction, Record, Status
from assessment.questionnaire import clause_paraphrases
from assessment.selectors.queue import record_trail
from assessment.services import review as services
from assessment.views.review.decorators import reviewer_required

STATUS_LABELS = dict(Status.choices)
ACTION_LABELS = dict(EventAction.choices)
# Which service action each form performs, for the allowed-transitions table.
FORM_ACTIONS = {
    "assign": EventAction.ASSIGNED,
    "confirm": EventAction.CONFIRMED,
    "override": EventAction.OVERRIDDEN,
    "request_information": EventAction.INFO_REQUESTED,
    "close": EventAction.CLOSED,
}
DONE = {
    "assign": "The record is assigned to you.",
    "confirm": "The automatic result is confirmed.",
    "override": "The result is overridden.",
    "request_information": "The request was sent to the respondent.",
    "close": "The record is closed.",
}


@require_GET
@reviewer_required
def record(request: HttpRequest, reference: str) -> HttpResponse:
    return _render(request, record_for_reviewer(request.user, reference))


@require_POST
@reviewer_required
def action(request: HttpRequest, reference: str) -> HttpResponse:
    record = record_for_reviewer(request.user, reference)
    name = request.POST.get("action", "")
    if name not in ACTION_FORMS:
        return HttpResponseBadRequest("Unknown action.")
    form = ACTION_FORMS[name](request.POST, prefix=name)
    if not form.is_valid():
        return _render(request, record, failed=(name, form))
    try:
        _perform(name, record=record, user=request.user, data=form.cleaned_data)
    except services.InvalidInput as error:
        form.add_error(None, error.message)
        return _render(request, record, failed=(name, form))
    except services.ReviewError as error:  # a conflict or a transition no longer possible
        messages.error(request, error.message)
        return redirect("review:record", reference=record.reference)
    messages.success(request, DONE[name])
    return redirect("review:record", reference=record.reference)


def _perform(name: str, *, record: Record, user: Any, data: dict[str, Any]) -> None:
    common = {"record": record, "user": user, "expected_revision": data["revision"]}
    if name == "assign":
        services.assign_to_me(**common)
    elif name == "confirm":
        services.confirm(**common, note=data["note"])
    elif name == "override":
        services.override(**common, outcome=data["outcome"], justification=data["justification"])
    elif name == "request_information":
        services.request_information(**common, message=data["message"])
    elif name == "close":
        services.close(**common, note=data["note"])


def _forms(
    record: Record, user: Any, failed: tuple[str, ActionForm] | None
) -> dict[str, ActionForm]:
    """The action forms that apply to the record now, each carrying the revision shown."""
    forms = {}
    for name, form_class in ACTION_FORMS.items():
        if record.status not in services.ALLOWED_FROM[FORM_ACTIONS[name]]:
            continue
        if name == "assign" and record.assigned_to_id == user.pk:
            continue
        if failed is not None and failed[0] == name:
            forms[name] = failed[1]
        else:
            forms[name] = form_class(prefix=name, initial={"revision": record.revision})
    return forms


def _render(
    request: HttpRequest, record: Record, *, failed: tuple[str, ActionForm] | None = None
) -> HttpResponse:
    payload = record.payload if isinstance(record.payload, dict) else {}
    result = payload.get("result") or {}
    paraphrases = clause_paraphrases(record.questionnaire_version)
    trail = record_trail(record)
    return render(
        request,
        "review/record.html",
        {
            "record": record,
            "problems": record.integrity_problems(),
            "answers": payload.get("answers") or [],
            "respondent": payload.get("respondent") or {},
            "result": result,
            "result_label": OUTCOME_LABELS.get(str(result.get("outcome")), result.get("outcome")),
            "clauses": [
                {"id": clause, "text": paraphrases.get(clause, "")}
                for clause in result.get("clauses") or []
            ],
            "trail": [
                {
                    "event": event,
                    "action": ACTION_LABELS.get(event.action, event.action),
                    "from_status": STATUS_LABELS.get(event.from_status, event.from_status),
                    "to_status": STATUS_LABELS.get(event.to_status, event.to_status),
                    "from_outcome": OUTCOME_LABELS.get(event.from_outcome, event.from_outcome),
                    "to_outcome": OUTCOME_LABELS.get(event.to_outcome, event.to_outcome),
                    "hash_matches": event.record_sha256 == record.sha256,
                }
                for event in trail
            ],
            "forms": _forms(record, request.user, failed),
            "failed_form": failed[1] if failed else None,
            "outcome_labels": OUTCOME_LABELS,
        },
    )
