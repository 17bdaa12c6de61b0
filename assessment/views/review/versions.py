"""Rolling a questionnaire version out: versions, a comparison, the impact on stored records,
opening re-reviews and inviting respondents to answer again.

The comparison and the judging are plain Python (`questionnaire.compare`, `reassessment`);
these views only parse the query, call them, and redirect after POST.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessment import reassessment
from assessment.exports import safe_cell
from assessment.forms.versions import CompareForm, ImpactFilterForm
from assessment.questionnaire import (
    CURRENT_VERSION,
    Questionnaire,
    QuestionnaireError,
    available_versions,
    load,
)
from assessment.questionnaire.compare import compare
from assessment.selectors import rollout as selectors
from assessment.services import rollout
from assessment.views.review.decorators import reviewer_required

SHOWN_ROWS = 500  # the page lists this many; the CSV and the actions cover every affected record
IMPACT_COLUMNS = (
    "reference",
    "questionnaire_version",
    "submitted_at",
    "status",
    "automatic_outcome",
    "impact",
    "new_outcome",
    "first_question_to_answer",
    "rereview_opened",
)


def _questionnaire(version: str) -> Questionnaire:
    if version not in available_versions():
        raise Http404
    try:
        return load(version)
    except QuestionnaireError:
        raise Http404 from None


@require_GET
@reviewer_required
def versions(request: HttpRequest) -> HttpResponse:
    rows = selectors.versions()
    retired = [row.version for row in rows if row.status == "retired"]
    return render(
        request,
        "review/versions.html",
        {"rows": rows, "current": CURRENT_VERSION, "previous": retired[0] if retired else ""},
    )


@require_GET
@reviewer_required
def comparison(request: HttpRequest) -> HttpResponse:
    known = available_versions()
    # Either version may be left out of the link: the two latest are the usual question.
    chosen = {
        "old": request.GET.get("old") or (known[-2] if len(known) > 1 else known[-1]),
        "new": request.GET.get("new") or CURRENT_VERSION,
    }
    form = CompareForm(chosen, versions=known)
    if not form.is_valid():
        raise Http404
    old, new = form.cleaned_data["old"], form.cleaned_data["new"]
    return render(
        request,
        "review/version_compare.html",
        {"comparison": compare(load(old), load(new)), "form": form, "old": old, "new": new},
    )


def _older_versions(target: Questionnaire) -> list[str]:
    return [v for v in available_versions() if v != target.version]


def _impact_rows(
    params: QueryDict, target: Questionnaire
) -> tuple[list[selectors.ImpactRow], str, str | None]:
    """The affected records under the filters in `params` (the page's, the CSV's, or those sent
    back with an action), with the filters as understood."""
    show, from_version = ImpactFilterForm(params, versions=_older_versions(target)).filters()
    return selectors.impact(target, show=show, from_version=from_version), show, from_version


@require_GET
@reviewer_required
def impact(request: HttpRequest, version: str) -> HttpResponse:
    target = _questionnaire(version)
    rows, show, from_version = _impact_rows(request.GET, target)
    return render(
        request,
        "review/version_impact.html",
        {
            "target": target,
            "rows": rows[:SHOWN_ROWS],
            "total": len(rows),
            "shown": min(len(rows), SHOWN_ROWS),
            "show": show,
            "from_version": from_version or "",
            # Drawn from what was understood, so an unknown value shows as no filter.
            "form": ImpactFilterForm(
                initial={"show": show, "from": from_version or ""},
                versions=_older_versions(target),
            ),
            "changed_count": sum(r.result.status == reassessment.CHANGED for r in rows),
            "reanswer_count": sum(r.result.status == reassessment.NEEDS_REANSWER for r in rows),
            "querystring": request.GET.urlencode(),
            "current": CURRENT_VERSION,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@reviewer_required
def impact_csv(request: HttpRequest, version: str) -> StreamingHttpResponse:
    target = _questionnaire(version)
    rows, _, _ = _impact_rows(request.GET, target)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(IMPACT_COLUMNS)
        for row in rows:
            yield writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        row.record.reference,
                        row.result.from_version,
                        row.record.submitted_at.isoformat(),
                        row.record.status,
                        row.result.from_outcome,
                        row.result.status,
                        row.result.to_outcome or "",
                        row.needs_text,
                        "yes" if row.rereview_open else "no",
                    )
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{version}.csv"'
    return response


def _reviewer(request: HttpRequest) -> User:
    # reviewer_required let only a signed-in reviewer through.
    return cast(User, request.user)


def _affected_references(request: HttpRequest, target: Questionnaire) -> list[str]:
    """Every record the impact page lists under the filters it was showing (sent back with the
    form), however many: the action is for all of them, not only those on screen."""
    rows, _, _ = _impact_rows(request.POST, target)
    return [row.result.reference for row in rows]


@require_POST
@reviewer_required
def open_rereview(request: HttpRequest, version: str) -> HttpResponse:
    target = _questionnaire(version)
    events = rollout.open_rereview(
        user=_reviewer(request), target=target, references=_affected_references(request, target)
    )
    if events:
        messages.success(
            request,
            f"Re-review opened for {len(events)} record{'s' if len(events) != 1 else ''}. "
            f"They are in the queue under “Re-review opened”.",
        )
    else:
        messages.info(request, "No record needed a new re-review: they were already opened.")
    return redirect(reverse("review:version_impact", args=[version]))


@require_POST
@reviewer_required
def invite(request: HttpRequest, version: str) -> HttpResponse:
    target = _questionnaire(version)
    if version != CURRENT_VERSION:
        # Respondents can only start drafts under the current version.
        messages.error(request, "Respondents can only be invited to answer the current version.")
        return redirect(reverse("review:version_impact", args=[version]))
    invitations = rollout.invite_respondents(
        user=_reviewer(request), target=target, references=_affected_references(request, target)
    )
    count = len(invitations)
    messages.success(
        request,
        f"Invited {count} respondent{'s' if count != 1 else ''} to answer again, each with a "
        f"new assessment pre-filled from their answers.",
    )
    return redirect(reverse("review:version_impact", args=[version]))
