"""The queue's own actions (POST, then back to the queue with its filters): assign the ticked
records to a reviewer, and save or delete a named set of filters. A form with errors shows the
queue again, its errors beside its fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment.forms.queue import BulkAssignForm, SaveFilterForm, queue_filters
from assessment.selectors.queue import QueueFilters
from assessment.services import review as review_services
from assessment.services import saved_filters
from assessment.views.review.decorators import reviewer_required
from assessment.views.review.queue import render_queue


def _queue(filters: QueueFilters) -> HttpResponse:
    query = filters.querystring()
    return redirect(reverse("review:queue") + (f"?{query}" if query else ""))


@require_POST
@reviewer_required
def bulk_assign(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # reviewer_required let only a signed-in user in
    form = BulkAssignForm(request.POST)
    if not form.is_valid():
        return render_queue(request, assign_form=form)
    # The queue's filters ride on the form's action URL, so the reviewer comes back to them.
    filters = queue_filters(request.GET)
    assignee = form.cleaned_data["assignee"]
    outcome = review_services.assign_many(
        selected=form.cleaned_data["records"],
        user=request.user,
        assignee=assignee,
        note=form.cleaned_data["note"],
    )
    if outcome.assigned:
        count = len(outcome.assigned)
        messages.success(
            request,
            f"Assigned {count} record{'s' if count != 1 else ''} to {assignee.get_username()}: "
            f"{', '.join(outcome.assigned)}.",
        )
    for reference, why in outcome.refused:
        messages.error(request, f"{reference} was not assigned: {why}")
    return _queue(filters)


@require_POST
@reviewer_required
def save_filter(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = SaveFilterForm(request.POST)
    if not form.is_valid():
        return render_queue(request, save_form=form)
    filters = queue_filters(request.GET)
    saved = saved_filters.save_filter(
        user=request.user, name=form.cleaned_data["name"], filters=filters
    )
    messages.success(request, f"Saved these filters as “{saved.name}”.")
    return _queue(filters)


@require_POST
@reviewer_required
def delete_filter(request: HttpRequest, filter_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    saved_filters.delete_filter(user=request.user, filter_id=filter_id)
    messages.success(request, "The saved filters were deleted.")
    return _queue(queue_filters(request.GET))
