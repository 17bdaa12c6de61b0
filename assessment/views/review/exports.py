from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from assessment import exports
from assessment.selectors.queue import filter_queue
from assessment.views.review.decorators import reviewer_required


@require_GET
@reviewer_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return exports.csv_response(filter_queue(user=request.user, params=request.GET))


@require_GET
@reviewer_required
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    return exports.json_response(filter_queue(user=request.user, params=request.GET))
