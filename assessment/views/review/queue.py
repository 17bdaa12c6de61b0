from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessment.forms.queue import BulkAssignForm, QueueFilterForm, SaveFilterForm
from assessment.models import Status
from assessment.selectors.integrity import chain_state
from assessment.selectors.queue import SORTS, queue_counts, queue_page
from assessment.services.saved_filters import saved_filters
from assessment.views.review.decorators import reviewer_required

PER_PAGE = 50


@require_GET
@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    return render_queue(request)


def render_queue(
    request: HttpRequest,
    *,
    assign_form: BulkAssignForm | None = None,
    save_form: SaveFilterForm | None = None,
) -> HttpResponse:
    """The queue under the filters in the request's query string. The queue's own POST
    actions (views/review/triage.py) call it with their form when it has errors, so the page
    shows them next to its fields and in a summary (400), the records ticked still ticked."""
    assert isinstance(request.user, User)  # reviewer_required let only a signed-in user in
    failed = [bound for bound in (assign_form, save_form) if bound is not None]
    form = QueueFilterForm(request.GET)
    filters = form.filters()  # malformed fields are left out, and shown as errors
    counts = queue_counts(user=request.user, filters=filters)
    # The paginator only does the arithmetic: the counts query already knows how many match
    # (or that more than the count limit do: then the pages go through the first ones), and
    # queue_page reads just the page.
    paginator = Paginator(range(counts.listed), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    offset = max(page.start_index() - 1, 0)
    records = queue_page(
        user=request.user, filters=filters, counts=counts, offset=offset, limit=len(page)
    )

    # Links that keep the filters carry them as parsed (a malformed one is left out).
    kept = filters.query()
    without_status = {name: value for name, value in kept.items() if name != "status"}
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "records": records,
            "status_tabs": [
                {
                    "value": status.value,
                    "label": status.label,
                    "count": counts.per_status[status.value],
                    "current": status.value == filters.status,
                }
                for status in Status
            ],
            "counts": counts,
            "status_base": urlencode(without_status),
            "current_status": filters.status,
            "querystring": filters.querystring(),
            "filtered": bool(form.errors) or any(name != "sort" for name in kept),
            "sort_label": SORTS[filters.sort][0],
            "now": timezone.now(),
            "sla_days": settings.ASSESSMENT_REVIEW_SLA_DAYS,
            "assign_form": assign_form or BulkAssignForm(),
            "save_form": save_form or SaveFilterForm(),
            "ticked": _ticked(assign_form),
            "saved_filters": list(saved_filters(request.user)),
            "chain": chain_state(),
        },
        status=400 if failed else 200,
    )


def _ticked(assign_form: BulkAssignForm | None) -> set[str]:
    """The references ticked when the assignment was refused (posted as "REF:revision"), so
    they stay ticked on the page that says why."""
    if assign_form is None:
        return set()
    return {str(value).partition(":")[0] for value in assign_form["records"].value() or []}
