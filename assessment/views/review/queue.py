from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.forms.review import QueueFilterForm
from assessment.models import Status
from assessment.selectors.queue import parse_queue_params, queue_counts, queue_page
from assessment.views.review.decorators import reviewer_required

PER_PAGE = 50


@require_GET
@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    params = request.GET
    form = QueueFilterForm(params or None)
    form.is_valid()  # only to show what was ignored; the selector does the filtering
    counts = queue_counts(user=request.user, params=params)
    current_status = parse_queue_params(params).status
    # The paginator only does the arithmetic: the counts query already knows how many match,
    # and queue_page reads just the page.
    paginator = Paginator(range(counts.matching), PER_PAGE)
    page = paginator.get_page(params.get("page"))
    offset = max(page.start_index() - 1, 0)
    records = queue_page(
        user=request.user, params=params, counts=counts, offset=offset, limit=PER_PAGE
    )

    filters = params.copy()
    filters.pop("page", None)
    without_status = filters.copy()
    without_status.pop("status", None)
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
                    "current": status.value == current_status,
                }
                for status in Status
            ],
            "all_count": sum(counts.per_status.values()),
            "status_base": without_status.urlencode(),
            "current_status": current_status,
            "querystring": filters.urlencode(),
            "filtered": any(v for k, v in filters.items() if k != "sort"),
        },
    )
