from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.forms.review import QueueFilterForm
from assessment.models import Status
from assessment.selectors import (
    filter_queue,
    parse_queue_params,
    queue_page_records,
    status_counts,
)
from assessment.views.review.decorators import reviewer_required

PER_PAGE = 50


@require_GET
@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    params = request.GET
    form = QueueFilterForm(params or None)
    form.is_valid()  # only to show what was ignored; the selector does the filtering
    queryset = filter_queue(user=request.user, params=params)
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(params.get("page"))
    offset = max(page.start_index() - 1, 0)

    filters = params.copy()
    filters.pop("page", None)
    counts = status_counts(user=request.user, params=params)
    without_status = filters.copy()
    without_status.pop("status", None)
    current_status = parse_queue_params(params).status
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "records": queue_page_records(queryset, offset=offset, limit=PER_PAGE),
            "status_tabs": [
                {
                    "value": status.value,
                    "label": status.label,
                    "count": counts[status.value],
                    "current": status.value == current_status,
                }
                for status in Status
            ],
            "all_count": sum(counts.values()),
            "status_base": without_status.urlencode(),
            "current_status": current_status,
            "querystring": filters.urlencode(),
            "filtered": any(v for k, v in filters.items() if k != "sort"),
        },
    )
